/**
 * Child process for the crash-safety test: runs one image operation on a
 * given root with throttled input, so that the parent can SIGKILL it at an
 * arbitrary point. Usage: crash-child.js ROOT load|import|commit FILE
 */
import { createReadStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { ImagesService } from '../../../../src/engine/images/index.js';

function throttled(path: string): Readable {
  const slow = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      setTimeout(() => cb(null, chunk), 4);
    },
  });
  return createReadStream(path, { highWaterMark: 16 * 1024 }).pipe(slow);
}

const [root, op, file] = process.argv.slice(2);
if (!root || !op || !file) throw new Error('usage: crash-child.js ROOT OP FILE');
const images = new ImagesService({ root });
await images.init();
process.stdout.write('READY\n');
if (op === 'load') await images.load(throttled(file), { quiet: true });
else if (op === 'import') await images.import(throttled(file), { repo: 'crash/imported:1' });
else if (op === 'commit') {
  const base = await images.resolve('crash/base:1');
  await images.commit('crash-container', { imageId: base.id, containerConfig: { Cmd: ['sh'] }, repo: 'crash/committed', tag: '1' });
}
process.stdout.write('DONE\n');
