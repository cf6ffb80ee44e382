/** helm 3.17 installs, upgrades, rolls back and uninstalls a chart on `berth server`. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BerthServer } from './harness/berth-server.js';

/** The chart lives in the source tree, not in the build output: look upwards for it. */
function findChart(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'test', 'fixtures', 'charts', 'berth-demo');
    if (existsSync(join(candidate, 'Chart.yaml'))) return candidate;
  }
  throw new Error('test/fixtures/charts/berth-demo not found');
}
const chart = findChart();

describe('helm 3 against berth server', { timeout: 300_000 }, () => {
  let s: BerthServer;
  before(async () => { s = await BerthServer.start(); });
  after(async () => { await s?.stop(); });

  const helm = async (args: string[]) => {
    const r = await s.helm(args);
    assert.equal(r.code, 0, `helm ${args.join(' ')}:\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };

  test('install, upgrade, rollback, history and uninstall', async () => {
    assert.match(await helm(['install', 'demo', chart, '--namespace', 'default']), /STATUS: deployed/);
    assert.equal(await s.k(['get', 'deploy', 'demo-web', '-o', 'jsonpath={.spec.replicas}']), '1');
    assert.equal(await s.k(['get', 'cm', 'demo-config', '-o', 'jsonpath={.data.message}']), 'hello');
    assert.match(await s.k(['get', 'svc', 'demo-web', '-o', 'jsonpath={.spec.clusterIP}']), /^10\.43\.\d+\.\d+$/);
    assert.match(await s.k(['get', 'secret', '-l', 'owner=helm,name=demo', '-o', 'name']), /secret\/sh.helm.release.v1.demo.v1/);

    assert.match(await helm(['upgrade', 'demo', chart, '--set', 'replicas=3', '--set', 'message=upgraded']), /REVISION: 2/);
    assert.equal(await s.k(['get', 'deploy', 'demo-web', '-o', 'jsonpath={.spec.replicas}']), '3');
    assert.equal(await s.k(['get', 'cm', 'demo-config', '-o', 'jsonpath={.data.message}']), 'upgraded');

    assert.match(await helm(['rollback', 'demo', '1']), /Rollback was a success/);
    assert.equal(await s.k(['get', 'deploy', 'demo-web', '-o', 'jsonpath={.spec.replicas}']), '1');
    assert.equal(await s.k(['get', 'cm', 'demo-config', '-o', 'jsonpath={.data.message}']), 'hello');

    const history = await helm(['history', 'demo']);
    assert.match(history, /^1\s.*superseded/m);
    assert.match(history, /^3\s.*deployed\s.*Rollback to 1/m);
    assert.match(await helm(['list']), /^demo\s+default\s+3\s/m);

    assert.match(await helm(['uninstall', 'demo']), /release "demo" uninstalled/);
    assert.equal(await s.k(['get', 'deploy,cm,svc', '-l', 'app.kubernetes.io/instance=demo', '-o', 'name']), '');
    assert.equal(await s.k(['get', 'secret', '-l', 'owner=helm', '-o', 'name']), '');
  });
});
