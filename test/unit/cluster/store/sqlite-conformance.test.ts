import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { SqliteStore } from '../../../../src/cluster/store/index.js';
import { storeConformance } from './conformance.js';

const root = mkdtempSync(join(tmpdir(), 'berth-store-conf-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

storeConformance('sqlite', {
  open: async (options) =>
    new SqliteStore({
      path: join(root, `store-${n++}`, 'state.db'),
      progressIntervalMs: 200,
      ...(options?.maxBufferedEvents === undefined ? {} : { maxBufferedEvents: options.maxBufferedEvents }),
    }),
  progressTimeoutMs: 3000,
});
