import type { ContainerConfig, ImageConfig } from '../../core/index.js';

/**
 * Docker renders container.Config with Go's encoder: fixed field order,
 * `omitempty` on some fields, maps with sorted keys. Image IDs are digests
 * of these bytes, and clients compare inspect output, so the shape matters.
 */
export function goContainerConfig(c: ContainerConfig | null | undefined): Record<string, unknown> {
  const cfg = c ?? {};
  const out: Record<string, unknown> = {
    Hostname: cfg.Hostname ?? '',
    Domainname: cfg.Domainname ?? '',
    User: cfg.User ?? '',
    AttachStdin: cfg.AttachStdin ?? false,
    AttachStdout: cfg.AttachStdout ?? false,
    AttachStderr: cfg.AttachStderr ?? false,
  };
  if (cfg.ExposedPorts && Object.keys(cfg.ExposedPorts).length > 0) out['ExposedPorts'] = sortedMap(cfg.ExposedPorts);
  out['Tty'] = cfg.Tty ?? false;
  out['OpenStdin'] = cfg.OpenStdin ?? false;
  out['StdinOnce'] = cfg.StdinOnce ?? false;
  out['Env'] = cfg.Env ?? null;
  out['Cmd'] = cfg.Cmd ?? null;
  if (cfg.Healthcheck) out['Healthcheck'] = goHealthcheck(cfg.Healthcheck);
  if (cfg.ArgsEscaped) out['ArgsEscaped'] = true;
  out['Image'] = cfg.Image ?? '';
  out['Volumes'] = cfg.Volumes ? sortedMap(cfg.Volumes) : null;
  out['WorkingDir'] = cfg.WorkingDir ?? '';
  out['Entrypoint'] = cfg.Entrypoint ?? null;
  if (cfg.NetworkDisabled) out['NetworkDisabled'] = true;
  if (cfg.MacAddress) out['MacAddress'] = cfg.MacAddress;
  out['OnBuild'] = cfg.OnBuild ?? null;
  out['Labels'] = cfg.Labels ? sortedMap(cfg.Labels) : null;
  if (cfg.StopSignal) out['StopSignal'] = cfg.StopSignal;
  if (cfg.StopTimeout !== undefined && cfg.StopTimeout !== null) out['StopTimeout'] = cfg.StopTimeout;
  if (cfg.Shell && cfg.Shell.length > 0) out['Shell'] = cfg.Shell;
  return out;
}

function goHealthcheck(h: NonNullable<ContainerConfig['Healthcheck']>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (h.Test && h.Test.length > 0) out['Test'] = h.Test;
  if (h.Interval) out['Interval'] = h.Interval;
  if (h.Timeout) out['Timeout'] = h.Timeout;
  if (h.StartPeriod) out['StartPeriod'] = h.StartPeriod;
  if (h.Retries) out['Retries'] = h.Retries;
  return out;
}

export function sortedMap<T>(m: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(m).sort()) out[k] = m[k] as T;
  return out;
}

/**
 * The config blob bytes for an image Berth creates (import, commit):
 * top-level keys sorted, as Docker's image.Image marshals them.
 */
export function marshalImageConfig(img: ImageConfig): Buffer {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(img).sort()) {
    const v = img[key];
    if (v === undefined) continue;
    if (key === 'config' || key === 'container_config') out[key] = goContainerConfig(v as ContainerConfig);
    else out[key] = v;
  }
  return Buffer.from(JSON.stringify(out));
}

/** Go's zero time, which Docker shows for unset timestamps. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Go marshals time.Time as RFC3339Nano with trailing zeros trimmed. */
export function goTimeString(date: Date, extraNanos = 0): string {
  const iso = date.toISOString();
  const ms = iso.slice(20, 23);
  const frac = (ms + String(extraNanos).padStart(6, '0')).replace(/0+$/, '');
  return `${iso.slice(0, 19)}${frac ? '.' + frac : ''}Z`;
}

/** A wall-clock timestamp with nanosecond digits (Node gives microseconds at best). */
export function nowGoTime(): string {
  const ns = process.hrtime.bigint() % 1_000_000n;
  return goTimeString(new Date(), Number(ns));
}
