/**
 * Bad input and failures: each gets Docker's status code and message and
 * leaves no half-made container, record, mount, cgroup or process. Also
 * the OCI runtime selection (crun cannot work on this kind of host).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestEngine } from '../../../fixtures/engine.js';
import { allIds, cgroupsUnder, closeAndCheck, IMAGE, inspect, mountsUnder, ok, rawRequest, skipReason, sleep, startE2eEngine, waitFor } from './e2e.js';

const skip = skipReason();
const CLI = fileURLToPath(new URL('../../../../src/cli/main.js', import.meta.url));

/** What a half-made container would leave: records, layers, mounts, cgroups. */
function footprint(e: TestEngine): string {
  const dir = (p: string): string[] => (existsSync(p) ? readdirSync(p).sort() : []);
  return JSON.stringify({
    records: dir(join(e.root, 'containers')),
    rootfs: dir(join(e.execRoot, 'rootfs')),
    // network namespaces come and go with the network service's pool of spare ones
    mounts: mountsUnder(e.dir).filter((m) => !m.includes('/exec/netns/')).sort(),
    cgroups: cgroupsUnder(e).sort(),
  });
}

describe('bad input and failures (API and docker CLI)', { skip, timeout: 300_000 }, () => {
  let e: TestEngine;
  before(async () => {
    e = await startE2eEngine();
    await ok(e, ['run', '-d', '--name', 'taken', IMAGE, 'sleep', '1000']);
  });
  after(() => closeAndCheck(e));

  /** Runs fn and checks that the engine's footprint did not change. */
  async function leavesNothing(what: string, fn: () => Promise<void>): Promise<void> {
    // the footprint once background releases of earlier removals are done
    let before = footprint(e);
    await waitFor('a settled engine', async () => {
      await sleep(300);
      const now = footprint(e);
      const same = now === before;
      before = now;
      return same;
    });
    const ids = (await allIds(e)).length;
    await fn();
    assert.equal((await allIds(e)).length, ids, `${what}: no container left`);
    // removals finish their release (task, rootfs, files) after answering: wait for it
    await waitFor(`${what} to leave no record, rootfs, mount or cgroup`, () => footprint(e) === before, 10_000).catch(() => {
      assert.equal(footprint(e), before, `${what}: no record, rootfs, mount or cgroup left`);
    });
  }

  test('create refusals: status, dockerd message, nothing made', async () => {
    const create = (body: unknown, query = '') => e.api('POST', `/containers/create${query}`, body);
    const cases: [string, Promise<{ status: number; body: string }>, number, string][] = [
      ['unknown image', create({ Image: 'nosuch:1' }), 404, 'No such image: nosuch:1'],
      ['no image', create({ Cmd: ['true'] }), 400, 'Config cannot be empty in order to create a container'],
      ['name in use', create({ Image: IMAGE }, '?name=taken'), 409, `Conflict. The container name "/taken" is already in use by container "${(await inspect(e, 'taken'))['Id']}". You have to remove (or rename) that container to be able to reuse that name.`],
      ['invalid name', create({ Image: IMAGE }, '?name=a%2Fb'), 400, 'Invalid container name (a/b), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed'],
      ['memory too low', create({ Image: IMAGE, HostConfig: { Memory: 1024 } }), 400, 'Minimum memory limit allowed is 6MB'],
      ['bad restart policy', create({ Image: IMAGE, HostConfig: { RestartPolicy: { Name: 'sometimes' } } }), 400, "invalid restart policy 'sometimes'"],
      ['retries without on-failure', create({ Image: IMAGE, HostConfig: { RestartPolicy: { Name: 'always', MaximumRetryCount: 2 } } }), 400, "maximum retry count cannot be used with restart policy 'always'"],
      ['autoremove with a policy', create({ Image: IMAGE, HostConfig: { AutoRemove: true, RestartPolicy: { Name: 'always' } } }), 400, "can't create 'AutoRemove' container with restart policy"],
      ['invalid stop signal', create({ Image: IMAGE, StopSignal: 'SIGFOO' }), 400, 'Invalid signal: SIGFOO'],
      ['unknown capability', create({ Image: IMAGE, HostConfig: { CapDrop: ['NOPE'] } }), 400, 'invalid CapDrop: unknown capability: "CAP_NOPE"'],
      ['unknown log driver', create({ Image: IMAGE, HostConfig: { LogConfig: { Type: 'syslogx' } } }), 400, "logger: no log driver named 'syslogx' is registered"],
      ['unknown runtime', create({ Image: IMAGE, HostConfig: { Runtime: 'kata' } }), 400, 'Unknown runtime specified kata'],
    ];
    await leavesNothing('create refusals', async () => {
      for (const [what, pending, status, message] of cases) {
        const r = await pending;
        assert.equal(r.status, status, `${what}: ${r.body}`);
        assert.deepEqual(JSON.parse(r.body), { message }, what);
      }
    });
  });

  test('bad port bindings: 400 with dockerd\'s message, nothing made', async () => {
    await leavesNothing('bad ports', async () => {
      for (const [bindings, message] of [
        [{ 'abc/tcp': [{ HostPort: '80' }] }, 'invalid port specification: "abc"'],
        [{ '80/tcp': [{ HostPort: '99999' }] }, 'invalid port specification: "99999"'],
      ] as const) {
        const r = await e.api('POST', '/containers/create', { Image: IMAGE, HostConfig: { PortBindings: bindings } });
        assert.equal(r.status, 400);
        assert.deepEqual(JSON.parse(r.body), { message });
      }
    });
  });

  test('malformed, empty, non-JSON and oversized bodies', async () => {
    await leavesNothing('bad bodies', async () => {
      const post = (body: string | Buffer, type = 'application/json') => rawRequest(e.socket, 'POST', '/v1.41/containers/create', { body, headers: { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)) } });
      const malformed = await post('{"Image": ');
      assert.equal(malformed.status, 400);
      assert.match(JSON.parse(malformed.body).message, /JSON/i);
      assert.equal((await post('')).status, 400);
      const wrongType = await post(JSON.stringify({ Image: IMAGE }), 'text/plain');
      assert.equal(wrongType.status, 400);
      assert.deepEqual(JSON.parse(wrongType.body), { message: "Content-Type specified (text/plain) must be 'application/json'" });
      const huge = Buffer.concat([Buffer.from('{"Image":"busybox:e2e","Labels":{"x":"'), Buffer.alloc(12 * 1024 * 1024, 'a'), Buffer.from('"}}')]);
      const big = await post(huge);
      assert.equal(big.status, 413, 'the client gets an answer');
      assert.match(JSON.parse(big.body).message, /too large/);
      assert.equal((await e.api('GET', '/_ping')).status, 200, 'the engine still answers');
    });
  });

  test('unknown endpoints, wrong methods and API versions', async () => {
    const nf = await e.api('GET', '/v1.41/nonexistent');
    assert.equal(nf.status, 404);
    assert.deepEqual(JSON.parse(nf.body), { message: 'page not found' });
    assert.equal((await e.api('PUT', '/containers/json')).status, 404, 'a known path with the wrong method');
    assert.equal((await e.api('POST', '/v1.41/containers/taken/frobnicate')).status, 404);
    const tooNew = await e.api('GET', '/v1.99/version');
    assert.equal(tooNew.status, 400);
    assert.deepEqual(JSON.parse(tooNew.body), { message: 'client version 1.99 is too new. Maximum supported API version is 1.41' });
    const tooOld = await e.api('GET', '/v1.11/version');
    assert.equal(tooOld.status, 400);
    assert.match(String(tooOld.headers['content-type']), /^text\/plain/);
    assert.equal(tooOld.body, 'client version 1.11 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version');
    for (const v of ['', '/v1.24', '/v1.41']) assert.equal((await e.api('GET', `${v}/containers/taken/json`)).status, 200, `version prefix '${v}'`);
    const cli = await e.docker(['version'], { env: { DOCKER_API_VERSION: '1.99' } });
    assert.notEqual(cli.code, 0);
    assert.match(cli.stderr, /client version 1\.99 is too new/);
    const missing = await e.api('GET', '/containers/nosuch/json');
    assert.equal(missing.status, 404);
    assert.deepEqual(JSON.parse(missing.body), { message: 'No such container: nosuch' });
  });

  test('operations on the wrong state: 409/304 with dockerd messages', async () => {
    const id = (await inspect(e, 'taken'))['Id'] as string;
    const rm = await e.api('DELETE', '/containers/taken');
    assert.equal(rm.status, 409);
    assert.deepEqual(JSON.parse(rm.body), { message: `You cannot remove a running container ${id}. Stop the container before attempting removal or force remove` });
    assert.equal((await e.api('POST', '/containers/taken/start')).status, 304);
    const sig = await e.api('POST', '/containers/taken/kill?signal=SIGNOPE');
    assert.equal(sig.status, 400);
    assert.deepEqual(JSON.parse(sig.body), { message: 'Invalid signal: SIGNOPE' });
    await ok(e, ['create', '--name', 'idle', IMAGE, 'true']);
    const idleId = (await inspect(e, 'idle'))['Id'] as string;
    for (const [path, message] of [
      ['/containers/idle/kill', `Container ${idleId} is not running`],
      ['/containers/idle/pause', `Container ${idleId} is not running`],
      ['/containers/idle/unpause', `Container ${idleId} is not paused`],
    ] as const) {
      const r = await e.api('POST', path);
      assert.equal(r.status, 409, path);
      assert.deepEqual(JSON.parse(r.body), { message }, path);
    }
    assert.equal((await e.api('POST', '/containers/idle/stop')).status, 304);
    const exec = await e.api('POST', '/containers/idle/exec', { Cmd: ['true'] });
    assert.equal(exec.status, 409);
    const resize = await e.api('POST', '/containers/idle/resize?h=10&w=10');
    assert.equal(resize.status, 409);
    await ok(e, ['rm', 'idle']);
  });

  test('a start that fails (bad user, missing command, bad working dir) leaves the container created and nothing running', async () => {
    await leavesNothing('failed starts', async () => {
      for (const [flags, code] of [
        [['-u', 'ghost'], 125],
        [['-w', '/etc/passwd'], 125],
        [['--entrypoint', '/missing'], 127],
      ] as const) {
        const r = await e.docker(['run', '--name', 'fs1', ...flags, IMAGE]);
        assert.equal(r.code, code, `${flags.join(' ')}: ${r.stderr}`);
        const st = (await inspect(e, 'fs1'))['State'];
        assert.equal(st.Status, 'created');
        assert.ok(st.Error.length > 0);
        assert.equal(st.Pid, 0);
        await ok(e, ['rm', 'fs1']);
      }
    });
  });

  test('runtime selection: runc by default, crun refused with the reason, docker info tells', async () => {
    const info = JSON.parse(await ok(e, ['info', '--format', '{{json .}}'])) as Record<string, any>;
    assert.equal(info['DefaultRuntime'], 'runc');
    assert.deepEqual(Object.keys(info['Runtimes']), ['runc'], 'only usable runtimes are offered');
    assert.equal(await ok(e, ['run', '--rm', '--runtime', 'runc', IMAGE, 'echo', 'runc works']), 'runc works');
    const crunInstalled = existsSync('/usr/bin/crun');
    await leavesNothing('crun', async () => {
      const r = await e.docker(['run', '--rm', '--runtime', 'crun', IMAGE, 'true']);
      assert.equal(r.code, 125);
      const first = r.stderr.split('\n')[0] ?? '';
      if (crunInstalled) assert.match(first, /^docker: Error response from daemon: Unknown runtime specified crun: crun is installed but not usable on this host: .*cgroup/);
      else assert.equal(first, 'docker: Error response from daemon: Unknown runtime specified crun');
    });
    if (!crunInstalled) return;
    // a daemon asked to default to crun refuses to start and says why
    const dir = mkdtempSync(join(tmpdir(), 'berth-crun-'));
    try {
      const tag = Math.random().toString(36).slice(2, 8);
      const r = spawnSync(process.execPath, [CLI, 'daemon', '--root', join(dir, 'root'), '--exec-root', join(dir, 'exec'), '--host', `unix://${join(dir, 's.sock')}`, '--cgroup-parent', `/berth-test-${tag}`, '--bridge-name', `bt${tag}`, '--default-runtime', 'crun'], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /default runtime crun is not usable: .*cgroup/);
      assert.ok(!existsSync(join(dir, 's.sock')), 'no socket left');
      assert.deepEqual(mountsUnder(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
