/**
 * docker-compose 1.29 brings up the shared two-service app (named network
 * with an alias) against Berth, the client reaches the server by alias, and
 * `down` removes containers and network without leaving kernel state. Root only.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canRunEngine, importBusybox, startTestEngine, type TestEngine } from '../../../fixtures/engine.js';
import { linkExists, namespacesIn, rulesOf } from './kernel-harness.js';

const COMPOSE = '/usr/bin/docker-compose';
const FIXTURE = 'test/fixtures/compose/two-service/docker-compose.yml';

/** The YAML is not compiled into the build dir: walk up from this file to the checkout that has it. */
function fixturePath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, FIXTURE))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find ${FIXTURE}`);
    dir = parent;
  }
  return join(dir, FIXTURE);
}

const skip = canRunEngine() ?? (existsSync(COMPOSE) ? false : 'docker-compose not installed');
let engine: TestEngine;

before(async () => {
  if (skip) return;
  engine = await startTestEngine();
  await importBusybox(engine, 'busybox:test');
});

after(async () => {
  if (skip) return;
  await engine?.close();
});

function compose(project: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(COMPOSE, ['-p', project, '-f', fixturePath(), ...args], {
      env: { ...process.env, DOCKER_HOST: engine.host, DOCKER_CONFIG: join(engine.dir, 'docker-config'), BERTH_TEST_IMAGE: 'busybox:test' },
      timeout: 180_000,
    }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, out: stdout + stderr }));
  });
}

test('compose up: named network with labels and alias, client reaches web by alias; down leaves nothing', { skip }, async () => {
  const project = `net${Math.random().toString(36).slice(2, 8)}`;
  let bridge = '';
  try {
    const up = await compose(project, ['up', '-d']);
    assert.equal(up.code, 0, up.out);
    assert.match(up.out, new RegExp(`Creating network "${project}_front" with the default driver`));
    const net = JSON.parse((await engine.docker(['network', 'inspect', `${project}_front`])).stdout) as [{ Id: string; Labels: Record<string, string>; Attachable: boolean; Containers: Record<string, { Name: string }> }];
    bridge = `br-${net[0].Id.slice(0, 12)}`;
    assert.equal(net[0].Labels['com.docker.compose.network'], 'front');
    assert.equal(net[0].Labels['com.docker.compose.project'], project);
    assert.equal(net[0].Attachable, true);
    assert.deepEqual(Object.values(net[0].Containers).map((c) => c.Name).sort(), [`${project}_client_1`, `${project}_web_1`]);
    const aliases = JSON.parse((await engine.docker(['inspect', '--format', `{{json (index .NetworkSettings.Networks "${project}_front").Aliases}}`, `${project}_web_1`])).stdout) as string[];
    assert.ok(aliases.includes('webalias') && aliases.includes('web'), JSON.stringify(aliases));
    // The client fetches http://webalias/ every second and keeps the last answer.
    let last = '';
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !last.includes('hello-from-volume')) {
      last = (await engine.docker(['exec', `${project}_client_1`, 'cat', '/tmp/last'])).stdout;
      if (!last.includes('hello-from-volume')) await new Promise((r) => setTimeout(r, 500));
    }
    assert.match(last, /HTTP\/1\.[01] 200 OK[\s\S]*hello-from-volume/);
  } finally {
    const down = await compose(project, ['down', '-v']);
    assert.equal(down.code, 0, down.out);
    assert.match(down.out, new RegExp(`Removing network ${project}_front`));
  }
  assert.equal((await engine.docker(['network', 'inspect', `${project}_front`])).code, 1);
  if (bridge) assert.equal(await linkExists(bridge), false, 'the network bridge is gone');
  const netnsDir = join(engine.execRoot, 'netns');
  const deadline = Date.now() + 5000;
  let ns = await namespacesIn(netnsDir);
  while (Date.now() < deadline && (ns.used.length > 0 || ns.spares > 2)) {
    await new Promise((r) => setTimeout(r, 100));
    ns = await namespacesIn(netnsDir);
  }
  assert.deepEqual(ns.used, [], 'no sandbox namespace left');
  assert.ok(ns.spares <= 2, 'only the pool\'s spare namespaces');
  assert.deepEqual((await rulesOf(`BERTH-BT${engine.tag.toUpperCase()}`)).filter((l) => l.includes(bridge)), [], 'no rule for the removed network');
});
