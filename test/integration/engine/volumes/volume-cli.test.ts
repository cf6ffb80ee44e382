/**
 * The real docker CLI against Berth's volume routes (no containers, no root):
 * what it prints must be what it prints against dockerd 20.10 (recorded).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { VolumeService } from '../../../../src/engine/volumes/index.js';
import { FakeKernel, tempDir } from '../../../unit/engine/volumes/fakes.js';
import { startVolumeApi } from '../../../unit/engine/volumes/api-server.js';

const DOCKER = '/usr/local/bin/docker';

function docker(host: string, configDir: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(DOCKER, args, { env: { ...process.env, DOCKER_HOST: `unix://${host}`, DOCKER_CONFIG: configDir } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, out: stdout + stderr });
    });
  });
}

test('docker volume create/ls/inspect/rm/prune print what they print against dockerd', { skip: existsSync(DOCKER) ? false : 'docker CLI not installed' }, async () => {
  const { dir, cleanup } = await tempDir('cli');
  const service = new VolumeService({ root: dir, kernel: new FakeKernel() });
  await service.init();
  service.useReferences({ usedBy: (n) => (n === 'busyvol' ? ['ea686b0a664b4a7742f189948447942094868cc18b6cf41fb630f07da4a9c2c7'] : []), mountedBy: () => [] });
  const api = await startVolumeApi(dir, service);
  const cfg = join(dir, 'docker-config');
  const run = (...args: string[]): Promise<{ code: number; out: string }> => docker(api.socket, cfg, args);
  try {
    const expect: [string[], number, string][] = [
      [['volume', 'create', '--label', 'a=b', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=10m', 'clitv'], 0, 'clitv\n'],
      [['volume', 'create', 'x'], 1, 'Error response from daemon: create x: volume name is too short, names should be at least two alphanumeric characters\n'],
      [['volume', 'create', '-o', 'foo=bar', 'clix2'], 1, 'Error response from daemon: create clix2: invalid option: "foo"\n'],
      [['volume', 'create', '-d', 'nodrv', 'clix3'], 1, 'Error response from daemon: create clix3: error looking up volume plugin nodrv: plugin "nodrv" not found\n'],
      [['volume', 'inspect', 'nope'], 1, '[]\nError response from daemon: get nope: no such volume\n'],
      [['volume', 'rm', 'nope'], 1, 'Error response from daemon: get nope: no such volume\n'],
      [['volume', 'rm', '-f', 'nope'], 0, 'nope\n'],
      [['volume', 'ls', '--filter', 'foo=bar'], 1, "Error response from daemon: Invalid filter 'foo'\n"],
      [['volume', 'ls', '--filter', 'dangling=maybe'], 1, "Error response from daemon: Invalid filter 'dangling=[maybe]'\n"],
      [['volume', 'prune', '-f', '--filter', 'label=zzz'], 0, 'Total reclaimed space: 0B\n'],
      [['volume', 'prune', '-f', '--filter', 'all=1'], 1, "Error response from daemon: Invalid filter 'all'\n"],
      [['volume', 'create', 'busyvol'], 0, 'busyvol\n'],
      [['volume', 'rm', 'busyvol'], 1, 'Error response from daemon: remove busyvol: volume is in use - [ea686b0a664b4a7742f189948447942094868cc18b6cf41fb630f07da4a9c2c7]\n'],
      [['volume', 'ls'], 0, 'DRIVER    VOLUME NAME\nlocal     busyvol\nlocal     clitv\n'],
      [['volume', 'ls', '-q', '--filter', 'label=a=b'], 0, 'clitv\n'],
      [['volume', 'inspect', '--format', '{{.Name}} {{.Driver}} {{.Scope}} {{json .Labels}} {{json .Options}}', 'clitv'], 0, 'clitv local local {"a":"b"} {"device":"tmpfs","o":"size=10m","type":"tmpfs"}\n'],
      [['volume', 'inspect', '--format', '{{.Mountpoint}}', 'busyvol'], 0, `${join(dir, 'volumes', 'busyvol', '_data')}\n`],
    ];
    for (const [args, code, out] of expect) {
      const r = await run(...args);
      assert.deepEqual([r.code, r.out], [code, out], `docker ${args.join(' ')}`);
    }
    // Volumes with options are never pruned (they may point at host data); unused plain ones are.
    await run('volume', 'create', 'plain1');
    const pruned = await run('volume', 'prune', '-f');
    assert.deepEqual([pruned.code, pruned.out], [0, 'Deleted Volumes:\nplain1\n\nTotal reclaimed space: 0B\n']);
    assert.equal((await run('volume', 'rm', 'clitv')).out, 'clitv\n');
  } finally {
    await api.close();
    await cleanup();
  }
});
