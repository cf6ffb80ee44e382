/**
 * kube-apiserver's static token file: one `token,user,uid[,"group1,group2"]`
 * per line (CSV, groups quoted when there are several).
 */
import { readFile } from 'node:fs/promises';
import { invalidArgument } from '../../../core/index.js';
import type { UserInfo } from '../types.js';

/** Splits one CSV line, honouring double quotes. */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out.map((f) => f.trim());
}

export function parseTokenFile(text: string): Map<string, UserInfo> {
  const tokens = new Map<string, UserInfo>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [token = '', user = '', uid = '', groups = ''] = csvFields(line);
    if (token === '' || user === '') throw invalidArgument(`token file line ${i + 1}: need at least token,user`);
    const info: UserInfo = { username: user, groups: groups === '' ? [] : groups.split(',').map((g) => g.trim()).filter((g) => g !== '') };
    if (uid !== '') info.uid = uid;
    tokens.set(token, info);
  });
  return tokens;
}

export async function loadTokenFile(path: string): Promise<Map<string, UserInfo>> {
  return parseTokenFile(await readFile(path, 'utf8'));
}
