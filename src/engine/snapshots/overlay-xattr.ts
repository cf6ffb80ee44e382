import { run } from '../../platform/linux/exec.js';

/**
 * Overlayfs keeps opaque-directory marks in the `trusted.overlay.opaque`
 * xattr. Node has no xattr API, so the Debian `attr` tools do it: one
 * setfattr per opaque directory when unpacking (rare), one recursive
 * getfattr per diff/changes walk.
 */
export const OPAQUE_XATTR = 'trusted.overlay.opaque';

export async function markOpaque(dir: string): Promise<void> {
  await run('setfattr', ['-h', '-n', OPAQUE_XATTR, '-v', 'y', dir]);
}

/** All directories under `root` (absolute paths) whose opaque xattr is `y`. */
export async function findOpaqueDirs(root: string): Promise<Set<string>> {
  const res = await run('getfattr', ['-R', '-P', '--absolute-names', '-d', '-m', '^trusted\\.overlay\\.opaque$', '-e', 'hex', root], { okCodes: [0, 1] });
  const out = new Set<string>();
  let current: string | undefined;
  for (const line of res.stdout.split('\n')) {
    if (line.startsWith('# file: ')) current = unescapeGetfattr(line.slice('# file: '.length));
    else if (current !== undefined && line.startsWith(`${OPAQUE_XATTR}=`)) {
      if (line.slice(OPAQUE_XATTR.length + 1) === '0x79') out.add(current.replace(/\/+$/, ''));
    }
  }
  return out;
}

/** getfattr escapes unusual bytes as backslash + three octal digits. */
function unescapeGetfattr(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const m = s[i] === '\\' ? /^[0-7]{3}/.exec(s.slice(i + 1)) : null;
    if (m) {
      bytes.push(parseInt(m[0], 8));
      i += 3;
    } else bytes.push(...Buffer.from(s[i] ?? ''));
  }
  return Buffer.from(bytes).toString('utf8');
}
