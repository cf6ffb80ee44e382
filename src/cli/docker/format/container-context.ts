/**
 * One `ps` row as the docker CLI's ContainerContext presents it to
 * templates: ID, Image, Command, CreatedAt, RunningFor, Ports, State,
 * Status, Size, Labels, Label, Mounts, LocalVolumes, Networks, Names,
 * Platform; `{{json .}}` gives every field, keys sorted.
 */
import { familiarString, parseNormalizedNamed } from '../../../core/index.js';
import type { ContainerSummary } from '../../engine-client/types.js';
import { displayablePorts, ellipsis, goQuote, marshalJson, truncateId } from './display.js';
import { GO_TYPE } from './go-template.js';
import { goTimeString } from './go-time.js';
import { humanDuration, humanSizeWithPrecision } from './units.js';

export const DEFAULT_PS_FORMAT = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';

/** A header context: field names map to column titles; Label "a.b-c" titles itself "b c". */
export function headerContext(names: Record<string, string>): Record<string, unknown> {
  return { ...names, Label: (name: unknown) => String(name).split('.').pop()!.replace(/[-_]/g, ' ') };
}

export const containerHeader = headerContext({
  ID: 'CONTAINER ID',
  Names: 'NAMES',
  Image: 'IMAGE',
  Command: 'COMMAND',
  CreatedAt: 'CREATED AT',
  RunningFor: 'CREATED',
  Ports: 'PORTS',
  State: 'STATE',
  Status: 'STATUS',
  Size: 'SIZE',
  Labels: 'LABELS',
  Mounts: 'MOUNTS',
  LocalVolumes: 'LOCAL VOLUMES',
  Networks: 'NETWORKS',
  Platform: 'PLATFORM',
});

const JSON_FIELDS = ['Command', 'CreatedAt', 'ID', 'Image', 'Labels', 'LocalVolumes', 'Mounts', 'Names', 'Networks', 'Platform', 'Ports', 'RunningFor', 'Size', 'State', 'Status'] as const;

export class ContainerContext {
  readonly [GO_TYPE] = '*formatter.ContainerContext';
  constructor(
    private readonly c: ContainerSummary,
    private readonly trunc: boolean,
    private readonly now: number = Date.now(),
  ) {}

  ID(): string {
    return this.trunc ? truncateId(this.c.Id) : this.c.Id;
  }

  Names(): string {
    const names = (this.c.Names ?? []).map((n) => n.replace(/^\//, ''));
    if (this.trunc) return names.find((n) => !n.includes('/')) ?? '';
    return names.join(',');
  }

  Image(): string {
    const image = this.c.Image;
    if (image === '') return '<no image>';
    if (!this.trunc) return image;
    if (truncateId(this.c.ImageID) === truncateId(image)) return truncateId(image);
    try {
      const ref = parseNormalizedNamed(image);
      delete ref.digest;
      return familiarString(ref);
    } catch {
      return image;
    }
  }

  Command(): string {
    return goQuote(this.trunc ? ellipsis(this.c.Command, 20) : this.c.Command);
  }

  CreatedAt(): string {
    return goTimeString(this.c.Created);
  }

  RunningFor(): string {
    return `${humanDuration(this.now - this.c.Created * 1000)} ago`;
  }

  Ports(): string {
    return displayablePorts(this.c.Ports ?? []);
  }

  State(): string {
    return this.c.State;
  }

  Status(): string {
    return this.c.Status;
  }

  Size(): string {
    const srw = humanSizeWithPrecision(this.c.SizeRw ?? 0, 3);
    const sv = humanSizeWithPrecision(this.c.SizeRootFs ?? 0, 3);
    return (this.c.SizeRootFs ?? 0) > 0 ? `${srw} (virtual ${sv})` : srw;
  }

  Labels(): string {
    if (!this.c.Labels) return '';
    return Object.entries(this.c.Labels)
      .map(([k, v]) => `${k}=${v}`)
      .sort()
      .join(',');
  }

  Label(name: unknown): string {
    return this.c.Labels?.[String(name)] ?? '';
  }

  Mounts(): string {
    return (this.c.Mounts ?? [])
      .map((m) => {
        const name = m.Name ? m.Name : m.Source ?? '';
        return this.trunc ? ellipsis(name, 15) : name;
      })
      .join(',');
  }

  LocalVolumes(): string {
    return String((this.c.Mounts ?? []).filter((m) => m.Driver === 'local').length);
  }

  Networks(): string {
    return Object.keys(this.c.NetworkSettings?.Networks ?? {}).join(',');
  }

  Platform(): null {
    return null;
  }

  /** MarshalJSON: every no-argument method, keys sorted, HTML-escaped. */
  goMarshalJSON(): string {
    const obj: Record<string, unknown> = {};
    for (const k of JSON_FIELDS) obj[k] = this[k]();
    return marshalJson(obj);
  }
}
