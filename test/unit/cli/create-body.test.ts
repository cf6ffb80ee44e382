import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInvocation } from '../../../src/cli/docker/common/command.js';
import { buildCreateRequest } from '../../../src/cli/docker/container/create-body.js';
import { spec } from '../../../src/cli/docker/run.js';

const build = (argv: string[], detach = argv.includes('-d')) => buildCreateRequest(parseInvocation(spec, argv), { detach, consoleSize: [0, 0] });

// Bodies recorded on the wire from docker CLI 28.2.2 (API 1.41) for the same flags.
const DEFAULT_ENDPOINT = { IPAMConfig: null, Links: null, Aliases: null, MacAddress: '', DriverOpts: null, GwPriority: 0, NetworkID: '', EndpointID: '', Gateway: '', IPAddress: '', IPPrefixLen: 0, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, DNSNames: null };
const RECORDED_DEFAULT = `{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":null,"Cmd":["true"],"Image":"busybox:test","Volumes":{},"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":{},"HostConfig":{"Binds":null,"ContainerIDFile":"","LogConfig":{"Type":"","Config":{}},"NetworkMode":"default","PortBindings":{},"RestartPolicy":{"Name":"no","MaximumRetryCount":0},"AutoRemove":false,"VolumeDriver":"","VolumesFrom":null,"ConsoleSize":[0,0],"CapAdd":null,"CapDrop":null,"CgroupnsMode":"","Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Cgroup":"","Links":null,"OomScoreAdj":0,"PidMode":"","Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,"SecurityOpt":null,"UTSMode":"","UsernsMode":"","ShmSize":0,"Isolation":"","CpuShares":0,"Memory":0,"NanoCpus":0,"CgroupParent":"","BlkioWeight":0,"BlkioWeightDevice":[],"BlkioDeviceReadBps":[],"BlkioDeviceWriteBps":[],"BlkioDeviceReadIOps":[],"BlkioDeviceWriteIOps":[],"CpuPeriod":0,"CpuQuota":0,"CpuRealtimePeriod":0,"CpuRealtimeRuntime":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"DeviceCgroupRules":null,"DeviceRequests":null,"MemoryReservation":0,"MemorySwap":0,"MemorySwappiness":-1,"OomKillDisable":false,"PidsLimit":0,"Ulimits":[],"CpuCount":0,"CpuPercent":0,"IOMaximumIOps":0,"IOMaximumBandwidth":0,"MaskedPaths":null,"ReadonlyPaths":null},"NetworkingConfig":{"EndpointsConfig":{"default":${JSON.stringify(DEFAULT_ENDPOINT)}}}}`;

test('run -d IMAGE cmd: the same body, key order included, as docker CLI 28', () => {
  assert.equal(JSON.stringify(build(['-d', 'busybox:test', 'true']).body), RECORDED_DEFAULT);
});

test('run with many flags: the recorded body', () => {
  const req = build(['--rm', '-e', 'A=1', '-w', '/tmp', '-u', '0', '--name', 'full1', '--hostname', 'hh', '-l', 'x=y', '--restart', 'no', '--memory', '64m', '--cpus', '0.5', '--cpu-shares', '512', '--pids-limit', '50', '--read-only', '--cap-add', 'NET_ADMIN', '--cap-drop', 'chown', '--init', '--stop-signal', 'SIGUSR1', '--stop-timeout', '5', '--health-cmd', 'true', '--health-interval', '1s', '--health-retries', '2', '-v', '/tmp:/h:ro', '--mount', 'type=tmpfs,target=/tt', '-p', '127.0.0.1:18081:80', '-p', '9000', '--network', 'none', '--dns', '1.1.1.1', '--add-host', 'a:1.2.3.4', '--tmpfs', '/run:size=1m', '--log-opt', 'max-size=1m', '--entrypoint', '/bin/sh', 'busybox:test', '-c', 'echo hi; exit 3']);
  const b = req.body as Record<string, unknown> & { HostConfig: Record<string, unknown> };
  assert.deepEqual(Object.keys(b).slice(0, 9), ['Hostname', 'Domainname', 'User', 'AttachStdin', 'AttachStdout', 'AttachStderr', 'ExposedPorts', 'Tty', 'OpenStdin']);
  assert.deepEqual(b['ExposedPorts'], { '80/tcp': {}, '9000/tcp': {} });
  assert.deepEqual(b['Healthcheck'], { Test: ['CMD-SHELL', 'true'], Interval: 1e9, Retries: 2 });
  assert.deepEqual(b['Entrypoint'], ['/bin/sh']);
  assert.deepEqual(b['Cmd'], ['-c', 'echo hi; exit 3']);
  assert.equal(b['StopSignal'], 'SIGUSR1');
  assert.equal(b['StopTimeout'], 5);
  const h = b.HostConfig;
  assert.deepEqual(h['Binds'], ['/tmp:/h:ro']);
  assert.deepEqual(h['LogConfig'], { Type: '', Config: { 'max-size': '1m' } });
  assert.equal(h['NetworkMode'], 'none');
  assert.deepEqual(h['PortBindings'], { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '18081' }], '9000/tcp': [{ HostIp: '', HostPort: '' }] });
  assert.deepEqual(h['CapAdd'], ['CAP_NET_ADMIN']);
  assert.deepEqual(h['CapDrop'], ['CAP_CHOWN']);
  assert.deepEqual(h['ExtraHosts'], ['a:1.2.3.4']);
  assert.deepEqual(h['Tmpfs'], { '/run': 'size=1m' });
  assert.equal(h['Memory'], 67108864);
  assert.equal(h['NanoCpus'], 500000000);
  assert.equal(h['CpuShares'], 512);
  assert.equal(h['PidsLimit'], 50);
  assert.equal(h['ReadonlyRootfs'], true);
  assert.equal(h['AutoRemove'], true);
  assert.deepEqual(h['Mounts'], [{ Type: 'tmpfs', Target: '/tt' }]);
  assert.equal(h['Init'], true);
  assert.deepEqual(Object.keys(h).slice(-4), ['Mounts', 'MaskedPaths', 'ReadonlyPaths', 'Init']);
  assert.deepEqual(b['NetworkingConfig'], { EndpointsConfig: {} });
  assert.equal(req.attachStdout && req.attachStderr && !req.attachStdin, true);
});

test('interactive, tty, detached and other recorded details', () => {
  const it = build(['-i', '-t', 'busybox:test', 'sh']);
  assert.equal(it.body['AttachStdin'], true);
  assert.equal(it.body['OpenStdin'], true);
  assert.equal(it.body['StdinOnce'], true);
  assert.equal(it.body['Tty'], true);
  const dit = build(['-d', '-i', '-t', '--entrypoint=', '--restart', 'on-failure:3', '--privileged', '-P', '--expose', '7000-7001/udp', '--runtime', 'runc', '--mount', 'type=bind,src=/tmp,dst=/x,readonly', '--mount', 'type=volume,dst=/v', '--init=false', '--stop-timeout', '0', 'busybox:test']);
  const b = dit.body as Record<string, unknown> & { HostConfig: Record<string, unknown> };
  assert.equal(b['AttachStdin'], false);
  assert.equal(b['StdinOnce'], false);
  assert.deepEqual(b['Entrypoint'], ['']);
  assert.equal(b['StopTimeout'], 0);
  assert.deepEqual(b['ExposedPorts'], { '7000/udp': {}, '7001/udp': {} });
  assert.deepEqual(b.HostConfig['RestartPolicy'], { Name: 'on-failure', MaximumRetryCount: 3 });
  assert.deepEqual(b.HostConfig['Mounts'], [{ Type: 'bind', Source: '/tmp', Target: '/x', ReadOnly: true }, { Type: 'volume', Target: '/v' }]);
  assert.equal(b.HostConfig['Init'], false);
  const keys = Object.keys(b.HostConfig);
  assert.equal(keys.indexOf('Runtime'), keys.indexOf('ShmSize') + 1);
  const vols = build(['-v', 'named:/data', '-v', '/anon', '-v', '/tmp:/t:rw', '--cap-add', 'ALL', '--network', 'mynet', '--network-alias', 'foo', '--network-alias', 'bar', 'busybox:test']);
  assert.deepEqual(vols.body['Volumes'], { '/anon': {} });
  assert.deepEqual((vols.body['HostConfig'] as Record<string, unknown>)['Binds'], ['named:/data', '/tmp:/t:rw']);
  assert.deepEqual((vols.body['HostConfig'] as Record<string, unknown>)['CapAdd'], ['ALL']);
  assert.deepEqual(vols.body['NetworkingConfig'], { EndpointsConfig: { mynet: { ...DEFAULT_ENDPOINT, Aliases: ['foo', 'bar'] } } });
  assert.deepEqual(build(['--network', 'host', '--ip', '1.2.3.4', 'x']).body['NetworkingConfig'], { EndpointsConfig: { host: { ...DEFAULT_ENDPOINT, IPAMConfig: { IPv4Address: '1.2.3.4' } } } });
  assert.deepEqual(build(['-a', 'stdout', '-l', 'z', 'x']).body['Labels'], { z: '' });
  assert.equal(build(['-a', 'stdout', 'x']).attachStderr, false);
});

test('client-side validation errors carry the docker CLI messages', () => {
  assert.throws(() => build(['--restart', 'always', '--rm', 'x']), /^Error: conflicting options: cannot specify both --restart and --rm$/);
  assert.throws(() => build(['--network-alias', 'x', 'img']), /network-scoped aliases are only supported for user-defined networks/);
  assert.throws(() => build(['-p', 'abc', 'img']), /^Error: invalid containerPort: abc$/);
  assert.throws(() => build(['--restart', 'bogus', 'img']), /unknown policy 'bogus'/);
  assert.throws(() => build(['--restart', 'always:3', 'img']), /maximum retry count can only be used with 'on-failure'/);
  assert.throws(() => build(['--no-healthcheck', '--health-cmd', 'true', 'img']), /--no-healthcheck conflicts with --health-\* options/);
  assert.throws(() => build(['--mount', 'type=bind,src=/x', 'img']), /target is required/);
  assert.throws(() => build(['--mount', 'type=tmpfs,target=/x,volume-nocopy', 'img']), /cannot mix 'volume-\*' options with mount type 'tmpfs'/);
  assert.throws(() => build(['--expose', '1:2', 'img']), /invalid port format for --expose: 1:2/);
  assert.throws(() => parseInvocation(spec, ['--memory', '1x', 'img']), /invalid argument "1x" for "-m, --memory" flag: invalid suffix: 'x'/);
  assert.throws(() => parseInvocation(spec, ['--cpus', 'abc', 'img']), /invalid argument "abc" for "--cpus" flag: failed to parse abc as a rational number/);
  assert.throws(() => parseInvocation(spec, ['--health-interval', '5x', 'img']), /time: unknown unit "x" in duration "5x"/);
});

test('flags stop at the image: the command keeps its own flags', () => {
  const req = build(['--rm', 'img', 'ls', '-la', '--rm']);
  assert.deepEqual(req.body['Cmd'], ['ls', '-la', '--rm']);
  assert.equal(req.image, 'img');
});
