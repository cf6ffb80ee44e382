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

export function readBody(req: IncomingMessage, limit = MAX_REQUEST_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) return Promise.reject(tooLarge(limit));
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  // Events rather than an async iterator: this runs for every write and the iterator costs more than the read.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onClose = () => {
      cleanup();
      reject(new Error('request closed before its body was read'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
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
