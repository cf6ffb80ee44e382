import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frame, json, runCli, startFakeEngine } from './fake-engine.js';

test('flag and argument errors: cobra messages, exit 125 and 1', async () => {
  const host = 'unix:///nonexistent.sock';
  let r = await runCli(host, ['ps', '--foo']);
  assert.equal(r.code, 125);
  assert.equal(r.stderr, "unknown flag: --foo\n\nUsage:  berth ps [OPTIONS]\n\nRun 'berth ps --help' for more information\n");
  r = await runCli(host, ['ps', '-n', 'abc']);
  assert.equal(r.code, 125);
  assert.match(r.stderr, /^invalid argument "abc" for "-n, --last" flag: strconv.ParseInt: parsing "abc": invalid syntax\n/);
  r = await runCli(host, ['run']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "berth: 'berth run' requires at least 1 argument\n\nUsage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nSee 'berth run --help' for more information\n");
  r = await runCli(host, ['tag', 'x']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^berth: 'berth tag' requires 2 arguments\n/);
  r = await runCli(host, ['cp', 'a', 'b']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'must specify at least one container source\n');
  r = await runCli(host, ['ps', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Usage:  berth ps \[OPTIONS\]\n\nList containers\n\nOptions:\n  -a, --all /);
  r = await runCli(host, ['run', '--help']);
  assert.match(r.stdout, /-h, --hostname string/);
});

test('daemon errors: "Error response from daemon", per-item results, start summary, rmi -f', async () => {
  const engine = await startFakeEngine({
    http: (r, res) => {
      const path = r.path.replace(/^\/v1\.\d+/, '');
      if (path.startsWith('/containers/a')) return json(res, 404, { message: 'No such container: a' });
      if (path.startsWith('/containers/b')) {
        res.writeHead(204).end();
        return true;
      }
      if (path.startsWith('/images/nosuch')) return json(res, 404, { message: 'No such image: nosuch:latest' });
      if (path.startsWith('/images/img')) return json(res, 200, [{ Untagged: 'img:latest' }, { Deleted: 'sha256:abc' }]);
      return false;
    },
  });
  try {
    let r = await runCli(engine.host, ['rm', 'a', 'b']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'b\n');
    assert.equal(r.stderr, 'Error response from daemon: No such container: a\n');
    assert.ok(engine.requests.some((q) => q.method === 'DELETE' && q.path === '/v1.41/containers/b'));
    r = await runCli(engine.host, ['rm', '-f', '-v', 'b']);
    assert.ok(engine.requests.some((q) => q.path === '/v1.41/containers/b?force=1&v=1'));
    r = await runCli(engine.host, ['start', 'a', 'b']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'b\n');
    assert.equal(r.stderr, 'Error response from daemon: No such container: a\nError: failed to start containers: a\n');
    r = await runCli(engine.host, ['stop', '-t', '1', 'b']);
    assert.equal(r.code, 0);
    assert.ok(engine.requests.some((q) => q.path === '/v1.41/containers/b/stop?t=1'));
    r = await runCli(engine.host, ['rmi', 'img', 'nosuch']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'Untagged: img:latest\nDeleted: sha256:abc\n');
    assert.equal(r.stderr, 'Error response from daemon: No such image: nosuch:latest\n');
    r = await runCli(engine.host, ['rmi', '-f', 'nosuch']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, 'Error response from daemon: No such image: nosuch:latest\n');
    r = await runCli(engine.host, ['inspect', 'a']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '[]\n');
    assert.equal(r.stderr, 'Error: No such object: a\n');
  } finally {
    await engine.close();
  }
});

test('logs reads Config.Tty first, then demultiplexes; since/tail/timestamps in the query', async () => {
  const engine = await startFakeEngine({
    http: (r, res) => {
      if (r.path.endsWith('/containers/c/json')) return json(res, 200, { Id: 'cid', Config: { Tty: false } });
      if (r.path.includes('/containers/cid/logs')) {
        res.writeHead(200);
        res.end(Buffer.concat([frame(1, 'one\n'), frame(2, 'two\n')]));
        return true;
      }
      return false;
    },
  });
  try {
    const r = await runCli(engine.host, ['logs', '--tail', '2', '-t', '--since', '1700000000', 'c']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'one\n');
    assert.equal(r.stderr, 'two\n');
    assert.equal(engine.requests.at(-1)!.path, '/v1.41/containers/cid/logs?since=1700000000&stderr=1&stdout=1&tail=2&timestamps=1');
  } finally {
    await engine.close();
  }
});

test('ps and images: query parameters and empty tables', async () => {
  const engine = await startFakeEngine({ http: (_r, res) => json(res, 200, []) });
  try {
    let r = await runCli(engine.host, ['ps', '-a', '-f', 'status=exited', '-f', 'name=x', '-n', '3']);
    assert.equal(r.stdout, 'CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n');
    assert.equal(decodeURIComponent(engine.requests.at(-1)!.path), '/v1.41/containers/json?all=1&filters={"status":{"exited":true},"name":{"x":true}}&limit=3');
    r = await runCli(engine.host, ['images', 'busybox']);
    assert.equal(r.stdout, 'REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n');
    assert.equal(decodeURIComponent(engine.requests.at(-1)!.path), '/v1.41/images/json?filters={"reference":{"busybox":true}}');
    r = await runCli(engine.host, ['ps', '-f', 'nope']);
    assert.equal(r.code, 125);
    assert.match(r.stderr, /bad format of filter \(expected name=value\)/);
  } finally {
    await engine.close();
  }
});

test('events: one line per event as the docker CLI prints it', async () => {
  process.env['TZ'] = 'UTC';
  const engine = await startFakeEngine({
    http: (r, res) => {
      if (!r.path.includes('/events')) return false;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"status":"die","id":"abc","from":"img","Type":"container","Action":"die","Actor":{"ID":"abc","Attributes":{"name":"x","exitCode":"0","image":"img"}},"scope":"local","time":1795320768,"timeNano":1795320768000000123}\n');
      return true;
    },
  });
  try {
    const r = await runCli(engine.host, ['events', '--since', '1700000000', '--until', '1800000000']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '2026-11-22T04:12:48.000000123Z container die abc (exitCode=0, image=img, name=x)\n');
    const f = await runCli(engine.host, ['events', '--format', '{{.Action}} {{.Actor.Attributes.name}}']);
    assert.equal(f.stdout, 'die x\n');
  } finally {
    await engine.close();
  }
});
