import { errorMessage } from '../../core/index.js';
import type { JsonLines } from './response.js';

/**
 * Once a JSON-lines stream (pull, push, load, import, build) has started,
 * errors can no longer change the status code: Docker reports them in-band.
 */
export function writeProgressError(out: JsonLines, err: unknown): void {
  const message = errorMessage(err);
  out.write({ errorDetail: { message }, error: message });
}
