import type { ImagesService, ImageTransfer } from '../../engine/images/index.js';
import { decodeRegistryAuth } from './auth.js';
import { pullImage } from './pull.js';
import { pushImage } from './push.js';

export { decodeRegistryAuth, parseChallenge, type AuthConfig, type Challenge } from './auth.js';
export { RegistryRepository, type FetchedManifest, type RepositoryOptions } from './registry-repository.js';
export { pullImage, pullReference, type PullOptions, type PullRequest } from './pull.js';
export { pushImage, type PushOptions, type PushRequest } from './push.js';
export { humanSize, progressBar } from './progress.js';

export interface TransferOptions {
  /** Registries reached over plain HTTP besides loopback (`--insecure-registry`). */
  insecureRegistries?: readonly string[];
}

/** The pull/push implementation the image routes take (`registerImageRoutes(router, { images, transfer })`). */
export function createImageTransfer(images: ImagesService, opts: TransferOptions = {}): ImageTransfer {
  const insecure = opts.insecureRegistries ?? [];
  return {
    pull: async (ref, auth, progress, signal) => {
      await images.assemble(() => pullImage(images, ref, progress, { auth: decodeRegistryAuth(auth), insecure, signal }));
    },
    push: (ref, auth, progress, signal) => images.assemble(() => pushImage(images, ref, progress, { auth: decodeRegistryAuth(auth), insecure, signal })),
  };
}
