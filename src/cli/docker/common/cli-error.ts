/**
 * Errors a verb raises to end with a given exit code. `StatusError` carries
 * Docker's exit code (125 daemon/CLI failure before the container ran,
 * 126/127 not executable / not found, or the container's own status) and
 * an optional message already formatted for stderr.
 */
export class StatusError extends Error {
  readonly code: number;
  constructor(code: number, message = '') {
    super(message);
    this.name = 'StatusError';
    this.code = code;
  }
}

/** A plain CLI error: printed as is, exit status 1. */
export class CliError extends Error {
  override name = 'CliError';
}
