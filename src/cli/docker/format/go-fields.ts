/**
 * Docker's Go structs name some fields differently from their JSON keys
 * (`ID` is sent as "Id", `NanoCPUs` as "NanoCpus"…). Templates on the
 * typed structs use the Go names, and `inspect` falls back to the JSON
 * keys, so both must resolve: the Go names are added as non-enumerable
 * aliases (JSON output is unchanged).
 */
const GO_NAMES: Record<string, string> = {
  ID: 'Id',
  APIVersion: 'ApiVersion',
  CPUShares: 'CpuShares',
  NanoCPUs: 'NanoCpus',
  CPUPeriod: 'CpuPeriod',
  CPUQuota: 'CpuQuota',
  CPURealtimePeriod: 'CpuRealtimePeriod',
  CPURealtimeRuntime: 'CpuRealtimeRuntime',
  CPUCount: 'CpuCount',
  CPUPercent: 'CpuPercent',
  CPUCfsPeriod: 'CpuCfsPeriod',
  CPUCfsQuota: 'CpuCfsQuota',
  DNS: 'Dns',
  DNSOptions: 'DnsOptions',
  DNSSearch: 'DnsSearch',
  HTTPProxy: 'HttpProxy',
  HTTPSProxy: 'HttpsProxy',
};

/** Adds the Go-name aliases throughout a decoded JSON value (in place). */
export function withGoNames<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const v of value) withGoNames(v);
  } else if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const v of Object.values(obj)) withGoNames(v);
    for (const [goName, jsonName] of Object.entries(GO_NAMES)) {
      if (jsonName in obj && !(goName in obj)) Object.defineProperty(obj, goName, { get: () => obj[jsonName], enumerable: false });
    }
  }
  return value;
}
