/**
 * Child process for the SQLite durability and multi-process tests: writes
 * keys `<prefix><worker>-<i>` from several concurrent writers and prints
 * each key on stdout once its create() resolved (pipes are synchronous on
 * Linux, so a printed key is an acknowledged one).
 * Usage: node sqlite-writer-child.js <db path> <prefix> <count, 0 = until killed> <concurrency>
 */
import { SqliteStore } from '../../../../src/cluster/store/index.js';

const [path, prefix = '/d/', countArg = '0', concurrencyArg = '8'] = process.argv.slice(2);
if (path === undefined) throw new Error('usage: sqlite-writer-child <db path> <prefix> <count> <concurrency>');
const count = Number(countArg);
const concurrency = Number(concurrencyArg);
const store = new SqliteStore({ path });
let next = 0;

async function worker(id: number): Promise<void> {
  for (let i = 0; count === 0 || next < count; i++) {
    next++;
    const key = `${prefix}${id}-${i}`;
    await store.create(key, new TextEncoder().encode(key));
    process.stdout.write(`${key}\n`);
  }
}

await Promise.all(Array.from({ length: concurrency }, (_, id) => worker(id)));
await store.close();
