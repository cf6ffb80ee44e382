import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidArgument } from '../../core/index.js';

export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
  /** Home from /etc/passwd when the user was found there. */
  home?: string;
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

const numeric = (s: string) => /^\d+$/.test(s);

/**
 * Resolves Docker's user form "name|uid[:group|gid]" against the container's
 * /etc/passwd and /etc/group, as libcontainer's GetExecUser: a numeric uid not
 * in passwd is fine (gid 0); a name must exist; with no explicit group the
 * groups listing the user become supplementary gids. `groupAdd` (--group-add)
 * names or gids are appended.
 */
export async function resolveUser(rootfs: string, user = '', groupAdd: readonly string[] = []): Promise<ResolvedUser> {
  const passwd = parsePasswd(await readOptional(join(rootfs, 'etc/passwd')));
  const groups = parseGroup(await readOptional(join(rootfs, 'etc/group')));
  const [userArg = '', groupArg = ''] = user.split(':', 2);
  let entry: PasswdEntry | undefined;
  let uid = 0;
  let gid = 0;
  if (userArg === '') entry = passwd.find((p) => p.uid === 0);
  else if (numeric(userArg)) entry = passwd.find((p) => p.uid === Number(userArg));
  else {
    entry = passwd.find((p) => p.name === userArg);
    if (!entry) throw invalidArgument(`unable to find user ${userArg}: no matching entries in passwd file`);
  }
  if (entry) ({ uid, gid } = entry);
  else if (userArg !== '') uid = Number(userArg);
  const additionalGids: number[] = [];
  if (groupArg !== '') {
    const g = numeric(groupArg) ? groups.find((x) => x.gid === Number(groupArg)) : groups.find((x) => x.name === groupArg);
    if (g) gid = g.gid;
    else if (numeric(groupArg)) gid = Number(groupArg);
    else throw invalidArgument(`unable to find group ${groupArg}: no matching entries in group file`);
  } else if (entry) {
    for (const g of groups) if (g.members.includes(entry.name)) additionalGids.push(g.gid);
  }
  for (const add of groupAdd) {
    const g = numeric(add) ? { gid: Number(add) } : groups.find((x) => x.name === add);
    if (!g) throw invalidArgument(`Unable to find group ${add}: no matching entries in group file`);
    if (!additionalGids.includes(g.gid)) additionalGids.push(g.gid);
  }
  if (uid > 0xfffffffe || gid > 0xfffffffe) throw invalidArgument(`uids and gids must be in range 0-4294967294`);
  return entry ? { uid, gid, additionalGids, home: entry.home } : { uid, gid, additionalGids };
}

async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 4 || !numeric(f[2] ?? '') || !numeric(f[3] ?? '')) continue;
    out.push({ name: f[0] ?? '', uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '' });
  }
  return out;
}

export function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 3 || !numeric(f[2] ?? '')) continue;
    out.push({ name: f[0] ?? '', gid: Number(f[2]), members: (f[3] ?? '').split(',').map((s) => s.trim()).filter(Boolean) });
  }
  return out;
}
