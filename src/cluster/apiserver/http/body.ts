/**
 * Reads request bodies with the 3 MiB limit kube-apiserver applies, and
 * decodes object bodies from JSON, YAML or protobuf.
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { ProtobufPort } from '../collaborators.js';
import { badRequestError, requestEntityTooLargeError, unsupportedMediaTypeError } from '../errors.js';
import type { KubeObject } from '../types.js';

export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_REQUEST_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): Error {
  return requestEntityTooLargeError(`the server has received a request that is too large: limit is ${limit} bytes`);
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function isJsonMediaType(contentType: string): boolean {
  return contentType === 'application/json' || contentType === '' || contentType === '*/*';
}

/** Decodes a create/update body into an object. */
export function decodeObject(body: Buffer, contentType: string, protobuf: ProtobufPort | undefined): KubeObject {
  let value: unknown;
  if (contentType === 'application/vnd.kubernetes.protobuf') {
    if (protobuf === undefined) throw unsupportedMediaTypeError(contentType);
    return protobuf.decode(body);
  }
  if (isJsonMediaType(contentType)) {
    value = parseJson(body);
  } else if (contentType === 'application/yaml' || contentType === 'application/x-yaml' || contentType === 'text/yaml') {
    try {
      value = parseYaml(body.toString('utf8'));
    } catch (err) {
      throw badRequestError(`error decoding YAML: ${(err as Error).message}`);
    }
  } else {
    throw unsupportedMediaTypeError(contentType);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequestError('Object \'Kind\' is missing in request body');
  }
  const obj = value as KubeObject;
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  if (typeof obj.metadata !== 'object' || Array.isArray(obj.metadata)) throw badRequestError('metadata must be an object');
  return obj;
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (err) {
    throw badRequestError(`error decoding request body: ${(err as Error).message}`);
  }
}
