/**
 * Container filesystems (cp both ways through the archive endpoints, diff,
 * commit with --change, export) on running and stopped containers, and the
 * engine's event and stats streams in Docker's shapes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCKER, type TestEngine } from '../../../fixtures/engine.js';
import { closeAndCheck, eventsBetween, IMAGE, inspectField, mountsUnder, ok, rawRequest, skipReason, sleep, startE2eEngine, unixNow, waitFor } from './e2e.js';

const skip = skipReason();

describe('cp, diff, commit, export, events, stats (docker CLI)', { skip, timeout: 300_000 }, () => {
  let e: TestEngine;
  let host: string;
  before(async () => {
    e = await startE2eEngine();
    host = join(e.dir, 'host');
    mkdirSync(join(host, 'tree', 'sub'), { recursive: true });
    writeFileSync(join(host, 'file.txt'), 'from the host\n');
    writeFileSync(join(host, 'tree', 'sub', 'deep.txt'), 'deep\n');
  });
  after(() => closeAndCheck(e));
  /** Mounts made for a stopped container's filesystem (cp, export) rather than a running one's. */
  const tempMounts = (): string[] => mountsUnder(e.dir).filter((m) => /\/tmp-/.test(m));

  for (const state of ['running', 'stopped'] as const) {
    test(`cp both ways into a ${state} container, with Docker's archive stat header and errors`, async () => {
      const name = `cp-${state}`;
      await ok(e, ['run', '-d', '--name', name, IMAGE, 'sh', '-c', 'mkdir -p /data && echo inside > /data/in.txt && chmod 640 /data/in.txt && sleep 1000']);
      await waitFor('the file', async () => (await e.docker(['exec', name, 'cat', '/data/in.txt'])).code === 0);
      if (state === 'stopped') await ok(e, ['stop', '-t', '0', name]);
      const since = unixNow();
      await ok(e, ['cp', join(host, 'file.txt'), `${name}:/tmp/`]);
      await ok(e, ['cp', join(host, 'file.txt'), `${name}:/tmp/renamed.txt`]);
      await ok(e, ['cp', join(host, 'tree'), `${name}:/data/`]);
      const out = join(host, `out-${state}`);
      mkdirSync(out);
      await ok(e, ['cp', `${name}:/data/in.txt`, join(out, 'in.txt')]);
      assert.equal(readFileSync(join(out, 'in.txt'), 'utf8'), 'inside\n');
      assert.equal(statSync(join(out, 'in.txt')).mode & 0o777, 0o640, 'the mode travels');
      await ok(e, ['cp', `${name}:/data`, out]);
      assert.equal(readFileSync(join(out, 'data', 'tree', 'sub', 'deep.txt'), 'utf8'), 'deep\n');
      assert.equal(readFileSync(join(out, 'data', 'in.txt'), 'utf8'), 'inside\n');
      // the copies are in the container's filesystem
      await ok(e, ['cp', `${name}:/tmp/renamed.txt`, join(out, 'back.txt')]);
      assert.equal(readFileSync(join(out, 'back.txt'), 'utf8'), 'from the host\n');
      // `cp c:/path -` streams a tar; the API adds the stat header
      const tar = execFileSync(DOCKER, ['cp', `${name}:/tmp/file.txt`, '-'], { env: { ...process.env, DOCKER_HOST: e.host, DOCKER_CONFIG: join(e.dir, 'docker-config') } });
      writeFileSync(join(out, 'x.tar'), tar);
      assert.equal(execFileSync('tar', ['-xOf', join(out, 'x.tar'), 'file.txt'], { encoding: 'utf8' }), 'from the host\n');
      const head = await rawRequest(e.socket, 'HEAD', `/containers/${name}/archive?path=${encodeURIComponent('/data/in.txt')}`);
      assert.equal(head.status, 200);
      const stat = JSON.parse(Buffer.from(String(head.headers['x-docker-container-path-stat']), 'base64').toString()) as Record<string, unknown>;
      assert.equal(stat['name'], 'in.txt');
      assert.equal(stat['size'], 7);
      assert.equal(Number(stat['mode']) & 0o777, 0o640);
      assert.equal(stat['linkTarget'], '');
      const missing = await e.docker(['cp', `${name}:/nonexist`, out]);
      assert.equal(missing.code, 1);
      assert.equal(missing.stderr.trim(), `Error response from daemon: Could not find the file /nonexist in container ${name}`);
      const notDir = await e.docker(['cp', join(host, 'file.txt'), `${name}:/data/in.txt/x`]);
      assert.equal(notDir.code, 1);
      assert.match(notDir.stderr, /not a directory/);
      assert.deepEqual(tempMounts(), [], 'no temporary mount of the stopped rootfs is left');
      const actions = (await eventsBetween(e, Number(since), Number(unixNow()), [`container=${name}`])).map((x) => x.Action);
      assert.ok(actions.includes('extract-to-dir') && actions.includes('archive-path'), actions.join(','));
      await ok(e, ['rm', '-f', name]);
    });
  }

  test('cp into a --read-only container is refused', async () => {
    await ok(e, ['run', '-d', '--name', 'ro1', '--read-only', IMAGE, 'sleep', '1000']);
    const r = await e.docker(['cp', join(host, 'file.txt'), 'ro1:/tmp/']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'Error response from daemon: container rootfs is marked read-only');
    await ok(e, ['rm', '-f', 'ro1']);
  });

  test('diff lists additions, changes and deletions (not the engine\'s own mount points), running and stopped', async () => {
    await ok(e, ['run', '-d', '--name', 'df1', IMAGE, 'sh', '-c', 'echo a > /tmp/a; rm /etc/group; mkdir -p /new/dir; sleep 1000']);
    await waitFor('the changes', async () => (await e.docker(['exec', 'df1', 'ls', '/new/dir'])).code === 0);
    const expected = ['A /new', 'A /new/dir', 'A /tmp/a', 'C /etc', 'C /tmp', 'D /etc/group'];
    assert.deepEqual((await ok(e, ['diff', 'df1'])).split('\n').sort(), expected);
    const api = JSON.parse((await e.api('GET', '/containers/df1/changes')).body) as { Path: string; Kind: number }[];
    assert.deepEqual(api.find((c) => c.Path === '/etc/group'), { Path: '/etc/group', Kind: 2 });
    await ok(e, ['stop', '-t', '0', 'df1']);
    assert.deepEqual((await ok(e, ['diff', 'df1'])).split('\n').sort(), expected);
    await ok(e, ['create', '--name', 'df2', IMAGE, 'true']);
    assert.equal((await e.api('GET', '/containers/df2/changes')).body.trim(), 'null', 'no changes: null, as dockerd');
    await ok(e, ['rm', 'df1', 'df2']);
  });

  test('commit with --change, -m, -a: the new image runs with the changed config; a running container is paused for it', async () => {
    await ok(e, ['run', '-d', '--name', 'cm1', IMAGE, 'sh', '-c', 'echo committed > /data.txt; sleep 1000']);
    await waitFor('the file', async () => (await e.docker(['exec', 'cm1', 'cat', '/data.txt'])).code === 0);
    const since = unixNow();
    const id = await ok(e, ['commit', '-m', 'a message', '-a', 'Tester <t@example.com>', '-c', 'ENV COMMITTED=yes', '-c', 'LABEL stage=two', '-c', 'EXPOSE 8080/tcp', '-c', 'WORKDIR /srv', '-c', 'USER nobody', '-c', 'ENTRYPOINT ["/bin/sh", "-c"]', '-c', 'CMD ["echo $COMMITTED $(cat /data.txt) $(pwd) $(id -u)"]', 'cm1', 'committed:1']);
    assert.match(id, /^sha256:[0-9a-f]{64}$/);
    const img = JSON.parse(await ok(e, ['image', 'inspect', '--format', '{{json .}}', 'committed:1'])) as Record<string, any>;
    assert.equal(img['Comment'], 'a message');
    assert.equal(img['Author'], 'Tester <t@example.com>');
    assert.equal(img['Config'].WorkingDir, '/srv');
    assert.equal(img['Config'].User, 'nobody');
    assert.deepEqual(img['Config'].Labels, { stage: 'two' });
    assert.deepEqual(img['Config'].ExposedPorts, { '8080/tcp': {} });
    assert.ok((img['Config'].Env as string[]).includes('COMMITTED=yes'));
    assert.equal((await e.docker(['run', '--rm', 'committed:1'])).stdout, 'yes committed /srv 65534\n');
    const events = await eventsBetween(e, Number(since), Number(unixNow()), ['container=cm1']);
    assert.deepEqual(events.map((x) => x.Action), ['pause', 'commit', 'unpause']);
    const commit = events[1]!;
    assert.equal(commit.Actor.Attributes.imageID, id);
    assert.equal(commit.Actor.Attributes.imageRef, 'committed:1');
    assert.equal(commit.Actor.Attributes.comment, 'a message');
    assert.equal(await inspectField(e, 'cm1', '{{.State.Status}}'), 'running', 'unpaused after the commit');
    // --pause=false, and a stopped container; an untagged commit
    await ok(e, ['stop', '-t', '0', 'cm1']);
    const bare = await ok(e, ['commit', 'cm1']);
    assert.equal((await e.docker(['run', '--rm', bare, 'cat', '/data.txt'])).stdout, 'committed\n');
    const layers = JSON.parse(await ok(e, ['image', 'inspect', '--format', '{{json .RootFS.Layers}}', bare])) as string[];
    const base = JSON.parse(await ok(e, ['image', 'inspect', '--format', '{{json .RootFS.Layers}}', IMAGE])) as string[];
    assert.equal(layers.length, base.length + 1, 'one new layer');
    const bad = await e.docker(['commit', '-c', 'FROB x', 'cm1', 'bad:1']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /FROB/i);
    await ok(e, ['rm', 'cm1']);
    await ok(e, ['rmi', 'committed:1', bare]);
  });

  test('export writes the merged filesystem as a tar, running or stopped, and leaves no mount', async () => {
    await ok(e, ['run', '-d', '--name', 'ex1', IMAGE, 'sh', '-c', 'echo exported > /tmp/x.txt; rm /etc/group; sleep 1000']);
    await waitFor('the file', async () => (await e.docker(['exec', 'ex1', 'cat', '/tmp/x.txt'])).code === 0);
    const env = { ...process.env, DOCKER_HOST: e.host, DOCKER_CONFIG: join(e.dir, 'docker-config') };
    for (const phase of ['running', 'stopped']) {
      if (phase === 'stopped') await ok(e, ['stop', '-t', '0', 'ex1']);
      const file = join(host, `export-${phase}.tar`);
      execFileSync(DOCKER, ['export', '-o', file, 'ex1'], { env });
      const names = execFileSync('tar', ['-tf', file], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }).split('\n');
      assert.ok(names.includes('bin/busybox') && names.includes('tmp/x.txt') && names.includes('etc/passwd'), phase);
      assert.ok(!names.includes('etc/group'), 'deleted files are not exported');
      assert.ok(!names.some((n) => n.startsWith('./') || n.startsWith('/')), 'Docker-style names');
      assert.equal(execFileSync('tar', ['-xOf', file, 'tmp/x.txt'], { encoding: 'utf8' }), 'exported\n');
      assert.deepEqual(tempMounts(), [], 'no export mount left');
    }
    // a client that goes away mid-export does not hurt the engine
    const partial = spawn('sh', ['-c', `${DOCKER} export ex1 | head -c 100000 > /dev/null`], { env, stdio: 'ignore' });
    await new Promise((r) => partial.once('exit', r));
    assert.equal((await e.api('GET', '/_ping')).status, 200);
    await ok(e, ['rm', 'ex1']);
  });

  test('events: filters by container, event, type, image and label; --since/--until replay; a live stream', async () => {
    const since = unixNow();
    await ok(e, ['run', '--name', 'ev1', '-l', 'team=a', IMAGE, 'true']);
    assert.equal((await e.docker(['run', '--name', 'ev2', '-l', 'team=b', IMAGE, 'sh', '-c', 'exit 2'])).code, 2);
    const until = unixNow();
    const all = await eventsBetween(e, Number(since), Number(until), ['type=container']);
    const byName = (n: string) => all.filter((x) => x.Actor.Attributes.name === n).map((x) => x.Action);
    assert.deepEqual(byName('ev1'), ['create', 'attach', 'start', 'die']);
    const die = all.find((x) => x.Action === 'die' && x.Actor.Attributes.name === 'ev2')!;
    // Docker's event message at API 1.41: legacy fields first, labels among the attributes
    assert.deepEqual(Object.keys(die), ['status', 'id', 'from', 'Type', 'Action', 'Actor', 'scope', 'time', 'timeNano']);
    assert.deepEqual(die.Actor.Attributes, { exitCode: '2', image: IMAGE, name: 'ev2', team: 'b' });
    assert.equal(die.scope, 'local');
    assert.equal(Math.floor(die.timeNano / 1e9), die.time);
    assert.deepEqual((await eventsBetween(e, Number(since), Number(until), ['event=die'])).map((x) => x.Actor.Attributes.name), ['ev1', 'ev2']);
    assert.deepEqual((await eventsBetween(e, Number(since), Number(until), ['label=team=a', 'event=die'])).map((x) => x.Actor.Attributes.name), ['ev1']);
    assert.deepEqual((await eventsBetween(e, Number(since), Number(until), ['container=ev2', 'event=start', 'event=die'])).map((x) => x.Action), ['start', 'die'], 'one key ORs, keys AND');
    assert.equal((await eventsBetween(e, Number(since), Number(until), [`image=${IMAGE}`, 'event=create'])).length, 2);
    assert.ok((await eventsBetween(e, Number(since), Number(until), ['type=network'])).every((x) => x.Type === 'network'));
    assert.deepEqual(await eventsBetween(e, Number(until) + 0.001, Number(until) + 0.002), [], 'an empty window');
    // the CLI turns durations into whole seconds: -1s is "until the next second or so" (it streams until then)
    const rel = await ok(e, ['events', '--since', '5m', '--until=-1s', '--filter', 'container=ev1', '--filter', 'event=create', '--format', '{{.Actor.Attributes.name}}']);
    assert.equal(rel, 'ev1', 'relative --since/--until');
    const bad = await e.docker(['events', '--filter', 'foo=bar', '--until=-1s']);
    assert.equal(bad.stderr.trim(), "Error response from daemon: Invalid filter 'foo'");
    // live: a stream without --until sees what happens after it starts
    const live = spawn(DOCKER, ['events', '--filter', 'type=container', '--format', '{{.Action}} {{.Actor.Attributes.name}}'], { env: { ...process.env, DOCKER_HOST: e.host, DOCKER_CONFIG: join(e.dir, 'docker-config') } });
    let seen = '';
    live.stdout.on('data', (b: Buffer) => (seen += b.toString()));
    try {
      await sleep(300);
      await ok(e, ['rm', 'ev1']);
      await waitFor('the live destroy event', () => seen.includes('destroy ev1'));
      assert.ok(!seen.includes('create ev1'), 'no replay without --since');
    } finally {
      live.kill('SIGKILL');
    }
    await ok(e, ['rm', 'ev2']);
  });

  test('stats: one sample and a stream in Docker\'s shape, cgroup figures, network counters; docker stats --no-stream', async () => {
    await ok(e, ['run', '-d', '--name', 'st1', '--memory', '64m', '--pids-limit', '20', IMAGE, 'sh', '-c', 'while :; do :; done']);
    const one = JSON.parse((await e.api('GET', '/containers/st1/stats?stream=0')).body) as Record<string, any>;
    for (const k of ['read', 'preread', 'pids_stats', 'blkio_stats', 'num_procs', 'storage_stats', 'cpu_stats', 'precpu_stats', 'memory_stats', 'name', 'id', 'networks']) assert.ok(k in one, `stats has ${k}`);
    assert.equal(one['name'], '/st1');
    assert.equal(one['id'], await inspectField(e, 'st1', '{{.Id}}'));
    assert.equal(one['memory_stats'].limit, 64 * 1024 * 1024);
    assert.ok(one['memory_stats'].usage > 0);
    assert.ok('total_rss' in one['memory_stats'].stats, 'cgroup v1 memory keys');
    assert.deepEqual(one['pids_stats'], { current: 1, limit: 20 });
    assert.ok(one['cpu_stats'].cpu_usage.total_usage > one['precpu_stats'].cpu_usage.total_usage, 'stream=0 compares two samples');
    assert.ok(one['cpu_stats'].system_cpu_usage > 0 && one['cpu_stats'].online_cpus > 0);
    assert.ok(Date.parse(one['read']) > Date.parse(one['preread']));
    assert.ok('eth0' in one['networks'] && 'rx_bytes' in one['networks'].eth0);
    // streaming: one object a second, each pointing back at the one before
    const got: Record<string, any>[] = [];
    await new Promise<void>((resolve, reject) => {
      const req = (async () => {
        const { request } = await import('node:http');
        const r = request({ socketPath: e.socket, path: '/containers/st1/stats' }, (res) => {
          let buf = '';
          res.on('data', (c: Buffer) => {
            buf += c.toString();
            for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
              got.push(JSON.parse(buf.slice(0, i)) as Record<string, any>);
              buf = buf.slice(i + 1);
              if (got.length === 3) {
                r.destroy();
                resolve();
              }
            }
          });
        });
        r.on('error', (err) => (got.length >= 3 ? resolve() : reject(err)));
        r.end();
      })();
      req.catch(reject);
    });
    assert.equal(got[1]?.['preread'], got[0]?.['read']);
    assert.deepEqual(got[2]?.['precpu_stats'], got[1]?.['cpu_stats']);
    const cli = await ok(e, ['stats', '--no-stream', '--format', '{{.Name}}|{{.MemUsage}}|{{.PIDs}}|{{.CPUPerc}}', 'st1']);
    const [name, mem, pids, cpu] = cli.split('|');
    assert.equal(name, 'st1');
    assert.match(mem ?? '', /^[\d.]+[KM]iB \/ 64MiB$/);
    assert.equal(pids, '1');
    assert.ok(Number.parseFloat(cpu ?? '0') > 10, `a busy loop shows CPU use (${cpu})`);
    await ok(e, ['run', '-d', '--name', 'st2', IMAGE, 'sleep', '1000']);
    const rows = (await ok(e, ['stats', '--no-stream', '--format', '{{.Name}}'])).split('\n').sort();
    assert.deepEqual(rows, ['st1', 'st2'], 'all running containers');
    await ok(e, ['stop', '-t', '0', 'st2']);
    const stopped = JSON.parse((await e.api('GET', '/containers/st2/stats?stream=0')).body) as Record<string, any>;
    assert.deepEqual(stopped['pids_stats'], {});
    assert.deepEqual(stopped['memory_stats'], {});
    await ok(e, ['rm', '-f', 'st1', 'st2']);
  });
});
