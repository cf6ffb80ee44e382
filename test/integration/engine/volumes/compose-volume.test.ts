/** docker-compose 1.29 brings up the shared two-service app with a named volume and takes it down. Root only. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canRunEngine, importBusybox, startTestEngine, type TestEngine } from '../../../fixtures/engine.js';

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
const FILE = fixturePath();
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
    execFile(COMPOSE, ['-p', project, '-f', FILE, ...args], {
      env: { ...process.env, DOCKER_HOST: engine.host, DOCKER_CONFIG: join(engine.dir, 'docker-config'), BERTH_TEST_IMAGE: 'busybox:test' },
      timeout: 180_000,
    }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, out: stdout + stderr }));
  });
}

test('compose up creates the named volume with compose labels; down keeps it, down -v removes it', { skip }, async () => {
  const project = `vol${Math.random().toString(36).slice(2, 8)}`;
  try {
    const up = await compose(project, ['up', '-d']);
    assert.equal(up.code, 0, up.out);
    assert.match(up.out, new RegExp(`Creating volume "${project}_data" with default driver`));
    const v = await engine.docker(['volume', 'inspect', '--format', '{{json .Labels}}', `${project}_data`]);
    assert.deepEqual(JSON.parse(v.stdout), {
      'com.docker.compose.project': project, 'com.docker.compose.version': '1.29.2', 'com.docker.compose.volume': 'data', 'org.berth.test': 'compose',
    });
    const mounts = await engine.docker(['inspect', '--format', '{{json .Mounts}}', `${project}_web_1`]);
    const [m] = JSON.parse(mounts.stdout) as { Type: string; Name: string; Destination: string; Mode: string; RW: boolean }[];
    assert.deepEqual([m?.Type, m?.Name, m?.Destination, m?.Mode, m?.RW], ['volume', `${project}_data`, '/www', 'rw', true]);
    let page = '';
    for (let i = 0; i < 40 && !page.includes('index'); i++) {
      page = (await engine.docker(['exec', `${project}_web_1`, 'ls', '/www'])).stdout;
      if (!page.includes('index')) await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(page, 'index.html\n');
    const down = await compose(project, ['down']);
    assert.equal(down.code, 0, down.out);
    assert.ok((await engine.docker(['volume', 'ls', '-q'])).stdout.split('\n').includes(`${project}_data`), 'down without -v keeps the volume');
    // A second up finds the volume with its data.
    assert.equal((await compose(project, ['up', '-d', 'web'])).code, 0);
    assert.equal((await engine.docker(['exec', `${project}_web_1`, 'cat', '/www/index.html'])).stdout, 'hello-from-volume\n');
    const downV = await compose(project, ['down', '-v']);
    assert.equal(downV.code, 0, downV.out);
    assert.match(downV.out, new RegExp(`Removing volume ${project}_data`));
    assert.ok(!(await engine.docker(['volume', 'ls', '-q'])).stdout.split('\n').includes(`${project}_data`));
  } finally {
    await compose(project, ['down', '-v', '-t', '0']);
  }
});
