/** The kubectl 1.32 suite against `berth server` on its default SQLite store. */
import { after, before, describe } from 'node:test';
import { BerthServer } from './harness/berth-server.js';
import { kubectlCoreTests } from './suites/kubectl-core.js';
import { kubectlApplyTests } from './suites/kubectl-apply.js';
import { kubectlGeneratorTests } from './suites/kubectl-generators.js';
import { kubectlMoreTests } from './suites/kubectl-more.js';

describe('kubectl 1.32 against berth server (SQLite)', { timeout: 600_000 }, () => {
  let server: BerthServer | undefined;
  before(async () => { server = await BerthServer.start(); });
  after(async () => { await server?.stop(); });
  const get = () => server ?? (() => { throw new Error('server not started'); })();
  kubectlCoreTests(get);
  kubectlMoreTests(get);
  kubectlGeneratorTests(get);
  kubectlApplyTests(get);
});
