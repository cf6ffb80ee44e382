import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBusyboxTar, busyboxAvailable } from '../../../fixtures/busybox.js';
import { DOCKER, startImagesHarness, type ImagesHarness } from './harness.js';
import { freePort, registryAvailable, startRegistry, type RegistryFixture } from './registry-fixture.js';

const skip =
  process.getuid?.() !== 0 ? 'needs root (layer unpacking)'
  : !existsSync(DOCKER) ? 'docker CLI missing'
  : !registryAvailable() ? 'docker-registry (Debian) missing'
  : !busyboxAvailable() ? 'busybox-static missing'
  : false;

const authHeader = (user: string, password: string): string => Buffer.from(JSON.stringify({ username: user, password })).toString('base64url');

function lines(body: Buffer): Record<string, unknown>[] {
  return body.toString().trim().split(/\r?\n/).filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('pull and push against docker-registry 2.8', { skip }, () => {
  let h: ImagesHarness;
  let work: string;
  let tarPath: string;
  const registries: RegistryFixture[] = [];
  let tokenServer: Server | undefined;

  const ok = async (args: string[]): Promise<string> => {
    const r = await h.docker(args);
    assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-registry-'));
    tarPath = join(work, 'bb.tar');
    buildBusyboxTar(tarPath);
    h = await startImagesHarness();
  });
  after(async () => {
    for (const r of registries) await r.stop();
    await new Promise<void>((resolve) => (tokenServer ? tokenServer.close(() => resolve()) : resolve()));
    await h?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('push, rmi, pull: same image, Docker progress lines, repo digests; skopeo agrees', async () => {
    const reg = await startRegistry(join(work, 'plain'));
    registries.push(reg);
    const name = `${reg.host}/team/bb`;
    const id = (await ok(['import', '-c', 'CMD ["/bin/sh"]', tarPath, `${name}:1`])).trim();
    const pushed = await ok(['push', `${name}:1`]);
    const m = /^1: digest: (sha256:[a-f0-9]{64}) size: (\d+)$/m.exec(pushed);
    assert.ok(m, pushed);
    assert.match(pushed, new RegExp(`^The push refers to repository \\[${name.replace(/\./g, '\\.')}\\]$`, 'm'));
    assert.match(pushed, /^[a-f0-9]{12}: Pushed$/m);
    const digest = m![1]!;
    assert.match(await ok(['images', '--digests', name]), new RegExp(digest));

    const inspected = JSON.parse(execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${name}:1`], { encoding: 'utf8' }));
    assert.equal(inspected.Digest, digest);
    const raw = JSON.parse(execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${name}:1`], { encoding: 'utf8' }));
    assert.equal(raw.mediaType, 'application/vnd.docker.distribution.manifest.v2+json');
    assert.equal(raw.layers[0].mediaType, 'application/vnd.docker.image.rootfs.diff.tar.gzip', 'layers are compressed on push');
    assert.equal(raw.config.digest, id);

    assert.match(await ok(['push', `${name}:1`]), /: Layer already exists$/m);
    await ok(['rmi', `${name}:1`]);
    const pulled = await ok(['pull', `${name}:1`]);
    assert.match(pulled, /^1: Pulling from team\/bb$/m);
    assert.match(pulled, /^[a-f0-9]{12}: Pull complete$/m);
    assert.match(pulled, new RegExp(`^Digest: ${digest}$`, 'm'));
    assert.match(pulled, new RegExp(`^Status: Downloaded newer image for ${name.replace(/\./g, '\\.')}:1$`, 'm'));
    const info = JSON.parse(await ok(['image', 'inspect', `${name}:1`]))[0];
    assert.equal(info.Id, id);
    assert.deepEqual(info.RepoDigests, [`${name}@${digest}`]);
    assert.match(await ok(['pull', `${name}:1`]), /Status: Image is up to date/);

    // A skopeo-written OCI image (index + OCI manifest) pulls too.
    execFileSync('skopeo', ['copy', '--format', 'oci', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${name}:1`, `docker://${name}:oci`], { stdio: 'ignore' });
    const oci = await ok(['pull', `${name}:oci`]);
    assert.match(oci, /Status: Downloaded newer image/);
    assert.deepEqual(JSON.parse(await ok(['image', 'inspect', `${name}:oci`]))[0].RootFS, info.RootFS);
  });

  test('pull of a missing tag is a plain 404 with Docker\'s message', async () => {
    const reg = registries[0]!;
    const r = await h.docker(['pull', `${reg.host}/team/bb:nope`]);
    assert.notEqual(r.code, 0);
    assert.equal(r.stderr.trim(), `Error response from daemon: manifest for ${reg.host}/team/bb:nope not found: manifest unknown: manifest unknown`);
    const api = await h.request('POST', `/v1.41/images/create?fromImage=${encodeURIComponent(`${reg.host}/team/bb`)}&tag=nope`);
    assert.equal(api.status, 404);
    const missing = await h.docker(['push', `${reg.host}/none:1`]);
    assert.match(missing.stderr, /An image does not exist locally with the tag: 127\.0\.0\.1:\d+\/none/);
  });

  test('Basic auth (htpasswd): refused without credentials, works with X-Registry-Auth', async () => {
    const reg = await startRegistry(join(work, 'basic'), { kind: 'htpasswd', user: 'alice', password: 's3cret' });
    registries.push(reg);
    const name = `${reg.host}/private/bb`;
    await ok(['tag', `${registries[0]!.host}/team/bb:1`, `${name}:1`]);
    const denied = await h.request('POST', `/v1.41/images/${name}/push?tag=1`);
    const deniedLines = lines(denied.body);
    assert.match(String(deniedLines.at(-1)?.['error']), /unauthorized|authentication required/);
    const pushed = await h.request('POST', `/v1.41/images/${name}/push?tag=1`, undefined, { 'X-Registry-Auth': authHeader('alice', 's3cret') });
    const aux = lines(pushed.body).find((l) => l['aux']);
    assert.ok(aux, pushed.body.toString());
    const wrong = await h.request('POST', `/v1.41/images/create?fromImage=${encodeURIComponent(name)}&tag=1`, undefined, { 'X-Registry-Auth': authHeader('alice', 'nope') });
    assert.ok(wrong.status >= 400 || /error/.test(wrong.body.toString()));
  });

  test('Bearer token auth: token fetched from the realm with the credentials and scope', async () => {
    const scopes: string[] = [];
    const tokenPort = await freePort();
    tokenServer = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      scopes.push(url.searchParams.get('scope') ?? '');
      if (req.headers.authorization !== `Basic ${Buffer.from('bob:pw').toString('base64')}`) {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: 'tok-123' }));
    });
    await new Promise<void>((resolve) => tokenServer!.listen(tokenPort, '127.0.0.1', () => resolve()));
    const reg = await startRegistry(join(work, 'token'), { kind: 'silly', realm: `http://127.0.0.1:${tokenPort}/token`, service: 'berth-test' });
    registries.push(reg);
    const name = `${reg.host}/tok/bb`;
    await ok(['tag', `${registries[0]!.host}/team/bb:1`, `${name}:1`]);
    const pushed = await h.request('POST', `/v1.41/images/${name}/push?tag=1`, undefined, { 'X-Registry-Auth': authHeader('bob', 'pw') });
    assert.ok(lines(pushed.body).some((l) => l['aux']), pushed.body.toString());
    assert.ok(scopes.includes('repository:tok/bb:pull,push'), scopes.join(' '));
    const refused = await h.request('POST', `/v1.41/images/${name}/push?tag=1`, undefined, { 'X-Registry-Auth': authHeader('bob', 'bad') });
    assert.equal(lines(refused.body).at(-1)?.['error'], 'unauthorized: authentication required', 'reported in-band once the push stream started');
  });
});
