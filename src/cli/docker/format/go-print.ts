/**
 * How Go's fmt prints values in templates (`%v`): slices as `[a b]`, maps
 * as `map[k:v]` with sorted keys, structs as `{v1 v2}`, nil as `<nil>`, a
 * missing map entry as `<no value>`. Data decoded from JSON does not say
 * which objects were Go maps and which structs, nor whether a null was a
 * nil slice, so well-known Docker field names serve as type hints.
 */

/** Objects with this method print like a Go Stringer. */
export interface GoStringer {
  goString(): string;
}

const MAP_FIELDS = new Set(['Labels', 'Options', 'ExposedPorts', 'Volumes', 'Ports', 'Networks', 'Data', 'Tmpfs', 'Sysctls', 'StorageOpt', 'DriverOpts', 'PortBindings', 'Attributes', 'Annotations']);
const SLICE_FIELDS = new Set([
  'Env', 'Cmd', 'Entrypoint', 'Args', 'Binds', 'CapAdd', 'CapDrop', 'Capabilities', 'Dns', 'DnsOptions', 'DnsSearch', 'ExtraHosts', 'Links', 'Mounts',
  'RepoTags', 'RepoDigests', 'Layers', 'VolumesFrom', 'GroupAdd', 'SecurityOpt', 'Devices', 'DeviceRequests', 'DeviceCgroupRules', 'Ulimits', 'OnBuild',
  'Aliases', 'Shell', 'MaskedPaths', 'ReadonlyPaths', 'ExecIDs', 'Log', 'Names', 'Test', 'BlkioWeightDevice', 'BlkioDeviceReadBps', 'BlkioDeviceWriteBps',
  'BlkioDeviceReadIOps', 'BlkioDeviceWriteIOps', 'DNSNames', 'Warnings', 'SecondaryIPAddresses', 'SecondaryIPv6Addresses', 'Components',
]);

export function isStringer(v: unknown): v is GoStringer {
  return typeof v === 'object' && v !== null && typeof (v as Partial<GoStringer>).goString === 'function';
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return Math.abs(n) >= 1e21 ? BigInt(n).toString() : String(n);
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** `%v` of a value; `field` is the name it was reached by, used as a type hint. */
export function goString(v: unknown, field?: string): string {
  if (v === undefined) return '<no value>';
  if (v === null) {
    if (field !== undefined && SLICE_FIELDS.has(field)) return '[]';
    if (field !== undefined && MAP_FIELDS.has(field)) return 'map[]';
    return '<nil>';
  }
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return formatNumber(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'function':
      return '<func>';
  }
  if (isStringer(v)) return v.goString();
  if (Array.isArray(v)) return `[${v.map((x) => goString(x === undefined ? null : x)).join(' ')}]`;
  if (v instanceof Map) return mapString([...v.entries()].map(([k, x]) => [String(k), x]));
  const entries = Object.entries(v as Record<string, unknown>);
  if (field !== undefined && MAP_FIELDS.has(field)) return mapString(entries);
  return `{${entries.map(([k, x]) => goString(x, k)).join(' ')}}`;
}

function mapString(entries: [string, unknown][]): string {
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[${entries.map(([k, x]) => `${k}:${goString(x)}`).join(' ')}]`;
}

/** fmt.Sprint: operands separated by a space when neither side is a string. */
export function sprint(args: unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += goString(a);
  });
  return out;
}

/** fmt.Sprintf with the verbs templates use: %v %s %d %q %t %x %X %f %%. */
export function sprintf(format: string, args: unknown[]): string {
  let i = 0;
  return format.replace(/%([-+ 0#]*)(\d*)(?:\.(\d+))?([vsdqtxXfeg%])/g, (_m, flags: string, width: string, prec: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) return `%!${verb}(MISSING)`;
    const a = args[i++];
    let s: string;
    switch (verb) {
      case 'd':
        s = typeof a === 'number' ? String(Math.trunc(a)) : `%!d(${typeof a}=${goString(a)})`;
        break;
      case 'q':
        s = JSON.stringify(goString(a));
        break;
      case 'x':
      case 'X':
        s = typeof a === 'number' ? a.toString(16) : Buffer.from(goString(a)).toString('hex');
        if (verb === 'X') s = s.toUpperCase();
        break;
      case 'f':
      case 'e':
      case 'g':
        s = typeof a === 'number' ? (verb === 'f' ? a.toFixed(prec === undefined ? 6 : Number(prec)) : verb === 'e' ? a.toExponential(prec === undefined ? 6 : Number(prec)) : String(a)) : `%!${verb}(${goString(a)})`;
        break;
      default:
        s = goString(a);
        if (verb === 's' && prec !== undefined) s = s.slice(0, Number(prec));
    }
    const w = Number(width || 0);
    if (s.length < w) s = flags.includes('-') ? s.padEnd(w) : s.padStart(w, flags.includes('0') && verb !== 's' ? '0' : ' ');
    return s;
  });
}
