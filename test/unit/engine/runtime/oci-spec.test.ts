import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildOciSpec, INIT_PATH } from '../../../../src/engine/runtime/oci-spec.js';
import { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS } from '../../../../src/engine/runtime/oci-defaults.js';
import type { TaskSpec } from '../../../../src/engine/runtime/index.js';

const base: TaskSpec = { id: 't1', rootfsMounts: [], process: { args: ['sh'], env: ['PATH=/bin'] } };
const ctx = { user: { uid: 0, gid: 0 }, cgroupsPath: '/berth/t1', lastCap: 40 };

test('defaults match Docker: namespaces, mounts, masked and read-only paths, caps', () => {
  const s = buildOciSpec(base, ctx);
  assert.deepEqual(s.linux.namespaces.map((n) => n.type), ['mount', 'pid', 'ipc', 'network', 'uts']);
  assert.deepEqual(s.mounts.map((m) => m.destination), ['/proc', '/dev', '/dev/pts', '/sys', '/sys/fs/cgroup', '/dev/mqueue', '/dev/shm']);
  assert.ok(s.mounts.find((m) => m.destination === '/sys')?.options?.includes('ro'));
  assert.ok(s.mounts.find((m) => m.destination === '/dev/shm')?.options?.includes('size=67108864'));
  assert.deepEqual(s.linux.maskedPaths, DEFAULT_MASKED_PATHS);
  assert.deepEqual(s.linux.readonlyPaths, DEFAULT_READONLY_PATHS);
  assert.equal(s.process.capabilities.bounding.length, 14);
  assert.equal(s.process.cwd, '/');
  assert.equal(s.root.path, 'rootfs');
  assert.equal(s.linux.cgroupsPath, '/berth/t1');
  assert.deepEqual(s.linux.resources.devices[0], { allow: false, access: 'rwm' });
});

test('privileged: all caps, no masking, sysfs rw, all devices allowed', () => {
  const s = buildOciSpec({ ...base, privileged: true }, { ...ctx, hostDevices: [{ path: '/dev/loop0', type: 'b', major: 7, minor: 0, fileMode: 0o660, uid: 0, gid: 6 }] });
  assert.equal(s.process.capabilities.bounding.length, 41);
  assert.deepEqual(s.linux.maskedPaths, []);
  assert.deepEqual(s.linux.readonlyPaths, []);
  assert.ok(!s.mounts.find((m) => m.destination === '/sys')?.options?.includes('ro'));
  assert.deepEqual(s.linux.resources.devices, [{ allow: true, access: 'rwm' }]);
  assert.equal(s.linux.devices[0]?.path, '/dev/loop0');
});

test('init, host namespaces, caller mounts replacing defaults, resources', () => {
  const s = buildOciSpec(
    {
      ...base,
      init: true,
      hostname: 'box',
      readonlyRootfs: true,
      shmSize: 1024,
      namespaces: { network: 'host', pid: { path: '/proc/9/ns/pid' } },
      mounts: [
        { destination: '/data/sub', type: 'bind', source: '/tmp/a', options: ['rbind'] },
        { destination: '/data', type: 'tmpfs', source: 'tmpfs' },
        { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['size=1k'] },
      ],
      resources: { memory: 1 << 20, memorySwap: 2 << 20, nanoCpus: 1.5e9, cpuShares: 512, pidsLimit: 50, cpusetCpus: '0', blkioWeight: 300 },
      sysctls: { 'net.ipv4.ip_forward': '1' },
    },
    { ...ctx, initBinary: '/usr/bin/tini-static', namespacePaths: { network: 'host', pid: '/proc/9/ns/pid' } },
  );
  assert.deepEqual(s.process.args, [INIT_PATH, '--', 'sh']);
  assert.ok(s.mounts.some((m) => m.destination === INIT_PATH && m.source === '/usr/bin/tini-static'));
  assert.equal(s.mounts.filter((m) => m.destination === '/dev/shm').length, 1);
  const dests = s.mounts.map((m) => m.destination);
  assert.ok(dests.indexOf('/data') < dests.indexOf('/data/sub'), 'parents mount first');
  assert.deepEqual(s.linux.namespaces, [{ type: 'mount' }, { type: 'pid', path: '/proc/9/ns/pid' }, { type: 'ipc' }, { type: 'uts' }]);
  assert.equal(s.hostname, 'box');
  assert.equal(s.root.readonly, true);
  assert.deepEqual(s.linux.resources['memory'], { limit: 1 << 20, swap: 2 << 20 });
  assert.deepEqual(s.linux.resources['cpu'], { shares: 512, period: 100000, quota: 150000, cpus: '0' });
  assert.deepEqual(s.linux.resources['pids'], { limit: 50 });
  assert.equal(s.linux.resources['blockIO'], undefined, 'dropped without kernel support');
  assert.deepEqual(s.linux.sysctl, { 'net.ipv4.ip_forward': '1' });
});

test('terminal size, rlimits, user and no-new-privileges reach the process', () => {
  const s = buildOciSpec(
    { ...base, process: { ...base.process, terminal: true, consoleSize: { rows: 30, cols: 100 }, rlimits: [{ type: 'nofile', soft: 10, hard: 20 }], noNewPrivileges: true, oomScoreAdj: 100, capDrop: ['ALL'] } },
    { ...ctx, user: { uid: 5, gid: 6, additionalGids: [7] } },
  );
  assert.deepEqual(s.process.consoleSize, { height: 30, width: 100 });
  assert.deepEqual(s.process.rlimits, [{ type: 'RLIMIT_NOFILE', soft: 10, hard: 20 }]);
  assert.deepEqual(s.process.user, { uid: 5, gid: 6, additionalGids: [7] });
  assert.equal(s.process.noNewPrivileges, true);
  assert.equal(s.process.oomScoreAdj, 100);
  assert.deepEqual(s.process.capabilities.bounding, []);
});
