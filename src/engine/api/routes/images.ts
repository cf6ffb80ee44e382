import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BerthError, errorMessage, invalidArgument, isBerthError } from '../../../core/index.js';
import type { ImagesService, ImageTransfer, ProgressSink } from '../../images/index.js';

export type { ImageTransfer } from '../../images/index.js';
import type { ApiRequest } from '../request.js';
import type { ApiResponse, JsonLines } from '../response.js';
import type { Router } from '../router.js';
import { writeProgressError } from '../progress.js';

export interface ImageRouteDeps {
  images: ImagesService;
  /** Pull and push: `createImageTransfer(images)` from src/registry/client. */
  transfer?: ImageTransfer;
}

/**
 * Docker Engine API image endpoints. Handlers parse parameters, call the
 * images service and render Docker's shapes; streaming endpoints (load,
 * pull, push) report late errors in-band, as dockerd does.
 */
export function registerImageRoutes(router: Router, deps: ImageRouteDeps): void {
  const { images } = deps;

  router.get('/images/json', async (req, res) => {
    const filters = req.filters();
    const legacy = req.string('filter');
    if (legacy) filters.set('reference', [...(filters.get('reference') ?? []), legacy]);
    res.json(200, await images.list({ all: req.bool('all'), filters }));
  });

  router.post('/images/create', async (req, res) => {
    const fromImage = req.string('fromImage');
    if (fromImage) return pull(req, res, deps, fromImage);
    const fromSrc = req.string('fromSrc');
    if (!fromSrc) throw invalidArgument('fromImage or fromSrc is required');
    const input = fromSrc === '-' ? req.stream() : await download(fromSrc);
    const id = await images.import(input, {
      ...optional('repo', req.string('repo')),
      ...optional('tag', req.string('tag')),
      ...optional('message', req.string('message')),
      changes: req.query.getAll('changes'),
      source: fromSrc,
      ...platformOf(req.string('platform')),
    });
    const out = res.jsonLines();
    out.write({ status: id });
    out.end();
  });

  router.post('/images/load', async (req, res) => {
    const quiet = req.bool('quiet');
    const out = res.jsonLines();
    try {
      await images.load(req.stream(), { quiet }, sink(out));
    } catch (err) {
      writeProgressError(out, err);
    }
    out.end();
  });

  const save = async (names: string[], res: ApiResponse): Promise<void> => {
    if (names.length === 0) throw invalidArgument('no image names given');
    const tar = await images.save(names);
    const out = res.stream(200, { 'Content-Type': 'application/x-tar' });
    await pipeline(tar, out).catch((err: unknown) => {
      out.destroy(err instanceof Error ? err : new Error(String(err)));
    });
  };
  router.get('/images/get', async (req, res) => save(req.query.getAll('names'), res));
  router.get('/images/{name*}/get', async (req, res) => save([req.param('name')], res));

  router.get('/images/{name*}/json', async (req, res) => {
    const name = req.param('name');
    try {
      res.json(200, await images.inspect(name));
    } catch (err) {
      if (isBerthError(err, 'NotFound') || isBerthError(err, 'InvalidArgument')) {
        throw new BerthError(err.kind, `no such image: ${name}: ${err.message}`);
      }
      throw err;
    }
  });

  router.get('/images/{name*}/history', async (req, res) => {
    res.json(200, await images.history(req.param('name')));
  });

  router.post('/images/{name*}/tag', async (req, res) => {
    await images.tag(req.param('name'), req.string('repo') ?? '', req.string('tag'));
    res.empty(201);
  });

  router.delete('/images/{name*}', async (req, res) => {
    res.json(200, await images.remove(req.param('name'), { force: req.bool('force'), noprune: req.bool('noprune') }));
  });

  router.post('/images/prune', async (req, res) => {
    res.json(200, await images.prune(req.filters()));
  });

  router.post('/images/{name*}/push', async (req, res) => {
    if (!deps.transfer) throw new BerthError('NotImplemented', 'push is not available: no registry client configured');
    const transfer = deps.transfer;
    await streamed(res, (progress, signal) => transfer.push({ name: req.param('name'), ...optional('tag', req.string('tag')) }, req.header('x-registry-auth'), progress, signal));
  });
}

async function pull(req: ApiRequest, res: ApiResponse, deps: ImageRouteDeps, image: string): Promise<void> {
  if (!deps.transfer) throw new BerthError('NotImplemented', 'pull is not available: no registry client configured');
  const transfer = deps.transfer;
  await streamed(res, (progress, signal) =>
    transfer.pull({ image, ...optional('tag', req.string('tag')), ...optional('platform', req.string('platform')) }, req.header('x-registry-auth'), progress, signal),
  );
}

/**
 * Runs a transfer whose errors become HTTP errors until the first progress
 * line is written, and in-band `errorDetail` messages afterwards.
 */
async function streamed(res: ApiResponse, run: (progress: ProgressSink, signal: AbortSignal) => Promise<void>): Promise<void> {
  const abort = new AbortController();
  res.onClientGone(() => abort.abort());
  let out: JsonLines | undefined;
  const progress: ProgressSink = {
    write: (msg) => {
      out ??= res.jsonLines();
      out.write(msg);
    },
  };
  try {
    await run(progress, abort.signal);
  } catch (err) {
    if (!out) throw err;
    writeProgressError(out, err);
  }
  (out ?? res.jsonLines()).end();
}

function sink(out: JsonLines): ProgressSink {
  return { write: (msg) => void out.write(msg) };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value !== undefined && value !== '' ? ({ [key]: value } as Record<K, string>) : {};
}

function platformOf(p: string | undefined): { platform?: { os?: string; architecture?: string; variant?: string } } {
  if (!p) return {};
  const [os, architecture, variant] = p.split('/');
  return { platform: { ...optional('os', os), ...optional('architecture', architecture), ...optional('variant', variant) } };
}

/** `docker import URL`: fetches the tarball (Docker prepends http:// when no scheme is given). */
async function download(src: string): Promise<Readable> {
  const url = src.includes('://') ? src : `http://${src}`;
  let resp: Response;
  try {
    resp = await fetch(url);
  } catch (err) {
    throw invalidArgument(`Get "${url}": ${errorMessage(err)}`);
  }
  if (!resp.ok || !resp.body) throw invalidArgument(`Get "${url}": unexpected status ${resp.status}`);
  return Readable.fromWeb(resp.body as import('node:stream/web').ReadableStream<Uint8Array>);
}
