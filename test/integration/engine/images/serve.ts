/**
 * Manual exploration: `node .build/images/test/integration/engine/images/serve.js DIR`
 * serves the image routes on DIR/engine.sock until killed (SIGTERM/SIGINT).
 */
import { mkdir } from 'node:fs/promises';
import { startImagesHarness } from './harness.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: serve.js DIR\n');
  process.exitCode = 2;
} else {
  await mkdir(dir, { recursive: true });
  const h = await startImagesHarness({ dir });
  process.stdout.write(`DOCKER_HOST=unix://${h.socket}\n`);
  const stop = (): void => void h.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
