import { BerthError, errorMessage } from '../../core/index.js';

/**
 * Docker turns an OCI runtime start failure into an exit code and a status
 * (moby's translateContainerdStartErr): the command missing is 127 and 400,
 * a permission problem 126 and 400, anything else 128. Decided on the
 * message whatever the error's kind, as the runtime may already have
 * classified it (InvalidArgument) without a Docker exit code.
 */
export function classifyStartError(err: unknown, cmd?: string): { exitCode: number; error: BerthError } {
  const message = errorMessage(err);
  const names = cmd === undefined || message.includes(cmd);
  if (names && /executable file not found|no such file or directory/i.test(message)) {
    return { exitCode: 127, error: new BerthError('InvalidArgument', message, { cause: err }) };
  }
  if (/permission denied/i.test(message)) return { exitCode: 126, error: new BerthError('InvalidArgument', message, { cause: err }) };
  if (err instanceof BerthError && err.kind !== 'Internal' && err.kind !== 'Unavailable') return { exitCode: 128, error: err };
  return { exitCode: 128, error: new BerthError('Internal', message, { cause: err }) };
}

/** Docker answers start of a running container, stop of a stopped one, with 304. */
export function notModified(message: string): BerthError {
  return new BerthError('FailedPrecondition', message, { details: { status: 304 } });
}
