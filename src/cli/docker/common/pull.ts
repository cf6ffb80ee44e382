/**
 * Pulling an image (POST /images/create?fromImage=…&tag=…) and showing its
 * progress, shared by `pull` and by `run` when the image is missing.
 */
import { familiarName, parseNormalizedNamed, withDefaultTag, type Reference } from '../../../core/index.js';
import type { EngineClient } from '../../engine-client/engine-client.js';
import { displayJsonMessages } from '../format/json-message.js';

/** `X-Registry-Auth` for anonymous access: base64 of `{}`. */
export const ANONYMOUS_AUTH = Buffer.from('{}').toString('base64');

export function tagOrDigest(ref: Reference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

export async function pullImage(client: EngineClient, image: string, out: NodeJS.WritableStream | undefined, options: { allTags?: boolean; platform?: string } = {}): Promise<Reference> {
  const ref = options.allTags ? parseNormalizedNamed(image) : withDefaultTag(parseNormalizedNamed(image));
  const res = await client.request('POST', '/images/create', {
    query: { fromImage: familiarName(ref), tag: options.allTags ? undefined : tagOrDigest(ref), platform: options.platform || undefined },
    headers: { 'X-Registry-Auth': ANONYMOUS_AUTH },
  });
  const sink = out ?? { write: () => true };
  await displayJsonMessages(res, sink as NodeJS.WritableStream, { terminal: out !== undefined && (out as NodeJS.WriteStream).isTTY === true });
  return ref;
}
