/** `/version`: the Kubernetes version Berth implements, marked as Berth's build. */
export const KUBERNETES_MINOR = '32';
export const GIT_VERSION = 'v1.32.3-berth';

const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };

export function versionInfo(): Record<string, string> {
  return {
    major: '1',
    minor: KUBERNETES_MINOR,
    gitVersion: GIT_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'node',
    platform: `${process.platform}/${goArch[process.arch] ?? process.arch}`,
  };
}
