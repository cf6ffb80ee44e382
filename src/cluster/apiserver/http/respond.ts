/** Writing JSON responses, Status errors and Warning headers. */
import type { ServerResponse } from 'node:http';
import type { StatusObject } from './status.js';

export function writeJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json', warnings: readonly string[] = []): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-cache, private',
  };
  if (warnings.length > 0) headers['Warning'] = warnings.map(warningHeader);
  res.writeHead(code, headers);
  res.end(text);
}

export function writeStatus(res: ServerResponse, status: StatusObject): void {
  const headers: Record<string, string> = {};
  const retry = status.details?.['retryAfterSeconds'];
  if (typeof retry === 'number') headers['Retry-After'] = String(retry);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  writeJson(res, status.code ?? 500, status);
}

/** RFC 7234 warning, as Kubernetes sends it: `299 - "text"`. */
export function warningHeader(text: string): string {
  return `299 - "${text.replace(/["\\]/g, (c) => `\\${c}`).replace(/[\r\n]/g, ' ')}"`;
}

export function writeText(res: ServerResponse, code: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(text)), 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}
