/**
 * The engine through dockerode (docker-modem: unversioned paths, options in
 * query and body, `true` booleans, its own hijack): containers, attach with
 * stdin, wait, demultiplexed logs, exec hijacked and not, events, images.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, type Duplex } from 'node:stream';
import Docker from 'dockerode';
import { buildBusyboxTar } from '../../../fixtures/busybox.js';
import type { TestEngine } from '../../../fixtures/engine.js';
import { closeAndCheck, IMAGE, skipReason, sleep, startE2eEngine, waitFor } from '../containers/e2e.js';

const skip = skipReason();

/** Collects a stream's bytes until it ends. */
async function drain(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

/** Splits a multiplexed stream with docker-modem's demuxer into stdout and stderr text. */
function demux(docker: Docker, stream: NodeJS.ReadableStream): { out: PassThrough; err: PassThrough; text: () => { stdout: string; stderr: string } } {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (b: Buffer) => (stdout += b.toString()));
  err.on('data', (b: Buffer) => (stderr += b.toString()));
  docker.modem.demuxStream(stream, out, err);
  return { out, err, text: () => ({ stdout, stderr }) };
}

describe('dockerode against the engine', { skip, timeout: 300_000 }, () => {
  let e: TestEngine;
  let docker: Docker;
  before(async () => {
    e = await startE2eEngine();
    docker = new Docker({ socketPath: e.socket });
  });
  after(() => closeAndCheck(e));

  test('ping and version: unversioned paths, API 1.41', async () => {
    assert.equal(String(await docker.ping()), 'OK');
    const v = await docker.version();
    assert.equal(v.ApiVersion, '1.41');
    assert.equal(v.MinAPIVersion, '1.24');
  });

  test('createContainer, attach (hijack, stdin) before start, wait, inspect, remove', async () => {
    const c = await docker.createContainer({ Image: IMAGE, name: 'dk-attach', Cmd: ['sh', '-c', 'read a; echo "out:$a"; echo "err:$a" >&2; exit 4'], OpenStdin: true, StdinOnce: true, AttachStdin: true, AttachStdout: true, AttachStderr: true });
    const stream = (await c.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as unknown as Duplex;
    const d = demux(docker, stream);
    // not-running (the default) would answer at once for a created container, as dockerd does
    assert.deepEqual(await c.wait(), { Error: null, StatusCode: 0 });
    const waited = c.wait({ condition: 'next-exit' });
    await c.start();
    stream.write('hello\n');
    stream.end();
    const result = (await waited) as { StatusCode: number; Error: unknown };
    assert.deepEqual(result, { Error: null, StatusCode: 4 });
    await waitFor('the output', () => d.text().stdout === 'out:hello\n' && d.text().stderr === 'err:hello\n');
    const info = await c.inspect();
    assert.equal(info.Name, '/dk-attach');
    assert.equal(info.State.Status, 'exited');
    assert.equal(info.State.ExitCode, 4);
    assert.equal(info.Config.OpenStdin, true);
    await c.remove();
    await assert.rejects(c.inspect(), (err: { statusCode?: number; json?: { message?: string } }) => err.statusCode === 404 && err.json?.message === 'No such container: ' + c.id);
  });

  test('a TTY container streams raw bytes; resize reaches it', async () => {
    // no ConsoleSize: the terminal's first size is the engine's business (dockerd's is 0x0); after a resize it is ours
    const c = await docker.createContainer({ Image: IMAGE, Cmd: ['sh', '-c', 'read x; stty size; echo err >&2'], Tty: true, OpenStdin: true, AttachStdin: true, AttachStdout: true });
    const stream = (await c.attach({ stream: true, stdin: true, stdout: true, hijack: true })) as unknown as Duplex;
    let raw = '';
    stream.on('data', (b: Buffer) => (raw += b.toString()));
    await c.start();
    await c.resize({ h: 25, w: 90 });
    await c.resize({ h: 33, w: 111 });
    await sleep(200);
    stream.write('go\r');
    await waitFor('the new size', () => /33 111\r\n/.test(raw));
    await waitFor('stderr merged into the one stream', () => raw.includes('err\r\n'));
    assert.ok(!raw.includes('\u0001\u0000\u0000\u0000'), 'no multiplexing headers with a TTY');
    await c.wait();
    await c.remove({ force: true });
  });

  test('logs: demultiplexed stdout and stderr, tail, timestamps, follow', async () => {
    const c = await docker.createContainer({ Image: IMAGE, name: 'dk-logs', Cmd: ['sh', '-c', 'echo one; sleep 0.05; echo two >&2; sleep 0.05; echo three'] });
    await c.start();
    await c.wait();
    const buf = (await c.logs({ stdout: true, stderr: true })) as unknown as Buffer;
    // non-TTY logs are framed: [stream, 0, 0, 0, size32be] + payload
    assert.equal(buf[0], 1);
    assert.equal(buf.readUInt32BE(4), 4);
    assert.equal(buf.subarray(8, 12).toString(), 'one\n');
    const d = demux(docker, (await c.logs({ stdout: true, stderr: true, follow: true })) as unknown as NodeJS.ReadableStream);
    await waitFor('all lines', () => d.text().stdout === 'one\nthree\n' && d.text().stderr === 'two\n');
    const tail = (await c.logs({ stdout: true, stderr: true, tail: 1, timestamps: true })) as unknown as Buffer;
    assert.match(tail.subarray(8).toString(), /^\d{4}-\d\d-\d\dT[\d:.]+Z three\n$/);
    await c.remove();
  });

  test('exec: hijacked start with stdin, non-hijacked start, detached; exit codes from inspect', async () => {
    const c = await docker.createContainer({ Image: IMAGE, name: 'dk-exec', Cmd: ['sleep', '1000'] });
    await c.start();
    const x1 = await c.exec({ Cmd: ['sh', '-c', 'read a; echo "got $a"; echo oops >&2; exit 3'], AttachStdin: true, AttachStdout: true, AttachStderr: true });
    const s1 = (await x1.start({ hijack: true, stdin: true })) as unknown as Duplex;
    const d1 = demux(docker, s1);
    s1.write('input\n');
    s1.end();
    await waitFor('the hijacked exec to finish', async () => (await x1.inspect()).ExitCode === 3);
    await waitFor('its output', () => d1.text().stdout === 'got input\n' && d1.text().stderr === 'oops\n');
    // without hijack: a plain 200 with the raw stream until the process ends
    const x2 = await c.exec({ Cmd: ['sh', '-c', 'echo plain; exit 5'], AttachStdout: true, AttachStderr: true });
    const s2 = (await x2.start({})) as unknown as NodeJS.ReadableStream;
    const d2 = demux(docker, s2);
    await new Promise((r) => s2.on('end', r));
    assert.equal(d2.text().stdout, 'plain\n');
    const i2 = await x2.inspect();
    assert.equal(i2.ExitCode, 5);
    assert.equal(i2.Running, false);
    assert.equal(i2.ContainerID, c.id);
    const x3 = await c.exec({ Cmd: ['sh', '-c', 'sleep 0.3; exit 6'] });
    await x3.start({ Detach: true });
    assert.equal((await x3.inspect()).Running, true);
    await waitFor('the detached exec', async () => (await x3.inspect()).ExitCode === 6);
    const x4 = await c.exec({ Cmd: ['tty'], Tty: true, AttachStdout: true });
    const s4 = (await x4.start({ hijack: true, stdin: false, Tty: true })) as unknown as Duplex;
    assert.equal((await drain(s4)).toString(), '/dev/pts/0\r\n');
    await c.remove({ force: true });
  });

  test('listContainers with filters (map form), all, and the summary shape', async () => {
    const a = await docker.createContainer({ Image: IMAGE, name: 'dk-l1', Cmd: ['sleep', '1000'], Labels: { suite: 'dockerode', role: 'a' } });
    await a.start();
    const b = await docker.createContainer({ Image: IMAGE, name: 'dk-l2', Cmd: ['true'], Labels: { suite: 'dockerode', role: 'b' } });
    const running = await docker.listContainers({ filters: { label: ['suite=dockerode'] } });
    assert.deepEqual(running.map((c) => c.Names[0]), ['/dk-l1']);
    const all = await docker.listContainers({ all: true, filters: { label: ['suite=dockerode'] } });
    assert.deepEqual(all.map((c) => c.Names[0]).sort(), ['/dk-l1', '/dk-l2']);
    const one = all.find((c) => c.Id === a.id)!;
    assert.equal(one.Image, IMAGE);
    assert.equal(one.State, 'running');
    assert.match(one.Status, /^Up /);
    assert.equal(one.Command, 'sleep 1000');
    assert.deepEqual(one.Labels, { suite: 'dockerode', role: 'a' });
    assert.equal(((await docker.listContainers({ all: true, filters: JSON.stringify({ status: { created: true } }) } as never)) as unknown as Docker.ContainerInfo[]).filter((c) => c.Id === b.id).length, 1);
    await a.remove({ force: true, v: true });
    await b.remove();
    assert.deepEqual(await docker.listContainers({ all: true, filters: { label: ['suite=dockerode'] } }), []);
  });

  test('getEvents streams container events as JSON lines', async () => {
    const events = (await docker.getEvents({ filters: { type: ['container'], event: ['start', 'die'] } })) as unknown as NodeJS.ReadableStream & { destroy(): void };
    const seen: { Action: string; Actor: { Attributes: Record<string, string> } }[] = [];
    let buf = '';
    events.on('data', (c: Buffer) => {
      buf += c.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (line) seen.push(JSON.parse(line) as (typeof seen)[number]);
      }
    });
    try {
      const c = await docker.createContainer({ Image: IMAGE, name: 'dk-ev', Cmd: ['sh', '-c', 'exit 2'] });
      await c.start();
      await c.wait();
      await waitFor('start and die', () => seen.length >= 2);
      assert.deepEqual(seen.map((x) => x.Action), ['start', 'die']);
      assert.equal(seen[1]?.Actor.Attributes['exitCode'], '2');
      assert.equal(seen[1]?.Actor.Attributes['name'], 'dk-ev');
      await c.remove();
    } finally {
      events.destroy();
    }
  });

  test('images: importImage, listImages, a container from the import, removal', async () => {
    const tar = join(e.dir, 'dk.tar');
    if (!existsSync(tar)) buildBusyboxTar(tar);
    const progress = (await drain((await docker.importImage(createReadStream(tar), { repo: 'dk/imported', tag: '1', changes: ['CMD ["echo", "from import"]'] } as never)) as unknown as NodeJS.ReadableStream)).toString();
    const id = (JSON.parse(progress.trim()) as { status: string }).status;
    assert.match(id, /^sha256:[0-9a-f]{64}$/);
    const list = await docker.listImages({ filters: { reference: ['dk/imported'] } });
    assert.deepEqual(list.map((i) => [i.Id, i.RepoTags]), [[id, ['dk/imported:1']]]);
    const c = await docker.createContainer({ Image: 'dk/imported:1' });
    const stream = (await c.attach({ stream: true, stdout: true, stderr: true })) as unknown as NodeJS.ReadableStream;
    const d = demux(docker, stream);
    await c.start();
    assert.equal(((await c.wait()) as { StatusCode: number }).StatusCode, 0);
    await waitFor('the output', () => d.text().stdout === 'from import\n');
    await assert.rejects(docker.getImage('dk/imported:1').remove(), (err: { statusCode?: number }) => err.statusCode === 409, 'in use by a container');
    await c.remove();
    const removed = await docker.getImage('dk/imported:1').remove();
    assert.deepEqual(removed[0], { Untagged: 'dk/imported:1' });
  });
});
