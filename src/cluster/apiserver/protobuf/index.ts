/**
 * Protobuf request bodies of built-in Kubernetes kinds
 * (`application/vnd.kubernetes.protobuf`), as kubectl 1.32, helm 3.17 and
 * any client-go ≥ 0.32 typed client send them. decodeProtobufObject turns
 * the `k8s\0` + runtime.Unknown envelope into the JSON object the same
 * request would have carried as JSON; encodeProtobufObject does the reverse.
 */
import { BerthError } from '../../../core/index.js';
import { ProtobufDecodeError, decodeMessage } from './decode-message.js';
import { encodeMessage } from './encode-message.js';
import { decodeEnvelope, PROTOBUF_MAGIC } from './envelope.js';
import { messageFor } from './kinds.js';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A decoded object: the JSON form with apiVersion and kind from the envelope. */
export interface DecodedObject extends JsonObject {
  apiVersion: string;
  kind: string;
}

/** The API server's ProtobufPort, satisfied by createProtobufCodec(). */
export interface ProtobufCodec {
  decode(body: Uint8Array): DecodedObject;
  encode(obj: JsonObject): Uint8Array;
}

export { decodeEnvelope, hasProtobufMagic, isProtobufContentType, PROTOBUF_CONTENT_TYPE, PROTOBUF_MAGIC, type UnknownEnvelope } from './envelope.js';
export { decodeMessage, formatDuration, ProtobufDecodeError } from './decode-message.js';
export { encodeMessage, parseDuration } from './encode-message.js';
export { messageFor, supportedKinds, MESSAGES } from './kinds.js';
export { zeroObject } from './zero-object.js';
export { compileTables, parseFieldLine, type FieldDef, type MessageDef, type MessageTable } from './message-table.js';

function badRequest(message: string, code = 400, reason = 'BadRequest'): BerthError {
  return new BerthError('InvalidArgument', message, { details: { reason, code } });
}

/**
 * Decodes a protobuf request body. Errors are BerthErrors carrying the
 * Kubernetes reason/code: 400 for malformed bodies, 415 for kinds Berth does
 * not decode from protobuf.
 */
export function decodeProtobufObject(body: Uint8Array): DecodedObject {
  let env;
  try {
    env = decodeEnvelope(body);
  } catch (err) {
    throw badRequest(err instanceof Error ? err.message : String(err));
  }
  if (env.contentEncoding !== '') throw badRequest(`unsupported protobuf content encoding ${JSON.stringify(env.contentEncoding)}`);
  if (env.contentType !== '' && env.contentType !== 'application/vnd.kubernetes.protobuf') {
    throw badRequest(`unsupported embedded content type ${JSON.stringify(env.contentType)}`, 415, 'UnsupportedMediaType');
  }
  const def = messageFor(env.apiVersion, env.kind);
  if (def === undefined) {
    throw badRequest(
      `the body of the request was in an unknown format - protobuf is not supported for ${env.apiVersion}, Kind=${env.kind}; accepted media types include: application/json, application/yaml`,
      415,
      'UnsupportedMediaType',
    );
  }
  try {
    return { apiVersion: env.apiVersion, kind: env.kind, ...decodeMessage(env.raw, def.name) };
  } catch (err) {
    if (err instanceof ProtobufDecodeError || err instanceof RangeError || err instanceof Error) {
      throw badRequest(`failed to decode ${env.kind} from protobuf: ${err.message}`);
    }
    throw err;
  }
}

/** Encodes an object (apiVersion and kind set) with the Kubernetes envelope. */
export function encodeProtobufObject(obj: JsonObject): Uint8Array {
  const apiVersion = typeof obj['apiVersion'] === 'string' ? obj['apiVersion'] : '';
  const kind = typeof obj['kind'] === 'string' ? obj['kind'] : '';
  const def = messageFor(apiVersion, kind);
  if (def === undefined) throw badRequest(`protobuf is not supported for ${apiVersion}, Kind=${kind}`, 406, 'NotAcceptable');
  const raw = encodeMessage(obj, def.name);
  const unknown = encodeMessage({ typeMeta: { apiVersion, kind }, raw: Buffer.from(raw).toString('base64'), contentEncoding: '', contentType: '' }, 'Unknown');
  const out = new Uint8Array(PROTOBUF_MAGIC.length + unknown.length);
  out.set(PROTOBUF_MAGIC, 0);
  out.set(unknown, PROTOBUF_MAGIC.length);
  return out;
}

export function createProtobufCodec(): ProtobufCodec {
  return { decode: decodeProtobufObject, encode: encodeProtobufObject };
}
