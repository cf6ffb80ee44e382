// Finds compiled test files and runs them with node's test runner.
// Usage: node scripts/run-tests.mjs unit|integration|all [filter]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const which = process.argv[2] ?? 'all';
const filter = process.argv[3];
const roots = which === 'all' ? ['unit', 'integration'] : [which];

function find(dir) {
  let out = [];
  let entries = [];
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries.sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(find(p));
    else if (name.endsWith('.test.js') && (!filter || p.includes(filter))) out.push(p);
  }
  return out;
}

let failed = false;
for (const root of roots) {
  const files = find(join('dist', 'test', root));
  if (files.length === 0) continue;
  console.log(`\n# ${root} tests: ${files.length} files`);
  // Integration tests drive real daemons and the kernel: run files one at a time.
  const concurrency = root === 'unit' ? '2' : '1';
  const r = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
