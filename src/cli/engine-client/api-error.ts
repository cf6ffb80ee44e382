/**
 * Errors the engine client raises. `ApiError` is a daemon answer with a
 * status >= 400 (printed by verbs as `Error response from daemon: …`);
 * `ConnectError` means nothing answered at the host address.
 */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
  /** Docker's client-side rendering of a daemon error. */
  override toString(): string {
    return `Error response from daemon: ${this.message}`;
  }
}

export class ConnectError extends Error {
  constructor(host: string, cause: unknown) {
    super(`Cannot connect to the Berth daemon at ${host}. Is the berth daemon running?`, { cause });
    this.name = 'ConnectError';
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404;
}

/** The message of a daemon error body: `{"message": …}` or plain text. */
export function messageFromBody(status: number, body: string): string {
  const text = body.trim();
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as { message?: unknown };
      if (typeof parsed.message === 'string') return parsed.message;
    } catch {
      /* not JSON after all: fall through to the raw text */
    }
  }
  if (text !== '') return text;
  return status === 404 ? 'page not found' : `request returned ${status} with an empty body`;
}
