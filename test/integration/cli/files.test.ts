/**
 * cp, save, load, import, tag, rmi and pull, side by side with the docker
 * CLI: the same files on both sides of a copy, the same archives, the same
 * messages; pull from a local registry (Debian's docker-registry).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { agree, IMAGE, skipReason, startCliDaemon, type CliDaemon } from './cli-daemon.js';

const skip = skipReason();
let d: CliDaemon;

before(async () => {
  if (!skip) d = await startCliDaemon();
});
after(async () => {
  await d?.close();
});

/**
 * A listing of a tree with modes, sizes and mtimes, for comparing copies. The
 * top directory is left out: its mtime is when the last copy landed in it,
 * which differs between the two containers by the time the copies took.
 */
async function treeInContainer(name: string, path: string): Promise<string> {
  const r = await d.docker(['exec', name, 'sh', '-c', `find ${path} -mindepth 1 -exec stat -c '%n %a %s %Y %F' {} \\; | sort`]);
  return r.stdout;
}

function localTree(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    const st = lstatSync(p);
    out.push(`${p.slice(base.length)} ${(st.mode & 0o7777).toString(8)} ${st.isDirectory() ? '-' : st.size} ${Math.floor(st.mtimeMs / 1000)}`);
    if (st.isDirectory()) out.push(...localTree(p, base));
  }
  return out;
}


test('cp in both directions gives the same result as docker cp', { skip }, async () => {
  const src = join(d.dir, 'src');
  mkdirSync(join(src, 'dir', 'sub'), { recursive: true });
  writeFileSync(join(src, 'f.txt'), 'hello\n', { mode: 0o640 });
  writeFileSync(join(src, 'dir', 'a.txt'), 'a');
  writeFileSync(join(src, 'dir', 'sub', 'b.sh'), '#!/bin/sh\n', { mode: 0o755 });
  symlinkSync('a.txt', join(src, 'dir', 'link'));
  for (const n of ['cp-b', 'cp-d']) assert.equal((await d.docker(['run', '-d', '--name', n, IMAGE, 'sleep', '1000'])).code, 0);
  const cases: string[][] = [
    ['f.txt', 'C:/tmp/'],
    ['f.txt', 'C:/tmp/renamed.txt'],
    ['dir', 'C:/tmp/'],
    ['dir', 'C:/tmp/newdir'],
    ['dir/.', 'C:/tmp/contents'],
    ['f.txt', 'C:/nonexist/x'],
    ['f.txt', 'C:/tmp/nodir/'],
    ['dir', 'C:/tmp/renamed.txt'],
    ['nosuch', 'C:/tmp/'],
    ['C:/tmp/f.txt', 'OUT/one.txt'],
    ['C:/tmp/dir', 'OUT/dir'],
    ['C:/tmp/dir/.', 'OUT/dir2'],
    ['C:/tmp/dir', 'OUT/dir'],
    ['C:/nonexist', 'OUT/x'],
    ['C:/tmp/f.txt', '/nonexist/dir/x'],
    ['C:/tmp/dir', 'OUT/one.txt'],
    ['a', 'b'],
    ['C:/a', 'C:/b'],
  ];
  mkdirSync(join(d.dir, 'out-b'));
  mkdirSync(join(d.dir, 'out-d'));
  for (const c of cases) {
    const argsFor = (who: 'b' | 'd'): string[] => ['cp', ...c.map((a) => a.replace(/^C:/, `cp-${who}:`).replace(/^OUT/, join(d.dir, `out-${who}`)))];
    const b = await d.berth(argsFor('b'), { cwd: src });
    const k = await d.docker(argsFor('d'), { cwd: src });
    const norm = (s: string): string => s.replace(/cp-[bd]/g, 'C').replace(/out-[bd]/g, 'OUT').split('\n').filter((l) => !l.includes('level=error')).join('\n');
    assert.equal(norm(b.stderr), norm(k.stderr), `stderr of cp ${c.join(' ')}`);
    assert.equal(b.code, k.code, `exit code of cp ${c.join(' ')}`);
  }
  assert.equal(await treeInContainer('cp-b', '/tmp'), await treeInContainer('cp-d', '/tmp'));
  assert.deepEqual(localTree(join(d.dir, 'out-b')), localTree(join(d.dir, 'out-d')));
  const tarB = await d.berth(['cp', 'cp-b:/tmp/dir', '-']);
  const tarD = await d.docker(['cp', 'cp-d:/tmp/dir', '-']);
  assert.equal(tarB.stdout.length, tarD.stdout.length);
  assert.ok(tarB.stdout.length > 1024);
  const fromStdin = await d.berth(['cp', '-', 'cp-b:/tmp'], { input: Buffer.from(tarD.stdout, 'latin1') });
  assert.equal(fromStdin.code, 0, fromStdin.stderr);
  assert.equal((await d.docker(['exec', 'cp-b', 'cat', '/tmp/dir/sub/b.sh'])).stdout, '#!/bin/sh\n');
});

test('save, load, import, tag and rmi', { skip }, async () => {
  const fb = join(d.dir, 'b.tar');
  const fd = join(d.dir, 'd.tar');
  let r = await d.both(['save', '-o', fb, IMAGE]);
  await d.docker(['save', '-o', fd, IMAGE]);
  assert.equal(r.berth.code, 0, r.berth.stderr);
  assert.ok(readFileSync(fb).equals(readFileSync(fd)), 'the same archive');
  const toStdout = await d.berth(['save', IMAGE]);
  assert.ok(Buffer.from(toStdout.stdout, 'latin1').equals(readFileSync(fd)));
  for (const args of [['save', '-o', '/nonexist/x.tar', IMAGE], ['save', 'nosuch:1'], ['load', '-i', fd], ['load', '-q', '-i', fd], ['load', '-i', '/nonexist'], ['tag', IMAGE, 'tagged:1'], ['tag', 'nosuch', 'x'], ['tag', IMAGE, 'Bad'], ['rmi', 'nosuch'], ['rmi', '-f', 'nosuch']]) {
    r = await d.both(args);
    assert.equal(r.berth.stdout, r.docker.stdout, `stdout of ${args.join(' ')}`);
    assert.equal(r.berth.stderr, r.docker.stderr, `stderr of ${args.join(' ')}`);
    assert.equal(r.berth.code, r.docker.code, `exit code of ${args.join(' ')}`);
  }
  r = await d.both(['load'], { input: readFileSync(fd) });
  assert.equal(r.berth.stdout, r.docker.stdout);
  const rmiB = await d.berth(['rmi', 'tagged:1']);
  assert.equal(rmiB.stdout, 'Untagged: tagged:1\n');
  const busybox = join(d.dir, 'rootfs.tar');
  await d.docker(['export', '-o', busybox, (await d.docker(['create', IMAGE])).stdout.trim()]);
  const ib = await d.berth(['import', '-c', 'CMD ["/bin/sh"]', '-c', 'ENV A=1', '-m', 'msg', busybox, 'imported:b']);
  assert.equal(ib.code, 0, ib.stderr);
  assert.match(ib.stdout, /^sha256:[0-9a-f]{64}\n$/);
  const is = await d.berth(['import', '-', 'imported:s'], { input: readFileSync(busybox) });
  assert.equal(is.code, 0, is.stderr);
  const info = await d.docker(['inspect', '-f', '{{.Comment}}|{{.Config.Cmd}}|{{.Config.Env}}', 'imported:b']);
  assert.equal(info.stdout, 'msg|[/bin/sh]|[A=1]\n');
  const none = await d.both(['import', '/nonexist']);
  assert.equal(none.berth.stderr, none.docker.stderr);
  assert.equal(none.berth.code, none.docker.code);
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

test('pull from a local registry prints what docker pull prints', { skip: skip ?? (existsSync('/usr/bin/docker-registry') ? undefined : 'docker-registry not installed') }, async () => {
  const port = await freePort();
  const root = join(d.dir, 'registry');
  mkdirSync(root);
  writeFileSync(join(root, 'config.yml'), `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${root}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  const registry: ChildProcess = spawn('/usr/bin/docker-registry', ['serve', join(root, 'config.yml')], { stdio: 'ignore' });
  try {
    const ref = `127.0.0.1:${port}/bb`;
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(`http://127.0.0.1:${port}/v2/`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal((await d.docker(['tag', IMAGE, `${ref}:1`])).code, 0);
    const push = await d.docker(['push', `${ref}:1`]);
    assert.equal(push.code, 0, push.stderr);
    const fresh = async (): Promise<void> => {
      await d.docker(['rmi', `${ref}:1`]);
    };
    for (const args of [['pull', `${ref}:1`], ['pull', '-q', `${ref}:1`], ['pull', `${ref}:nosuch`], ['pull', ref], ['pull', '-a', ref], ['pull', 'Bad/Name']]) {
      await fresh();
      const k = await agree(d, args, 1);
      await fresh();
      const b = await d.berth(args);
      assert.equal(b.stdout, k.docker.stdout, `stdout of ${args.join(' ')}`);
      assert.equal(b.stderr, k.docker.stderr, `stderr of ${args.join(' ')}`);
      assert.equal(b.code, k.docker.code, `exit code of ${args.join(' ')}`);
    }
    const run = await d.berth(['run', '--rm', `${ref}:1`, 'echo', 'pulled-and-ran']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'pulled-and-ran\n');
  } finally {
    registry.kill('SIGKILL');
  }
});
