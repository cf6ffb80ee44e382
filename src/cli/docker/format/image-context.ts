/**
 * `images` rows as the docker CLI's imageContext presents them: one row
 * per repository:tag (or per digest with --digests), `<none>` for dangling
 * images; fields ID, Repository, Tag, Digest, CreatedSince, CreatedAt,
 * Size, Containers, VirtualSize, SharedSize, UniqueSize.
 */
import { familiarName, parseNormalizedNamed } from '../../../core/index.js';
import type { ImageSummary } from '../../engine-client/types.js';
import { marshalJson, truncateId } from './display.js';
import { GO_TYPE } from './go-template.js';
import { goTimeString } from './go-time.js';
import { humanDuration, humanSize, humanSizeWithPrecision } from './units.js';
import { headerContext } from './container-context.js';

export const DEFAULT_IMAGES_FORMAT = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}';
export const DEFAULT_IMAGES_DIGEST_FORMAT = 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}';

export const imageHeader = headerContext({
  ID: 'IMAGE ID',
  Repository: 'REPOSITORY',
  Tag: 'TAG',
  Digest: 'DIGEST',
  CreatedSince: 'CREATED',
  CreatedAt: 'CREATED AT',
  Size: 'SIZE',
  Containers: 'CONTAINERS',
  VirtualSize: 'SIZE',
  SharedSize: 'SHARED SIZE',
  UniqueSize: 'UNIQUE SIZE',
});

const JSON_FIELDS = ['Containers', 'CreatedAt', 'CreatedSince', 'Digest', 'ID', 'Repository', 'SharedSize', 'Size', 'Tag', 'UniqueSize', 'VirtualSize'] as const;

export class ImageContext {
  readonly [GO_TYPE] = '*formatter.imageContext';
  constructor(
    private readonly i: ImageSummary,
    private readonly trunc: boolean,
    private readonly repo: string,
    private readonly tag: string,
    private readonly digest: string,
    private readonly now: number,
  ) {}

  ID(): string {
    return this.trunc ? truncateId(this.i.Id) : this.i.Id;
  }
  Repository(): string {
    return this.repo;
  }
  Tag(): string {
    return this.tag;
  }
  Digest(): string {
    return this.digest;
  }
  CreatedSince(): string {
    return `${humanDuration(this.now - this.i.Created * 1000)} ago`;
  }
  CreatedAt(): string {
    return goTimeString(this.i.Created);
  }
  Size(): string {
    return humanSizeWithPrecision(this.i.Size, 3);
  }
  Containers(): string {
    return this.i.Containers === -1 ? 'N/A' : String(this.i.Containers);
  }
  VirtualSize(): string {
    return humanSize(this.i.Size);
  }
  SharedSize(): string {
    return this.i.SharedSize === -1 ? 'N/A' : humanSize(this.i.SharedSize);
  }
  UniqueSize(): string {
    return this.i.Size === -1 || this.i.SharedSize === -1 ? 'N/A' : humanSize(this.i.Size - this.i.SharedSize);
  }
  goMarshalJSON(): string {
    const obj: Record<string, unknown> = {};
    for (const k of JSON_FIELDS) obj[k] = this[k]();
    return marshalJson(obj);
  }
}

function isDangling(img: ImageSummary): boolean {
  const tags = img.RepoTags ?? [];
  const digests = img.RepoDigests ?? [];
  if (tags.length === 0 && digests.length === 0) return true;
  return tags.length === 1 && tags[0] === '<none>:<none>' && digests.length === 1 && digests[0] === '<none>@<none>';
}

/** imageFormat: the rows of one image. */
export function imageRows(img: ImageSummary, opts: { trunc: boolean; digest: boolean; needDigest: boolean; now: number }): ImageContext[] {
  const make = (repo: string, tag: string, digest: string): ImageContext => new ImageContext(img, opts.trunc, repo, tag, digest, opts.now);
  if (isDangling(img)) return [make('<none>', '<none>', '<none>')];
  const repoTags = new Map<string, string[]>();
  const repoDigests = new Map<string, string[]>();
  for (const s of img.RepoTags ?? []) {
    try {
      const ref = parseNormalizedNamed(s);
      if (ref.tag === undefined) continue;
      const name = familiarName(ref);
      repoTags.set(name, [...(repoTags.get(name) ?? []), ref.tag]);
    } catch {
      /* skipped, as the docker CLI does */
    }
  }
  for (const s of img.RepoDigests ?? []) {
    try {
      const ref = parseNormalizedNamed(s);
      if (ref.digest === undefined) continue;
      const name = familiarName(ref);
      repoDigests.set(name, [...(repoDigests.get(name) ?? []), ref.digest]);
    } catch {
      /* skipped */
    }
  }
  const rows: ImageContext[] = [];
  for (const [repo, tags] of repoTags) {
    let digests = repoDigests.get(repo) ?? [];
    repoDigests.delete(repo);
    if (!opts.needDigest) digests = [];
    for (const tag of tags) {
      if (digests.length === 0) rows.push(make(repo, tag, '<none>'));
      else for (const d of digests) rows.push(make(repo, tag, d));
    }
  }
  for (const [repo, digests] of repoDigests) {
    if (opts.digest) for (const d of digests) rows.push(make(repo, '<none>', d));
    else rows.push(make(repo, '<none>', ''));
  }
  return rows;
}
