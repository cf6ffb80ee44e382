/**
 * The container lifecycle through the real docker CLI against one engine:
 * create/start/stop/kill/restart/pause/rm/rename/wait/inspect/top/ps/prune,
 * with dockerd 20.10's messages, exit codes and event sequences.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { TestEngine } from '../../../fixtures/engine.js';
import { cgroupsUnder, closeAndCheck, enginePids, eventsBetween, mountsUnder, IMAGE, inspect, inspectField, ok, removeAll, skipReason, sleep, startE2eEngine, unixNow, waitFor } from './e2e.js';

const skip = skipReason();

describe('container lifecycle (docker CLI)', { skip, timeout: 300_000 }, () => {
  let e: TestEngine;
  before(async () => {
    e = await startE2eEngine();
  });
  after(() => closeAndCheck(e));

  test('create, start, stop: states, timestamps and the events in dockerd order', async () => {
    const since = unixNow();
    const id = await ok(e, ['create', '--name', 'lc1', IMAGE, 'sleep', '100']);
    assert.match(id, /^[0-9a-f]{64}$/);
    let st = (await inspect(e, 'lc1'))['State'];
    assert.equal(st.Status, 'created');
    assert.equal(st.StartedAt, '0001-01-01T00:00:00Z');
    assert.equal(await ok(e, ['start', 'lc1']), 'lc1');
    st = (await inspect(e, 'lc1'))['State'];
    assert.equal(st.Status, 'running');
    assert.ok(st.Pid > 0 && existsSync(`/proc/${st.Pid}`), 'the process runs');
    // the leak detectors closeAndCheck relies on do see a running container
    assert.ok(enginePids(e).includes(st.Pid), 'its process is found as the engine\'s');
    assert.ok(cgroupsUnder(e).some((c) => c.endsWith(`/${id}`)), 'its cgroup is found under the engine\'s parent');
    assert.ok(mountsUnder(e.dir).some((m) => m.endsWith(`/rootfs/${id}`)), 'its rootfs mount is found');
    // busybox sleep as pid 1 ignores SIGTERM: stop waits for the timeout, then kills.
    const t0 = Date.now();
    assert.equal(await ok(e, ['stop', '-t', '1', 'lc1']), 'lc1');
    const took = Date.now() - t0;
    assert.ok(took >= 900 && took < 6000, `stop -t 1 took ${took} ms`);
    st = (await inspect(e, 'lc1'))['State'];
    assert.equal(st.Status, 'exited');
    assert.equal(st.ExitCode, 137);
    assert.ok(Date.parse(st.FinishedAt) >= Date.parse(st.StartedAt));
    const events = await eventsBetween(e, Number(since), Number(unixNow()), ['container=lc1', 'type=container']);
    assert.deepEqual(events.map((x) => `${x.Action}${x.Actor.Attributes.signal ? ' ' + x.Actor.Attributes.signal : ''}`), ['create', 'start', 'kill 15', 'kill 9', 'die', 'stop']);
    const die = events.find((x) => x.Action === 'die');
    assert.equal(die?.Actor.Attributes.exitCode, '137');
    assert.equal(die?.status, 'die', 'API 1.41 keeps the legacy status/id/from fields');
    assert.equal(die?.from, IMAGE);
    assert.equal(die?.Actor.Attributes.name, 'lc1');
    // A second stop and a second start are no-ops (304), the CLI still prints the name.
    assert.equal(await ok(e, ['stop', 'lc1']), 'lc1');
    assert.equal((await e.api('POST', '/containers/lc1/stop')).status, 304);
    await ok(e, ['start', 'lc1']);
    assert.equal((await e.api('POST', '/containers/lc1/start')).status, 304);
    await ok(e, ['rm', '-f', 'lc1']);
  });

  test('--stop-signal and --stop-timeout: the container decides, or is killed after its own timeout', async () => {
    await ok(e, ['run', '-d', '--name', 'sig1', '--stop-signal', 'SIGUSR1', IMAGE, 'sh', '-c', 'trap "echo got-usr1; exit 7" USR1; echo ready; while :; do sleep 0.1; done']);
    await waitFor('ready', async () => (await e.docker(['logs', 'sig1'])).stdout.includes('ready'));
    assert.equal(await inspectField(e, 'sig1', '{{.Config.StopSignal}}'), 'SIGUSR1');
    const t0 = Date.now();
    await ok(e, ['stop', 'sig1']);
    assert.ok(Date.now() - t0 < 5000, 'the trap ended it at once');
    assert.equal(await inspectField(e, 'sig1', '{{.State.ExitCode}}'), '7');
    assert.match(await ok(e, ['logs', 'sig1']), /got-usr1/);

    await ok(e, ['run', '-d', '--name', 'sig2', '--stop-timeout', '1', IMAGE, 'sh', '-c', 'trap "echo ignored" TERM; echo ready; while :; do sleep 0.1; done']);
    await waitFor('ready', async () => (await e.docker(['logs', 'sig2'])).stdout.includes('ready'));
    assert.equal(await inspectField(e, 'sig2', '{{.Config.StopTimeout}}'), '1');
    const t1 = Date.now();
    await ok(e, ['stop', 'sig2']);
    const took = Date.now() - t1;
    assert.ok(took >= 900 && took < 6000, `the container's own 1 s timeout, not 10 s (${took} ms)`);
    assert.equal(await inspectField(e, 'sig2', '{{.State.ExitCode}}'), '137');
    assert.match(await ok(e, ['logs', 'sig2']), /ignored/);
    await ok(e, ['rm', 'sig1', 'sig2']);
  });

  test('kill: -s by name and number, the default SIGKILL, invalid signals and stopped containers', async () => {
    await ok(e, ['run', '-d', '--name', 'k1', IMAGE, 'sh', '-c', 'trap "echo hup" HUP; trap "exit 42" USR2; echo ready; while :; do sleep 0.1; done']);
    await waitFor('ready', async () => (await e.docker(['logs', 'k1'])).stdout.includes('ready'));
    assert.equal(await ok(e, ['kill', '-s', 'HUP', 'k1']), 'k1');
    await waitFor('hup handled', async () => (await e.docker(['logs', 'k1'])).stdout.includes('hup'));
    assert.equal(await inspectField(e, 'k1', '{{.State.Running}}'), 'true', 'a handled signal does not stop it');
    const bad = await e.docker(['kill', '-s', 'FOO', 'k1']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr.trim(), 'Error response from daemon: Invalid signal: FOO');
    await ok(e, ['kill', '-s', '12', 'k1']); // SIGUSR2 by number
    assert.equal(await ok(e, ['wait', 'k1']), '42');
    const notRunning = await e.docker(['kill', 'k1']);
    assert.equal(notRunning.code, 1);
    const k1 = await inspectField(e, 'k1', '{{.Id}}');
    assert.equal(notRunning.stderr.trim(), `Error response from daemon: Container ${k1} is not running`);
    await ok(e, ['start', 'k1']);
    await ok(e, ['kill', 'k1']);
    assert.equal(await inspectField(e, 'k1', '{{.State.ExitCode}} {{.State.Status}}'), '137 exited');
    await ok(e, ['rm', 'k1']);
  });

  test('restart keeps the container and its RestartCount, with a new process', async () => {
    await ok(e, ['run', '-d', '--name', 'rs1', IMAGE, 'sleep', '100']);
    const before = await inspect(e, 'rs1');
    const since = unixNow();
    await ok(e, ['restart', '-t', '0', 'rs1']);
    const after = await inspect(e, 'rs1');
    assert.equal(after['State'].Status, 'running');
    assert.notEqual(after['State'].Pid, before['State'].Pid);
    assert.notEqual(after['State'].StartedAt, before['State'].StartedAt);
    assert.equal(after['RestartCount'], 0, 'only restart policies count');
    const actions = (await eventsBetween(e, Number(since), Number(unixNow()), ['container=rs1'])).filter((x) => x.Type === 'container').map((x) => x.Action);
    assert.deepEqual(actions, ['kill', 'kill', 'die', 'stop', 'start', 'restart'], 'TERM, then KILL at once (-t 0)');
    // restart of a stopped container starts it
    await ok(e, ['stop', '-t', '0', 'rs1']);
    await ok(e, ['restart', 'rs1']);
    assert.equal(await inspectField(e, 'rs1', '{{.State.Status}}'), 'running');
    await ok(e, ['rm', '-f', 'rs1']);
  });

  test('pause and unpause freeze the cgroup; paused containers refuse exec, start and rm; kill thaws', async () => {
    await ok(e, ['run', '-d', '--name', 'p1', IMAGE, 'sh', '-c', 'trap "exit 9" TERM; while :; do sleep 0.1; done']);
    const id = await inspectField(e, 'p1', '{{.Id}}');
    const freezer = readdirSync('/sys/fs/cgroup').includes('freezer') ? `/sys/fs/cgroup/freezer/berth-test-${e.tag}/${id}/freezer.state` : undefined;
    await ok(e, ['pause', 'p1']);
    assert.equal(await inspectField(e, 'p1', '{{.State.Status}} {{.State.Paused}} {{.State.Running}}'), 'paused true true');
    if (freezer) assert.equal(readFileSync(freezer, 'utf8').trim(), 'FROZEN');
    assert.match(await ok(e, ['ps', '--filter', 'name=p1', '--format', '{{.Status}}']), /^Up .* \(Paused\)$/);
    const again = await e.docker(['pause', 'p1']);
    assert.equal(again.stderr.trim(), `Error response from daemon: Container ${id} is already paused`);
    const exec = await e.docker(['exec', 'p1', 'true']);
    assert.equal(exec.code, 1);
    assert.match(exec.stderr, /is paused, unpause the container before exec/);
    const start = await e.docker(['start', 'p1']);
    assert.match(start.stderr, /cannot start a paused container, try unpause instead/);
    const rm = await e.docker(['rm', 'p1']);
    assert.equal(rm.stderr.trim(), `Error response from daemon: You cannot remove a paused container ${id}. Unpause and then stop the container before attempting removal or force remove`);
    await ok(e, ['unpause', 'p1']);
    if (freezer) assert.equal(readFileSync(freezer, 'utf8').trim(), 'THAWED');
    assert.equal(await inspectField(e, 'p1', '{{.State.Status}}'), 'running');
    const notPaused = await e.docker(['unpause', 'p1']);
    assert.equal(notPaused.stderr.trim(), `Error response from daemon: Container ${id} is not paused`);
    // dockerd 20.10: a signal sent to a paused container is queued and the container thawed.
    await ok(e, ['pause', 'p1']);
    await ok(e, ['kill', '-s', 'TERM', 'p1']);
    assert.equal(await ok(e, ['wait', 'p1'], { timeoutMs: 10_000 }), '9', 'the trap ran: the container was thawed');
    await ok(e, ['rm', 'p1']);
  });

  test('rm: a running container is refused, -f kills it (kill 9), -v removes its anonymous volumes only', async () => {
    await ok(e, ['volume', 'create', 'keepme']);
    await ok(e, ['run', '-d', '--name', 'rm1', '-v', '/anon', '-v', 'keepme:/named', IMAGE, 'sleep', '100']);
    const id = await inspectField(e, 'rm1', '{{.Id}}');
    const anon = await inspectField(e, 'rm1', '{{range .Mounts}}{{if eq .Destination "/anon"}}{{.Name}}{{end}}{{end}}');
    assert.match(anon, /^[0-9a-f]{64}$/);
    const refused = await e.docker(['rm', 'rm1']);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr.trim(), `Error response from daemon: You cannot remove a running container ${id}. Stop the container before attempting removal or force remove`);
    const since = unixNow();
    assert.equal(await ok(e, ['rm', '-f', '-v', 'rm1']), 'rm1');
    const actions = (await eventsBetween(e, Number(since), Number(unixNow()), ['container=rm1', 'type=container'])).map((x) => `${x.Action}${x.Actor.Attributes.signal ? ' ' + x.Actor.Attributes.signal : ''}`);
    assert.deepEqual(actions, ['kill 9', 'die', 'destroy']);
    const volumes = (await ok(e, ['volume', 'ls', '-q'])).split('\n');
    assert.ok(!volumes.includes(anon), 'rm -v removed the anonymous volume');
    assert.ok(volumes.includes('keepme'), 'named volumes stay');
    const gone = await e.docker(['rm', 'rm1']);
    assert.equal(gone.stderr.trim(), 'Error response from daemon: No such container: rm1');
    // without -v the anonymous volume stays
    await ok(e, ['run', '--name', 'rm2', '-v', '/anon2', IMAGE, 'true']);
    const anon2 = await inspectField(e, 'rm2', '{{range .Mounts}}{{.Name}}{{end}}');
    await ok(e, ['rm', 'rm2']);
    assert.ok((await ok(e, ['volume', 'ls', '-q'])).split('\n').includes(anon2));
    await ok(e, ['volume', 'rm', anon2, 'keepme']);
  });

  test('rename: the new name resolves, the old one is free, errors as dockerd words them', async () => {
    await ok(e, ['run', '-d', '--name', 'old1', IMAGE, 'sleep', '100']);
    await ok(e, ['run', '-d', '--name', 'other1', IMAGE, 'sleep', '100']);
    const since = unixNow();
    await ok(e, ['rename', 'old1', 'new1']);
    assert.equal(await inspectField(e, 'new1', '{{.Name}}'), '/new1');
    assert.equal((await e.api('GET', '/containers/old1/json')).status, 404);
    const ev = (await eventsBetween(e, Number(since), Number(unixNow()), ['event=rename']))[0];
    assert.equal(ev?.Actor.Attributes.oldName, '/old1');
    assert.equal(ev?.Actor.Attributes.name, 'new1');
    const other = await inspectField(e, 'other1', '{{.Id}}');
    const taken = await e.docker(['rename', 'new1', 'other1']);
    assert.equal(taken.stderr.split('\n')[0], `Error response from daemon: Error when allocating new name: Conflict. The container name "/other1" is already in use by container "${other}". You have to remove (or rename) that container to be able to reuse that name.`);
    const same = await e.docker(['rename', 'new1', 'new1']);
    assert.equal(same.stderr.split('\n')[0], 'Error response from daemon: Renaming a container with the same name as its current name');
    const invalid = await e.docker(['rename', 'new1', 'bad name']);
    assert.equal(invalid.stderr.split('\n')[0], 'Error response from daemon: Error when allocating new name: Invalid container name (/bad name), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed');
    await ok(e, ['run', '-d', '--name', 'old1', IMAGE, 'true']);
    await ok(e, ['rm', '-f', 'old1', 'new1', 'other1']);
  });

  test('wait: docker wait prints each exit code; the API conditions not-running, next-exit and removed', async () => {
    await ok(e, ['run', '-d', '--name', 'w1', IMAGE, 'sh', '-c', 'sleep 0.5; exit 4']);
    await ok(e, ['create', '--name', 'w2', IMAGE, 'sh', '-c', 'exit 5']);
    assert.equal(await ok(e, ['wait', 'w1', 'w1']), '4\n4');
    const missing = await e.docker(['wait', 'nosuch', 'w1']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout.trim(), '4');
    assert.equal(missing.stderr.trim(), 'Error response from daemon: No such container: nosuch');
    // not-running answers at once for a created container (exit code 0) and for an exited one.
    assert.deepEqual(JSON.parse((await e.api('POST', '/containers/w2/wait')).body), { Error: null, StatusCode: 0 });
    // 1.41 treats an unknown condition as not-running (400 only from 1.42).
    assert.equal((await e.api('POST', '/v1.41/containers/w1/wait?condition=bogus')).body.trim(), '{"Error":null,"StatusCode":4}');
    // next-exit waits for the coming exit even of a stopped container, removed for the removal.
    const next = e.api('POST', '/containers/w2/wait?condition=next-exit');
    const removed = e.api('POST', '/containers/w2/wait?condition=removed');
    let settled = false;
    void next.then(() => (settled = true));
    await sleep(300);
    assert.equal(settled, false, 'next-exit is still waiting');
    await ok(e, ['start', 'w2']);
    assert.deepEqual(JSON.parse((await next).body), { Error: null, StatusCode: 5 });
    let removedDone = false;
    void removed.then(() => (removedDone = true));
    await sleep(200);
    assert.equal(removedDone, false, 'removed waits for the removal');
    await ok(e, ['rm', 'w2']);
    assert.deepEqual(JSON.parse((await removed).body), { Error: null, StatusCode: 5 });
    await ok(e, ['rm', 'w1']);
  });

  test('inspect carries the key fields of dockerd 20.10 with their values', async () => {
    await ok(e, ['run', '-d', '--name', 'in1', '-e', 'A=1', '-l', 'x=y', '-w', '/tmp', '-u', 'nobody', '--hostname', 'hh', '--restart', 'on-failure:3', '--memory', '64m', IMAGE, 'sleep', '100']);
    const j = await inspect(e, 'in1');
    for (const k of ['Id', 'Created', 'Path', 'Args', 'State', 'Image', 'ResolvConfPath', 'HostnamePath', 'HostsPath', 'LogPath', 'Name', 'RestartCount', 'Driver', 'Platform', 'MountLabel', 'ProcessLabel', 'AppArmorProfile', 'ExecIDs', 'HostConfig', 'GraphDriver', 'Mounts', 'Config', 'NetworkSettings']) {
      assert.ok(k in j, `inspect has ${k}`);
    }
    assert.equal(j['Name'], '/in1');
    assert.equal(j['Path'], 'sleep');
    assert.deepEqual(j['Args'], ['100']);
    assert.match(j['Image'], /^sha256:[0-9a-f]{64}$/);
    assert.equal(j['Driver'], 'overlay2');
    assert.equal(j['GraphDriver'].Name, 'overlay2');
    for (const k of ['Status', 'Running', 'Paused', 'Restarting', 'OOMKilled', 'Dead', 'Pid', 'ExitCode', 'Error', 'StartedAt', 'FinishedAt']) assert.ok(k in j['State'], `State.${k}`);
    const c = j['Config'];
    assert.equal(c.Hostname, 'hh');
    assert.equal(c.User, 'nobody');
    assert.equal(c.WorkingDir, '/tmp');
    assert.equal(c.Image, IMAGE);
    assert.deepEqual(c.Cmd, ['sleep', '100']);
    assert.deepEqual(c.Labels, { x: 'y' });
    assert.deepEqual(c.Env, ['A=1', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], 'user env first, then the image env (moby merge)');
    const h = j['HostConfig'];
    assert.deepEqual(h.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 3 });
    assert.equal(h.Memory, 64 * 1024 * 1024);
    assert.equal(h.MemorySwap, 128 * 1024 * 1024, 'swap defaults to twice the memory');
    assert.equal(h.ShmSize, 67108864);
    assert.equal(h.IpcMode, 'private');
    assert.equal(h.CgroupnsMode, 'host');
    assert.equal(h.PidsLimit, null);
    assert.equal(h.MemorySwappiness, null);
    assert.ok(Array.isArray(h.MaskedPaths) && h.MaskedPaths.includes('/proc/kcore'));
    assert.deepEqual(h.ReadonlyPaths, ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger']);
    assert.deepEqual(h.LogConfig, { Type: 'json-file', Config: {} });
    assert.ok(existsSync(j['LogPath']), 'the json log file exists');
    assert.ok('Networks' in j['NetworkSettings'] && 'Ports' in j['NetworkSettings']);
    assert.equal(j['ExecIDs'], null);
    await ok(e, ['exec', 'in1', 'true']);
    assert.equal((await inspect(e, 'in1'))['ExecIDs'].length, 1);
    // short id prefix and name with a slash resolve too
    assert.equal(await inspectField(e, j['Id'].slice(0, 6), '{{.Name}}'), '/in1');
    assert.equal((await e.api('GET', '/containers/%2Fin1/json')).status, 200);
    const missing = await e.docker(['inspect', 'nosuch']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No such object: nosuch/);
    await ok(e, ['rm', '-f', 'in1']);
  });

  test('top lists the container processes with ps columns and ps options', async () => {
    await ok(e, ['run', '-d', '--name', 'top1', IMAGE, 'sh', '-c', 'sleep 100 & sleep 200']);
    await waitFor('two processes', async () => (await e.docker(['top', 'top1'])).stdout.includes('sleep 100'));
    const lines = (await ok(e, ['top', 'top1'])).split('\n');
    assert.match(lines[0] ?? '', /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
    assert.equal(lines.length, 3);
    assert.ok(lines.some((l) => l.endsWith('sleep 200')) && lines.some((l) => l.endsWith('sleep 100')));
    const api = JSON.parse((await e.api('GET', '/containers/top1/top?ps_args=-o%20pid,args')).body) as { Titles: string[]; Processes: string[][] };
    assert.deepEqual(api.Titles, ['PID', 'COMMAND']);
    const pid = await inspectField(e, 'top1', '{{.State.Pid}}');
    assert.ok(api.Processes.some((p) => p[0] === pid && p[1] === 'sleep 200'), 'host pids are shown');
    await ok(e, ['stop', '-t', '0', 'top1']);
    const stopped = await e.docker(['top', 'top1']);
    assert.match(stopped.stderr, /Container [0-9a-f]{64} is not running/);
    await ok(e, ['rm', 'top1']);
  });

  test('ps: -a, -q, -n, filters (map and list form), --format and dockerd status texts', async () => {
    await removeAll(e);
    await ok(e, ['run', '-d', '--name', 'ps1', '-l', 'app=web', '-l', 'tier=front', IMAGE, 'sleep', '100']);
    assert.equal((await e.docker(['run', '--name', 'ps2', '-l', 'app=db', IMAGE, 'sh', '-c', 'exit 3'])).code, 3);
    await ok(e, ['create', '--name', 'ps3', IMAGE, 'true']);
    const names = async (...args: string[]): Promise<string[]> => (await ok(e, ['ps', ...args, '--format', '{{.Names}}'])).split('\n').filter(Boolean).sort();
    assert.deepEqual(await names(), ['ps1']);
    assert.deepEqual(await names('-a'), ['ps1', 'ps2', 'ps3']);
    assert.equal((await ok(e, ['ps', '-aq'])).split('\n').length, 3);
    assert.match(await ok(e, ['ps', '-q']), /^[0-9a-f]{12}$/);
    assert.deepEqual(await names('-a', '-n', '1'), ['ps3'], 'the newest');
    assert.deepEqual(await names('-a', '--filter', 'status=exited'), ['ps2']);
    assert.deepEqual(await names('-a', '--filter', 'exited=3'), ['ps2']);
    assert.deepEqual(await names('-a', '--filter', 'status=created'), ['ps3']);
    assert.deepEqual(await names('-a', '--filter', 'label=app'), ['ps1', 'ps2']);
    assert.deepEqual(await names('-a', '--filter', 'label=app=web', '--filter', 'label=tier=front'), ['ps1']);
    assert.deepEqual(await names('-a', '--filter', 'name=ps[12]'), ['ps1', 'ps2']);
    assert.deepEqual(await names('-a', '--filter', `ancestor=${IMAGE}`).then((n) => n.length), 3);
    assert.deepEqual(await names('-a', '--filter', 'before=ps3'), ['ps1', 'ps2']);
    assert.deepEqual(await names('-a', '--filter', 'since=ps1'), ['ps2', 'ps3']);
    assert.deepEqual(await names('-a', '--filter', 'status=running', '--filter', 'status=created'), ['ps1', 'ps3'], 'one key: OR');
    // list-form filters (docker-compose / docker-py) on the raw API
    const list = JSON.parse((await e.api('GET', `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: ['app=db'], status: ['exited'] }))}`)).body) as { Names: string[] }[];
    assert.deepEqual(list.map((c) => c.Names[0]), ['/ps2']);
    // status texts and the summary shape
    const rows = (await ok(e, ['ps', '-a', '--format', '{{.Names}}|{{.Status}}|{{.Command}}|{{.Image}}|{{.Labels}}|{{.State}}'])).split('\n').sort();
    assert.match(rows[0] ?? '', /^ps1\|Up (Less than a second|\d+ seconds)\|"sleep 100"\|busybox:e2e\|app=web,tier=front\|running$/);
    assert.match(rows[1] ?? '', /^ps2\|Exited \(3\) (Less than a second|\d+ seconds) ago\|"sh -c 'exit 3'"\|busybox:e2e\|app=db\|exited$/);
    assert.match(rows[2] ?? '', /^ps3\|Created\|"true"\|busybox:e2e\|\|created$/);
    const summary = JSON.parse((await e.api('GET', '/containers/json?filters=%7B%22name%22%3A%7B%22ps1%22%3Atrue%7D%7D')).body)[0] as Record<string, unknown>;
    for (const k of ['Id', 'Names', 'Image', 'ImageID', 'Command', 'Created', 'Ports', 'Labels', 'State', 'Status', 'HostConfig', 'NetworkSettings', 'Mounts']) assert.ok(k in summary, `summary has ${k}`);
    // dockerd's errors for bad filters
    for (const [f, msg] of [
      ['foo=bar', "Invalid filter 'foo'"],
      ['status=sleeping', "Invalid filter 'status=sleeping'"],
      ['health=sick', 'Unrecognised filter value for health: sick'],
      ['exited=x', 'strconv.Atoi: parsing "x": invalid syntax'],
      ['before=nosuch', 'no such container nosuch'],
    ] as const) {
      const r = await e.docker(['ps', '--filter', f]);
      assert.equal(r.code, 1, f);
      assert.equal(r.stderr.trim(), `Error response from daemon: ${msg}`);
    }
    await removeAll(e);
  });

  test('health: starting, unhealthy after the retries, healthy; shown by inspect, ps and the health filter', async () => {
    await ok(e, ['run', '-d', '--name', 'hc1', '--health-cmd', 'test -e /tmp/ok', '--health-interval', '300ms', '--health-retries', '2', '--health-timeout', '2s', IMAGE, 'sleep', '100']);
    assert.match(await ok(e, ['ps', '--filter', 'name=hc1', '--format', '{{.Status}}']), /\(health: starting\)$/);
    assert.deepEqual(JSON.parse(await inspectField(e, 'hc1', '{{json .Config.Healthcheck}}')), { Test: ['CMD-SHELL', 'test -e /tmp/ok'], Interval: 300_000_000, Timeout: 2_000_000_000, Retries: 2 });
    await waitFor('unhealthy', async () => (await inspectField(e, 'hc1', '{{.State.Health.Status}}')) === 'unhealthy');
    const h = JSON.parse(await inspectField(e, 'hc1', '{{json .State.Health}}')) as { FailingStreak: number; Log: { ExitCode: number; Start: string; End: string; Output: string }[] };
    assert.ok(h.FailingStreak >= 2);
    assert.equal(h.Log[0]?.ExitCode, 1);
    assert.match(await ok(e, ['ps', '--filter', 'health=unhealthy', '--format', '{{.Names}} {{.Status}}']), /^hc1 Up .* \(unhealthy\)$/);
    await ok(e, ['exec', 'hc1', 'touch', '/tmp/ok']);
    await waitFor('healthy', async () => (await inspectField(e, 'hc1', '{{.State.Health.Status}}')) === 'healthy');
    assert.equal(await inspectField(e, 'hc1', '{{.State.Health.FailingStreak}}'), '0');
    assert.match(await ok(e, ['ps', '--filter', 'health=healthy', '--format', '{{.Status}}']), /\(healthy\)$/);
    const events = await eventsBetween(e, Math.floor(Date.now() / 1000) - 30, Number(unixNow()), ['container=hc1', 'event=health_status']);
    assert.deepEqual(events.map((x) => x.Action), ['health_status: unhealthy', 'health_status: healthy']);
    await ok(e, ['rm', '-f', 'hc1']);
    // a container without a healthcheck is "none" for the filter
    await ok(e, ['run', '-d', '--name', 'hc2', IMAGE, 'sleep', '100']);
    assert.equal(await ok(e, ['ps', '--filter', 'health=none', '--format', '{{.Names}}']), 'hc2');
    await ok(e, ['rm', '-f', 'hc2']);
  });

  test('container prune removes stopped containers only, honouring label filters', async () => {
    await removeAll(e);
    await ok(e, ['run', '-d', '--name', 'keep-running', IMAGE, 'sleep', '100']);
    await ok(e, ['create', '--name', 'keep-label', '-l', 'keep=1', IMAGE, 'true']);
    const gone = await ok(e, ['create', '--name', 'gone1', IMAGE, 'true']);
    await ok(e, ['run', '--name', 'gone2', IMAGE, 'true']);
    const out = await ok(e, ['container', 'prune', '-f', '--filter', 'label!=keep']);
    assert.match(out, /^Deleted Containers:\n/);
    assert.ok(out.includes(gone));
    assert.match(out, /Total reclaimed space: /);
    assert.deepEqual((await ok(e, ['ps', '-a', '--format', '{{.Names}}'])).split('\n').sort(), ['keep-label', 'keep-running']);
    const bad = await e.docker(['container', 'prune', '-f', '--filter', 'foo=1']);
    assert.equal(bad.stderr.trim(), "Error response from daemon: Invalid filter 'foo'");
    const kept = await inspectField(e, 'keep-label', '{{.Id}}');
    assert.equal(await ok(e, ['container', 'prune', '-f']), `Deleted Containers:\n${kept}\n\nTotal reclaimed space: 0B`);
    assert.deepEqual((await ok(e, ['ps', '-a', '--format', '{{.Names}}'])).split('\n'), ['keep-running']);
    await removeAll(e);
  });
});
