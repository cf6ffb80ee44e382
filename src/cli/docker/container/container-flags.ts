/**
 * The flags `docker run` (and `create`) share, with Docker's names,
 * shorthands and flag-time checks. Values are turned into the create body
 * by create-body.ts.
 */
import type { FlagDef } from '../common/command.js';
import { checkBytes, checkDuration, checkInt, checkNanoCpus, checkUint } from '../common/flag-values.js';
import { ramInBytes } from '../format/units.js';
import { checkDns, checkExtraHost } from './network-options.js';

function checkMemSwap(v: string): void {
  if (v !== '-1') ramInBytes(v);
}

export const CONTAINER_FLAGS: Record<string, FlagDef> = {
  'add-host': { type: 'list', value: 'list', help: 'Add a custom host-to-IP mapping (host:ip)', check: checkExtraHost },
  attach: { type: 'list', short: 'a', value: 'list', help: 'Attach to STDIN, STDOUT or STDERR', check: (v) => {
    if (!['stdin', 'stdout', 'stderr'].includes(v.toLowerCase())) throw new Error('valid streams are STDIN, STDOUT and STDERR');
  } },
  'cap-add': { type: 'list', value: 'list', help: 'Add Linux capabilities' },
  'cap-drop': { type: 'list', value: 'list', help: 'Drop Linux capabilities' },
  'cgroup-parent': { type: 'string', help: 'Optional parent cgroup for the container' },
  cgroupns: { type: 'string', help: 'Cgroup namespace to use (host|private)' },
  cidfile: { type: 'string', help: 'Write the container ID to the file' },
  'cpu-period': { type: 'string', value: 'int', help: 'Limit CPU CFS (Completely Fair Scheduler) period', check: checkInt },
  'cpu-quota': { type: 'string', value: 'int', help: 'Limit CPU CFS (Completely Fair Scheduler) quota', check: checkInt },
  'cpu-shares': { type: 'string', short: 'c', value: 'int', help: 'CPU shares (relative weight)', check: checkInt },
  cpus: { type: 'string', value: 'decimal', help: 'Number of CPUs', check: checkNanoCpus },
  'cpuset-cpus': { type: 'string', help: 'CPUs in which to allow execution (0-3, 0,1)' },
  'cpuset-mems': { type: 'string', help: 'MEMs in which to allow execution (0-3, 0,1)' },
  dns: { type: 'list', value: 'list', help: 'Set custom DNS servers', check: checkDns },
  'dns-option': { type: 'list', value: 'list', help: 'Set DNS options', aliases: ['dns-opt'] },
  'dns-search': { type: 'list', value: 'list', help: 'Set custom DNS search domains' },
  domainname: { type: 'string', help: 'Container NIS domain name' },
  entrypoint: { type: 'string', help: 'Overwrite the default ENTRYPOINT of the image' },
  env: { type: 'list', short: 'e', value: 'list', help: 'Set environment variables', check: (v) => {
    if (v.split('=')[0] === '') throw new Error(`invalid environment variable: ${v}`);
  } },
  'env-file': { type: 'list', value: 'list', help: 'Read in a file of environment variables' },
  expose: { type: 'list', value: 'list', help: 'Expose a port or a range of ports' },
  'group-add': { type: 'list', value: 'list', help: 'Add additional groups to join' },
  'health-cmd': { type: 'string', help: 'Command to run to check health' },
  'health-interval': { type: 'string', value: 'duration', help: 'Time between running the check (ms|s|m|h) (default 0s)', check: checkDuration },
  'health-retries': { type: 'string', value: 'int', help: 'Consecutive failures needed to report unhealthy', check: checkInt },
  'health-start-period': { type: 'string', value: 'duration', help: 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)', check: checkDuration },
  'health-timeout': { type: 'string', value: 'duration', help: 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)', check: checkDuration },
  help: { type: 'bool', help: 'Print usage' },
  hostname: { type: 'string', short: 'h', help: 'Container host name' },
  init: { type: 'bool', help: 'Run an init inside the container that forwards signals and reaps processes' },
  interactive: { type: 'bool', short: 'i', help: 'Keep STDIN open even if not attached' },
  ip: { type: 'string', help: 'IPv4 address (e.g., 172.30.100.104)' },
  ip6: { type: 'string', help: 'IPv6 address (e.g., 2001:db8::33)' },
  ipc: { type: 'string', help: 'IPC mode to use' },
  label: { type: 'list', short: 'l', value: 'list', help: 'Set meta data on a container', check: (v) => {
    if (v.split('=')[0] === '') throw new Error(`invalid label '${v}': empty name`);
  } },
  'label-file': { type: 'list', value: 'list', help: 'Read in a line delimited file of labels' },
  link: { type: 'list', value: 'list', help: 'Add link to another container' },
  'log-driver': { type: 'string', help: 'Logging driver for the container' },
  'log-opt': { type: 'list', value: 'list', help: 'Log driver options' },
  'mac-address': { type: 'string', help: 'Container MAC address (e.g., 92:d0:c6:0a:29:33)' },
  memory: { type: 'string', short: 'm', value: 'bytes', help: 'Memory limit', check: checkBytes },
  'memory-reservation': { type: 'string', value: 'bytes', help: 'Memory soft limit', check: checkBytes },
  'memory-swap': { type: 'string', value: 'bytes', help: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap", check: checkMemSwap },
  'memory-swappiness': { type: 'string', value: 'int', help: 'Tune container memory swappiness (0 to 100)', defaultText: '-1', check: checkInt },
  mount: { type: 'list', value: 'list', help: 'Attach a filesystem mount to the container' },
  name: { type: 'string', help: 'Assign a name to the container' },
  network: { type: 'list', value: 'list', help: 'Connect a container to a network', aliases: ['net'] },
  'network-alias': { type: 'list', value: 'list', help: 'Add network-scoped alias for the container', aliases: ['net-alias'] },
  'no-healthcheck': { type: 'bool', help: 'Disable any container-specified HEALTHCHECK' },
  'oom-kill-disable': { type: 'bool', help: 'Disable OOM Killer' },
  'oom-score-adj': { type: 'string', value: 'int', help: "Tune host's OOM preferences (-1000 to 1000)", check: checkInt },
  pid: { type: 'string', help: 'PID namespace to use' },
  'pids-limit': { type: 'string', value: 'int', help: 'Tune container pids limit (set -1 for unlimited)', check: checkInt },
  platform: { type: 'string', help: 'Set platform if server is multi-platform capable' },
  privileged: { type: 'bool', help: 'Give extended privileges to this container' },
  publish: { type: 'list', short: 'p', value: 'list', help: "Publish a container's port(s) to the host" },
  'publish-all': { type: 'bool', short: 'P', help: 'Publish all exposed ports to random ports' },
  pull: { type: 'string', help: 'Pull image before running ("always", "missing", "never")', defaultText: '"missing"' },
  quiet: { type: 'bool', short: 'q', help: 'Suppress the pull output' },
  'read-only': { type: 'bool', help: "Mount the container's root filesystem as read only" },
  restart: { type: 'string', help: 'Restart policy to apply when a container exits', defaultText: '"no"' },
  rm: { type: 'bool', help: 'Automatically remove the container and its associated anonymous volumes when it exits' },
  runtime: { type: 'string', help: 'Runtime to use for this container' },
  'security-opt': { type: 'list', value: 'list', help: 'Security Options' },
  'shm-size': { type: 'string', value: 'bytes', help: 'Size of /dev/shm', check: checkBytes },
  'stop-signal': { type: 'string', help: 'Signal to stop the container' },
  'stop-timeout': { type: 'string', value: 'int', help: 'Timeout (in seconds) to stop a container', check: checkInt },
  'storage-opt': { type: 'list', value: 'list', help: 'Storage driver options for the container' },
  sysctl: { type: 'list', value: 'map', help: 'Sysctl options' },
  tmpfs: { type: 'list', value: 'list', help: 'Mount a tmpfs directory' },
  tty: { type: 'bool', short: 't', help: 'Allocate a pseudo-TTY' },
  ulimit: { type: 'list', value: 'list', help: 'Ulimit options' },
  user: { type: 'string', short: 'u', help: 'Username or UID (format: <name|uid>[:<group|gid>])' },
  userns: { type: 'string', help: 'User namespace to use' },
  uts: { type: 'string', help: 'UTS namespace to use' },
  volume: { type: 'list', short: 'v', value: 'list', help: 'Bind mount a volume' },
  'volume-driver': { type: 'string', help: 'Optional volume driver for the container' },
  'volumes-from': { type: 'list', value: 'list', help: 'Mount volumes from the specified container(s)' },
  workdir: { type: 'string', short: 'w', help: 'Working directory inside the container' },
};

/** Flags only `run` has. */
export const RUN_FLAGS: Record<string, FlagDef> = {
  detach: { type: 'bool', short: 'd', help: 'Run container in background and print container ID' },
  'detach-keys': { type: 'string', help: 'Override the key sequence for detaching a container' },
  'sig-proxy': { type: 'bool', help: 'Proxy received signals to the process', defaultText: 'true' },
};

export { checkUint };
