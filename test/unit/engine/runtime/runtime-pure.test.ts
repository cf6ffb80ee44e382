import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSignal, signalName } from '../../../../src/platform/linux/signals.js';
import { resolveCapabilities, DEFAULT_CAPABILITIES, normalizeCapabilities } from '../../../../src/engine/runtime/capabilities.js';
import { resolveUser } from '../../../../src/engine/runtime/resolve-user.js';
import { parsePsOutput } from '../../../../src/engine/runtime/top.js';
import { encodeFrame, Frame, FrameDecoder } from '../../../../src/engine/runtime/monitor/protocol.js';
import { parseCgroupMounts } from '../../../../src/platform/linux/cgroups.js';
import { parseBlkio, parseKv } from '../../../../src/platform/linux/cgroup-stats.js';
import { mergeEnv } from '../../../../src/engine/runtime/task-exec.js';

test('parseSignal accepts names, SIG prefix, numbers and RT offsets like Docker', () => {
  assert.equal(parseSignal('SIGTERM'), 15);
  assert.equal(parseSignal('term'), 15);
  assert.equal(parseSignal('KILL'), 9);
  assert.equal(parseSignal(10), 10);
  assert.equal(parseSignal('28'), 28);
  assert.equal(parseSignal('RTMIN+2'), 36);
  assert.equal(parseSignal('SIGRTMAX-1'), 63);
  assert.throws(() => parseSignal('NOPE'), /Invalid signal: NOPE/);
  assert.throws(() => parseSignal(0), /Invalid signal/);
  assert.throws(() => parseSignal('65'), /Invalid signal/);
  assert.equal(signalName(9), 'SIGKILL');
});

test('capabilities: Docker default set, add/drop, ALL, privileged', () => {
  assert.deepEqual(resolveCapabilities({}), [...DEFAULT_CAPABILITIES]);
  const c = resolveCapabilities({ capAdd: ['net_admin'], capDrop: ['CAP_CHOWN', 'kill'] });
  assert.ok(c.includes('CAP_NET_ADMIN'));
  assert.ok(!c.includes('CAP_CHOWN') && !c.includes('CAP_KILL'));
  assert.deepEqual(resolveCapabilities({ capDrop: ['ALL'], capAdd: ['CAP_NET_RAW'] }), ['CAP_NET_RAW']);
  const all = resolveCapabilities({ capAdd: ['ALL'], capDrop: ['SYS_ADMIN'], lastCap: 40 });
  assert.equal(all.length, 40);
  assert.ok(!all.includes('CAP_SYS_ADMIN'));
  assert.equal(resolveCapabilities({ privileged: true, lastCap: 37 }).length, 38);
  assert.throws(() => normalizeCapabilities(['CAP_FLY']), /unknown capability: "CAP_FLY"/);
});

test('resolveUser reads the rootfs passwd and group files like libcontainer', async () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-user-'));
  try {
    mkdirSync(join(root, 'etc'));
    writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n');
    writeFileSync(join(root, 'etc/group'), 'root:x:0:\nalice:x:1000:\nwheel:x:10:alice,bob\naudio:x:29:alice\n');
    assert.deepEqual(await resolveUser(root, ''), { uid: 0, gid: 0, additionalGids: [], home: '/root' });
    assert.deepEqual(await resolveUser(root, 'alice'), { uid: 1000, gid: 1000, additionalGids: [10, 29], home: '/home/alice' });
    assert.deepEqual(await resolveUser(root, 'alice:wheel'), { uid: 1000, gid: 10, additionalGids: [], home: '/home/alice' });
    assert.deepEqual(await resolveUser(root, '4242'), { uid: 4242, gid: 0, additionalGids: [] });
    assert.deepEqual(await resolveUser(root, '4242:77'), { uid: 4242, gid: 77, additionalGids: [] });
    assert.deepEqual((await resolveUser(root, 'root', ['audio', '500'])).additionalGids, [29, 500]);
    await assert.rejects(resolveUser(root, 'bob'), /unable to find user bob: no matching entries in passwd file/);
    await assert.rejects(resolveUser(root, 'alice:nogroup'), /unable to find group nogroup/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('top keeps only the task pids and the command with its spaces', () => {
  const out = 'UID PID PPID C STIME TTY TIME CMD\nroot 1 0 0 10:00 ? 00:00:00 /sbin/init splash\nroot 42 1 0 10:01 ? 00:00:00 sleep 100\n';
  assert.deepEqual(parsePsOutput(out, [42]), {
    Titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'],
    Processes: [['root', '42', '1', '0', '10:01', '?', '00:00:00', 'sleep 100']],
  });
  assert.throws(() => parsePsOutput('USER CMD\n', [1]), /Couldn't find PID field/);
});

test('monitor frames survive arbitrary chunking', () => {
  const frames = Buffer.concat([encodeFrame(Frame.Json, { op: 'attach' }), encodeFrame(Frame.Stdout, Buffer.from('hello')), encodeFrame(Frame.StdinEof, Buffer.alloc(0))]);
  const dec = new FrameDecoder();
  const got: Array<[number, string]> = [];
  for (let i = 0; i < frames.length; i += 3) for (const f of dec.push(frames.subarray(i, i + 3))) got.push([f.kind, f.payload.toString()]);
  assert.deepEqual(got, [[Frame.Json, '{"op":"attach"}'], [Frame.Stdout, 'hello'], [Frame.StdinEof, '']]);
});

test('cgroup layout: hybrid hosts with separate cpu and cpuacct mounts', () => {
  const mi = [
    '30 25 0:26 / /sys/fs/cgroup/cpu rw,relatime shared:9 - cgroup cgroup rw,cpu',
    '31 25 0:27 / /sys/fs/cgroup/cpuacct rw,relatime shared:10 - cgroup cgroup rw,cpuacct',
    '32 25 0:28 / /sys/fs/cgroup/memory rw,relatime shared:11 - cgroup cgroup rw,memory',
    '33 25 0:29 / /sys/fs/cgroup/systemd rw,relatime shared:12 - cgroup cgroup rw,name=systemd',
    '34 25 0:30 / /sys/fs/cgroup/unified rw,relatime shared:13 - cgroup2 cgroup2 rw',
  ].join('\n');
  const l = parseCgroupMounts(mi);
  assert.equal(l.mode, 'hybrid');
  assert.equal(l.v1.get('cpuacct'), '/sys/fs/cgroup/cpuacct');
  assert.equal(l.v1.get('name=systemd'), '/sys/fs/cgroup/systemd');
  assert.equal(l.unified, '/sys/fs/cgroup/unified');
  assert.equal(parseCgroupMounts('1 0 0:1 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw').mode, 'v2');
});

test('blkio and key/value stat parsing', () => {
  assert.deepEqual(parseBlkio('8:0 Read 4096\n8:0 Write 0\nTotal 4096\n'), [
    { major: 8, minor: 0, op: 'Read', value: 4096 },
    { major: 8, minor: 0, op: 'Write', value: 0 },
  ]);
  assert.deepEqual(parseKv('cache 10\nrss 20\n'), { cache: 10, rss: 20 });
});

test('exec env overrides the task env by key', () => {
  assert.deepEqual(mergeEnv(['PATH=/bin', 'A=1'], ['A=2', 'B=3']), ['PATH=/bin', 'A=2', 'B=3']);
});
