import { summarize, type ContainerService } from '../engine/containers/index.js';
import type { ImagesService } from '../engine/images/index.js';
import type { VolumeService } from '../engine/volumes/index.js';

/** `GET /system/df`: images, containers, volumes (no build cache: the legacy builder keeps none). */
export async function diskUsage(deps: { images: ImagesService; containers: ContainerService; volumes: VolumeService }): Promise<Record<string, unknown>> {
  const imagesPart = await deps.images.diskUsage();
  return {
    LayersSize: imagesPart.LayersSize,
    Images: imagesPart.Images,
    Containers: deps.containers.list().map((r) => ({ ...summarize(r), SizeRw: 0, SizeRootFs: 0 })),
    Volumes: await deps.volumes.usage(),
    BuildCache: [],
  };
}
