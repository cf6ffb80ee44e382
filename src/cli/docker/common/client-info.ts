/** What the client reports about itself in `version` and `info`. */
import { readFileSync } from 'node:fs';
import { CLIENT_MAX_VERSION } from '../../engine-client/engine-client.js';

export function clientVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    if (pkg.version) return pkg.version;
  } catch {
    /* compiled elsewhere: fall through */
  }
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    if (pkg.version) return pkg.version;
  } catch {
    /* unknown */
  }
  return 'dev';
}

export const DEFAULT_API_VERSION = CLIENT_MAX_VERSION;

export function clientArch(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch;
}
