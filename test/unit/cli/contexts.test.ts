import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { imageRows } from '../../../src/cli/docker/format/image-context.js';
import { ContainerContext } from '../../../src/cli/docker/format/container-context.js';
import { StatsContext, toEntry, invalidEntry } from '../../../src/cli/docker/format/stats-context.js';
import { FrameParser } from '../../../src/cli/engine-client/stdcopy.js';
import { displayJsonMessages } from '../../../src/cli/docker/format/json-message.js';
import type { ImageSummary } from '../../../src/cli/engine-client/types.js';

const img = (over: Partial<ImageSummary>): ImageSummary => ({ Id: 'sha256:' + 'c'.repeat(64), ParentId: '', RepoTags: [], RepoDigests: [], Created: 0, Size: 1985581, SharedSize: -1, Labels: null, Containers: -1, ...over });
const opts = { trunc: true, digest: false, needDigest: false, now: 0 };

test('images: one row per repo:tag, <none> for dangling, digests only when asked', () => {
  const tagged = img({ RepoTags: ['busybox:a', 'busybox:b', 'localhost:5000/x:1'], RepoDigests: ['busybox@sha256:' + 'd'.repeat(64)] });
  assert.deepEqual(imageRows(tagged, opts).map((r) => `${r.Repository()}:${r.Tag()}@${r.Digest()}`), ['busybox:a@<none>', 'busybox:b@<none>', 'localhost:5000/x:1@<none>']);
  assert.deepEqual(imageRows(tagged, { ...opts, digest: true, needDigest: true }).map((r) => r.Digest().slice(0, 10)), ['sha256:ddd', 'sha256:ddd', '<none>']);
  assert.deepEqual(imageRows(img({}), opts).map((r) => [r.Repository(), r.Tag(), r.ID()]), [['<none>', '<none>', 'cccccccccccc']]);
  const digestOnly = img({ RepoDigests: ['busybox@sha256:' + 'd'.repeat(64)] });
  assert.deepEqual(imageRows(digestOnly, opts).map((r) => [r.Repository(), r.Tag(), r.Digest()]), [['busybox', '<none>', '']]);
  const row = imageRows(tagged, opts)[0]!;
  assert.equal(row.Size(), '1.99MB');
  assert.equal(row.VirtualSize(), '1.986MB');
  assert.equal(row.Containers(), 'N/A');
  assert.equal(row.goMarshalJSON().includes('"Digest":"\\u003cnone\\u003e"'), true);
});

test('ps rows: truncation, familiar image names, command quoting, names', () => {
  const c = new ContainerContext({ Id: 'f'.repeat(64), Names: ['/web', '/other/alias'], Image: 'docker.io/library/busybox:1@sha256:' + 'e'.repeat(64), ImageID: 'sha256:' + '1'.repeat(64), Command: 'sleep 100000000000000000000', Created: 0, Ports: [], Labels: { b: '2', a: '1' }, State: 'running', Status: 'Up 2 minutes', Mounts: [{ Name: '', Source: '/very/long/source/path', Driver: '' }, { Name: 'vol', Driver: 'local' }] }, true, 120_000);
  assert.equal(c.ID(), 'ffffffffffff');
  assert.equal(c.Names(), 'web');
  assert.equal(c.Image(), 'busybox:1');
  assert.equal(c.Command(), '"sleep 1000000000000…"');
  assert.equal(c.RunningFor(), '2 minutes ago');
  assert.equal(c.Labels(), 'a=1,b=2');
  assert.equal(c.Mounts(), '/very/long/sou…,vol');
  assert.equal(c.LocalVolumes(), '1');
  const full = new ContainerContext({ Id: 'f'.repeat(64), Names: ['/web', '/other/alias'], Image: 'sha256:' + '1'.repeat(64), ImageID: 'sha256:' + '1'.repeat(64), Command: 'x', Created: 0, Ports: null, Labels: null, State: 'exited', Status: 'Exited (0)' }, true);
  assert.equal(full.Image(), '111111111111');
  assert.equal(new ContainerContext({ Id: 'x', Names: ['/a', '/b/c'], Image: '', ImageID: '', Command: '', Created: 0, Ports: null, Labels: null, State: '', Status: '' }, false).Names(), 'a,b/c');
});

test('stats: the docker CLI arithmetic on a cgroup v1 sample', () => {
  const e = toEntry('c1', {
    name: '/c1',
    id: '3'.repeat(64),
    cpu_stats: { cpu_usage: { total_usage: 2_000_000_000 }, system_cpu_usage: 20_000_000_000, online_cpus: 2 },
    precpu_stats: { cpu_usage: { total_usage: 1_000_000_000 }, system_cpu_usage: 18_000_000_000 },
    memory_stats: { usage: 10 * 1024 * 1024, limit: 100 * 1024 * 1024, stats: { total_inactive_file: 2 * 1024 * 1024 } },
    blkio_stats: { io_service_bytes_recursive: [{ op: 'Read', value: 4096 }, { op: 'Write', value: 8192 }, { op: 'Total', value: 12288 }] },
    networks: { eth0: { rx_bytes: 1500, tx_bytes: 500 }, eth1: { rx_bytes: 500, tx_bytes: 0 } },
    pids_stats: { current: 3 },
  });
  const s = new StatsContext(e, true);
  assert.equal(s.CPUPerc(), '100.00%');
  assert.equal(s.MemUsage(), '8MiB / 100MiB');
  assert.equal(s.MemPerc(), '8.00%');
  assert.equal(s.NetIO(), '2kB / 500B');
  assert.equal(s.BlockIO(), '4.1kB / 8.19kB');
  assert.equal(s.PIDs(), '3');
  assert.equal(s.Name(), 'c1');
  assert.equal(s.ID(), '333333333333');
  const bad = new StatsContext(invalidEntry('x'), true);
  assert.deepEqual([bad.CPUPerc(), bad.MemUsage(), bad.Name(), bad.PIDs()], ['--', '-- / --', '--', '--']);
});

test('stream frames split across chunks', () => {
  const p = new FrameParser();
  const f = Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 0, 0, 3]), Buffer.from('abc'), Buffer.from([2, 0, 0, 0, 0, 0, 0, 1]), Buffer.from('z')]);
  assert.deepEqual(p.push(f.subarray(0, 5)), []);
  const frames = p.push(f.subarray(5));
  assert.deepEqual(frames.map((x) => [x.stream, x.payload.toString()]), [[1, 'abc'], [2, 'z']]);
});

test('progress messages: non-terminal output skips progress bars; errors end the stream', async () => {
  let out = '';
  const sink = { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream;
  const lines = ['{"status":"Pulling from library/x","id":"1"}', '{"status":"Downloading","progressDetail":{"current":5,"total":10},"progress":"[==>  ]","id":"l1"}', '{"status":"Pull complete","progressDetail":{},"id":"l1"}', '{"stream":"Loaded image: x:1\\n"}'];
  await displayJsonMessages(Readable.from([Buffer.from(lines.join('\n') + '\n')]), sink, { terminal: false });
  assert.equal(out, '1: Pulling from library/x\nl1: Pull complete\nLoaded image: x:1\n');
  await assert.rejects(displayJsonMessages(Readable.from([Buffer.from('{"errorDetail":{"message":"boom"},"error":"boom"}\n')]), sink, { terminal: false }), /boom/);
});
