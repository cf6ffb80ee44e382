/**
 * The Kubernetes protobuf envelope: the 4-byte magic `k8s\0` followed by a
 * runtime.Unknown {typeMeta{apiVersion, kind}, raw, contentEncoding,
 * contentType} whose `raw` holds the object's message.
 */
import protobuf from 'protobufjs/minimal.js';
import { decodeFields } from './decode-message.js';
import { MESSAGES } from './kinds.js';

export const PROTOBUF_MAGIC: Readonly<Uint8Array> = Uint8Array.from([0x6b, 0x38, 0x73, 0x00]);
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

export interface UnknownEnvelope {
  apiVersion: string;
  kind: string;
  /** The encoded object (the message of `kind`). */
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

export function hasProtobufMagic(body: Uint8Array): boolean {
  return body.length >= 4 && PROTOBUF_MAGIC.every((b, i) => body[i] === b);
}

/** True for `application/vnd.kubernetes.protobuf` with or without parameters. */
export function isProtobufContentType(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === PROTOBUF_CONTENT_TYPE;
}

/** Splits the envelope; throws an Error with upstream's wording when the magic is missing. */
export function decodeEnvelope(body: Uint8Array): UnknownEnvelope {
  if (!hasProtobufMagic(body)) {
    throw new Error(`provided data does not appear to be a protobuf message, expected prefix [${[...PROTOBUF_MAGIC].join(' ')}]`);
  }
  const unknown = MESSAGES.get('Unknown');
  if (unknown === undefined) throw new Error('runtime.Unknown is not defined');
  const r = protobuf.Reader.create(body.subarray(4));
  const u = decodeFields(r, body.length - 4, unknown);
  const typeMeta = (u['typeMeta'] ?? {}) as Record<string, unknown>;
  const raw = typeof u['raw'] === 'string' ? Buffer.from(u['raw'], 'base64') : Buffer.alloc(0);
  return {
    apiVersion: typeof typeMeta['apiVersion'] === 'string' ? typeMeta['apiVersion'] : '',
    kind: typeof typeMeta['kind'] === 'string' ? typeMeta['kind'] : '',
    raw,
    contentEncoding: typeof u['contentEncoding'] === 'string' ? u['contentEncoding'] : '',
    contentType: typeof u['contentType'] === 'string' ? u['contentType'] : '',
  };
}
