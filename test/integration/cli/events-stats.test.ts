/**
 * events (history between --since and --until, filters, formats) and stats
 * (columns, one-shot and streaming) against a real daemon.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { IMAGE, skipReason, startCliDaemon, type CliDaemon } from './cli-daemon.js';

const skip = skipReason();
let d: CliDaemon;

before(async () => {
  if (!skip) d = await startCliDaemon();
});
after(async () => {
  await d?.close();
});

test('events between two times: the same lines as docker events', { skip }, async () => {
  const since = String(Math.floor(Date.now() / 1000) - 1);
  assert.equal((await d.docker(['run', '--rm', '--name', 'ev1', '-l', 'k=v', IMAGE, 'sh', '-c', 'exit 2'])).code, 2);
  assert.equal((await d.docker(['tag', IMAGE, 'evtag:1'])).code, 0);
  await new Promise((r) => setTimeout(r, 1100));
  const until = String(Math.floor(Date.now() / 1000));
  for (const extra of [[], ['-f', 'event=die'], ['-f', 'type=image'], ['-f', 'container=ev1', '-f', 'event=start'], ['--format', '{{json .}}'], ['--format', '{{.Type}} {{.Action}} {{.Actor.Attributes.name}} {{.Status}} {{.TimeNano}}'], ['--format', 'json']]) {
    const args = ['events', '--since', since, '--until', until, ...extra];
    const r = await d.both(args);
    assert.equal(r.berth.code, 0, r.berth.stderr);
    assert.equal(r.berth.stdout, r.docker.stdout, `stdout of ${args.join(' ')}`);
    assert.ok(r.berth.stdout.length > 0);
  }
  const bad = await d.both(['events', '--since', 'xyz']);
  assert.equal(bad.berth.stderr, bad.docker.stderr);
  assert.equal(bad.berth.code, bad.docker.code);
  const tmpl = await d.both(['events', '--format', '{{']);
  assert.equal(tmpl.berth.code, tmpl.docker.code);
});

test('stats: the docker columns, one-shot and streaming', { skip }, async () => {
  assert.equal((await d.docker(['run', '-d', '--name', 'st1', IMAGE, 'sh', '-c', 'while :; do :; done'])).code, 0);
  assert.equal((await d.docker(['run', '-d', '--name', 'st2', '-m', '64m', IMAGE, 'sleep', '1000'])).code, 0);
  const b = await d.berth(['stats', '--no-stream']);
  const k = await d.docker(['stats', '--no-stream']);
  assert.equal(b.code, 0, b.stderr);
  const lines = b.stdout.trimEnd().split('\n');
  assert.equal(lines[0], k.stdout.split('\n')[0], 'the same header');
  assert.equal(lines.length, 3);
  const row = /^([0-9a-f]{12}) {3}(st[12]) +(\d+\.\d\d%) +([\d.]+[KMG]?i?B) \/ ([\d.]+[KMGT]i?B) +(\d+\.\d\d%) +(\S+ \/ \S+) +(\S+ \/ \S+) +(\d+)$/;
  const cols = (out: string): string[][] => out.trimEnd().split('\n').slice(1).map((l) => row.exec(l)?.slice(1) ?? [l]);
  const mine = cols(b.stdout);
  const theirs = cols(k.stdout);
  for (const r of mine) assert.equal(r.length, 9, `row matches the docker layout: ${r.join('|')}`);
  assert.deepEqual(mine.map((r) => [r[0], r[1], r[4], r[8]]).sort(), theirs.map((r) => [r[0], r[1], r[4], r[8]]).sort(), 'ids, names, limits and pids agree');
  const busy = mine.find((r) => r[1] === 'st1')!;
  assert.ok(parseFloat(busy[2]!) > 10, `a busy loop shows CPU use (${busy[2]})`);
  assert.equal(mine.find((r) => r[1] === 'st2')![4], '64MiB');
  const named = await d.both(['stats', '--no-stream', '--format', '{{.Name}} {{.Container}} {{.MemUsage}}', 'st2']);
  assert.equal(named.berth.stdout.split(' ').slice(0, 2).join(' '), named.docker.stdout.split(' ').slice(0, 2).join(' '));
  const json = await d.berth(['stats', '--no-stream', '--format', 'json', 'st2']);
  assert.deepEqual(Object.keys(JSON.parse(json.stdout) as object), ['BlockIO', 'CPUPerc', 'Container', 'ID', 'MemPerc', 'MemUsage', 'Name', 'NetIO', 'PIDs']);
  const missing = await d.both(['stats', '--no-stream', 'nosuch']);
  assert.equal(missing.berth.stderr, missing.docker.stderr);
  assert.equal(missing.berth.code, missing.docker.code);
  const streaming = await d.berth(['stats', 'st1'], { timeoutMs: 2500 });
  const frames = streaming.stdout.split('\x1b[2J\x1b[H').filter(Boolean);
  assert.ok(frames.length >= 2, `the table is redrawn (${frames.length} frames)`);
  assert.match(frames.at(-1)!, /^CONTAINER ID +NAME +CPU % +MEM USAGE \/ LIMIT +MEM % +NET I\/O +BLOCK I\/O +PIDS\n[0-9a-f]{12} {3}st1 /);
});
