import { pipeline } from 'node:stream/promises';
import { familiarString, invalidArgument, parseNormalizedNamed, withDefaultTag, type ContainerConfig } from '../../../core/index.js';
import { extractArchive, statPath, tarPath } from '../../archive/index.js';
import type { ContainerService } from '../../containers/index.js';
import type { ImagesService } from '../../images/index.js';
import type { Router } from '../router.js';

export interface ContainerFileRouteDeps {
  containers: ContainerService;
  images: ImagesService;
}


/** Filesystem-level container endpoints: cp (archive), diff, export, commit. */
export function registerContainerFileRoutes(router: Router, deps: ContainerFileRouteDeps): void {
  const { containers, images } = deps;

  const statHeader = (stat: object): string => Buffer.from(JSON.stringify(stat)).toString('base64');
  const pathParam = (v: string | undefined): string => {
    if (!v) throw invalidArgument('path cannot be empty');
    return v;
  };

  router.head('/containers/{id}/archive', async (req, res) => {
    const rec = containers.get(req.param('id'));
    const path = pathParam(req.string('path'));
    const stat = await containers.withRootfs(rec.Id, (root) => statPath(root, path, { containerName: rec.Name }));
    res.empty(200, { 'X-Docker-Container-Path-Stat': statHeader(stat), 'Content-Type': 'application/json' });
  });

  router.get('/containers/{id}/archive', async (req, res) => {
    const rec = containers.get(req.param('id'));
    const path = pathParam(req.string('path'));
    await containers.withRootfs(rec.Id, async (root) => {
      const { stat, stream } = await tarPath(root, path, { containerName: rec.Name });
      const out = res.stream(200, { 'Content-Type': 'application/x-tar', 'X-Docker-Container-Path-Stat': statHeader(stat) });
      containers.emit(rec, 'archive-path');
      await pipeline(stream, out);
    });
  });

  router.put('/containers/{id}/archive', async (req, res) => {
    const rec = containers.get(req.param('id'));
    const path = pathParam(req.string('path'));
    if (rec.HostConfig.ReadonlyRootfs) throw invalidArgument('container rootfs is marked read-only');
    await containers.withRootfs(rec.Id, (root) =>
      extractArchive(root, path, req.stream(), { noOverwriteDirNonDir: req.bool('noOverwriteDirNonDir'), containerName: rec.Name }),
    );
    containers.emit(rec, 'extract-to-dir');
    res.empty(200);
  });

  router.get('/containers/{id}/changes', async (req, res) => {
    const rec = containers.get(req.param('id'));
    const changes = await images.containerChanges(rec.Id);
    res.json(200, changes.length ? changes : null);
  });

  router.get('/containers/{id}/export', async (req, res) => {
    const rec = containers.get(req.param('id'));
    await containers.withRootfs(rec.Id, async (root) => {
      const out = res.stream(200, { 'Content-Type': 'application/x-tar' });
      await pipeline(images.exportContainer(rec.Id, { rootfs: root }), out);
    });
    containers.emit(rec, 'export');
  });

  router.post('/commit', async (req, res) => {
    const rec = containers.get(req.string('container') ?? '');
    const config = await req.json<ContainerConfig | null>(null as unknown as ContainerConfig);
    const pause = req.bool('pause', true) && rec.State.Running && !rec.State.Paused;
    if (pause) await containers.lifecycle.pause(rec.Id, { forCommit: true });
    try {
      const repo = req.string('repo');
      const tag = req.string('tag');
      const author = req.string('author');
      const comment = req.string('comment');
      const id = await images.commit(rec.Id, {
        imageId: rec.Image,
        containerConfig: rec.Config,
        config,
        changes: req.raw.url ? new URL(req.raw.url, 'http://x').searchParams.getAll('changes').filter(Boolean) : [],
        ...(repo ? { repo } : {}),
        ...(tag ? { tag } : {}),
        ...(author ? { author } : {}),
        ...(comment ? { comment } : {}),
      });
      // dockerd's attributes: the new image and the name it was given ("" when untagged).
      const imageRef = repo ? familiarString(withDefaultTag(parseNormalizedNamed(tag ? `${repo}:${tag}` : repo))) : '';
      containers.emit(rec, 'commit', { comment: comment ?? '', imageID: id, imageRef });
      res.json(201, { Id: id });
    } finally {
      if (pause) await containers.lifecycle.unpause(rec.Id).catch(() => {});
    }
  });
}
