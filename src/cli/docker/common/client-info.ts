/** What the client reports about itself in `version` and `info`. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLIENT_MAX_VERSION } from '../../engine-client/engine-client.js';

/** Berth's version from the nearest package.json named "berth" above this file (dist/ or a build dir). */
export function clientVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'berth' && pkg.version) return pkg.version;
    } catch {
      /* not here: keep walking up */
    }
    dir = dirname(dir);
  }
  return 'dev';
}

export const DEFAULT_API_VERSION = CLIENT_MAX_VERSION;

export function clientArch(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch;
}
