/** The kubectl 1.32 suite against `berth server` on a real etcd. */
import { after, before, describe } from 'node:test';
import { etcdUnavailableReason, startEtcd, type RunningEtcd } from '../../fixtures/etcd.js';
import { BerthServer } from './harness/berth-server.js';
import { kubectlCoreTests } from './suites/kubectl-core.js';
import { kubectlApplyTests } from './suites/kubectl-apply.js';
import { kubectlGeneratorTests } from './suites/kubectl-generators.js';
import { kubectlMoreTests } from './suites/kubectl-more.js';

const skip = etcdUnavailableReason();

describe('kubectl 1.32 against berth server (etcd)', { timeout: 600_000, ...(skip === undefined ? {} : { skip }) }, () => {
  let etcd: RunningEtcd | undefined;
  let server: BerthServer | undefined;
  before(async () => {
    etcd = await startEtcd();
    server = await BerthServer.start({ datastore: etcd.url });
  });
  after(async () => {
    await server?.stop();
    await etcd?.stop();
  });
  const get = () => server ?? (() => { throw new Error('server not started'); })();
  kubectlCoreTests(get);
  kubectlMoreTests(get);
  kubectlGeneratorTests(get);
  kubectlApplyTests(get);
});
