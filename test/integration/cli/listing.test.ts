/**
 * ps, images, inspect, version and info: berth and the docker CLI 28 print
 * the same thing against the same daemon.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { agree, IMAGE, skipReason, startCliDaemon, type CliDaemon } from './cli-daemon.js';

const skip = skipReason();
let d: CliDaemon;

before(async () => {
  if (skip) return;
  d = await startCliDaemon();
  const run = async (args: string[]): Promise<void> => {
    const r = await d.docker(args);
    assert.equal(r.code, 0, r.stderr);
  };
  await run(['run', '-d', '--name', 'lst-running', '-l', 'b=2', '-l', 'a=1', '-v', '/tmp:/h:ro', IMAGE, 'sleep', '1000']);
  await d.docker(['run', '--name', 'lst-exited', IMAGE, 'sh', '-c', 'exit 3']);
  await run(['create', '--name', 'lst-created', IMAGE, 'echo', 'a very long command line that will be truncated']);
  await run(['tag', IMAGE, 'other/repo:v1']);
  await run(['tag', IMAGE, 'localhost:5000/x:1']);
  await run(['volume', 'create', '--label', 'v=1', 'lst-vol']);
});

after(async () => {
  await d?.close();
});

/**
 * The docker CLI groups an image's tags by repository in a Go map, so rows of
 * one image tagged in several repositories come in random order: those
 * listings are compared with their rows sorted (the header stays first).
 */
const sortedRows = (out: string): string => {
  const [head, ...rows] = out.split('\n');
  return [head, ...rows.sort()].join('\n');
};

const same = async (args: string[], options: { anyRowOrder?: boolean } = {}): Promise<void> => {
  const r = await agree(d, args, 4, {}, options.anyRowOrder ? sortedRows : undefined);
  assert.equal(r.berth.stdout, r.docker.stdout, `stdout of ${args.join(' ')}`);
  assert.equal(r.berth.stderr, r.docker.stderr, `stderr of ${args.join(' ')}`);
  assert.equal(r.berth.code, r.docker.code, `exit code of ${args.join(' ')}`);
};

test('ps: default table, -a, -q, -n, -l, --no-trunc, -s, filters, --format', { skip }, async () => {
  for (const args of [
    ['ps'],
    ['ps', '-a'],
    ['ps', '-aq'],
    ['ps', '-a', '--no-trunc'],
    ['ps', '-n', '2'],
    ['ps', '-l'],
    ['ps', '-s'],
    ['ps', '-a', '-f', 'status=exited'],
    ['ps', '-a', '-f', 'name=lst-c', '-f', 'label=a=1'],
    ['ps', '-a', '--format', 'json'],
    ['ps', '-a', '--format', '{{.Names}} {{.Status}} {{.Label "a"}}'],
    ['ps', '-a', '--format', 'table {{.ID}}\\t{{.Labels}}\\t{{.Label "a"}}\\t{{.Mounts}}\\t{{.Networks}}\\t{{.Size}}\\t{{.CreatedAt}}'],
    ['ps', '--format', '{{.Nope}}'],
    ['ps', '--format', '{{'],
    ['ps', '-f', 'bogus=1'],
    ['ps', '--bogus'],
    ['ps', 'extra'],
  ]) await same(args);
});

test('images: default, -a, -q, --digests, --no-trunc, reference argument, filters, --format', { skip }, async () => {
  for (const args of [
    ['images'],
    ['images', '-a'],
    ['images', '-q'],
    ['images', '--digests'],
    ['images', '--no-trunc'],
    ['images', 'busybox'],
    ['images', 'nosuch'],
    ['images', '-f', 'dangling=false'],
    ['images', '-f', 'reference=other/*'],
    ['images', '--format', 'json'],
    ['images', '--format', 'table {{.Repository}}\\t{{.Containers}}\\t{{.VirtualSize}}\\t{{.CreatedAt}}'],
    ['images', '--format', '{{.Nope}}'],
  ]) await same(args, { anyRowOrder: true });
  // docker CLI 28.2.2 prints "SRun 'docker images --help'…" here (a typo); berth says "See".
  const r = await d.both(['images', 'a', 'b']);
  assert.equal(r.berth.code, r.docker.code);
  assert.equal(r.berth.stderr, r.docker.stderr.replace("SRun '", "See '"));
});

test('inspect: containers then images, indentation, templates, errors', { skip }, async () => {
  for (const args of [
    ['inspect', 'lst-running'],
    ['inspect', IMAGE],
    ['inspect', 'lst-running', IMAGE, 'lst-exited'],
    ['inspect', 'nosuch'],
    ['inspect', 'lst-running', 'nosuch'],
    ['inspect', '--format', 'json', 'lst-running', IMAGE],
    ['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}} {{.Name}} {{json .Config.Labels}} {{.Config.Labels}} {{.Config.Env}}', 'lst-running', 'lst-exited'],
    ['inspect', '-f', '{{range .Mounts}}{{.Source}}:{{.Destination}}:{{.RW}}{{end}} {{index .Config.Labels "a"}} {{.HostConfig.Memory}} {{.Config.Entrypoint}}', 'lst-running'],
    ['inspect', '-f', '{{.State.Health}} {{if .State.Health}}yes{{else}}no{{end}}', 'lst-running'],
    ['inspect', '-f', '{{.Id}} {{.RepoTags}} {{.Size}} {{.RootFS.Type}}', IMAGE],
    ['inspect', '-s', '-f', '{{.SizeRootFs}}', 'lst-running'],
    ['inspect', '--type', 'image', 'lst-running'],
    ['inspect', '--type', 'container', IMAGE],
    ['inspect', '-f', '{{.Foo.Bar}}', 'lst-running'],
    ['inspect', 'Not-A-Reference'],
    ['inspect', 'none', 'lst-vol'],
    ['inspect', '-f', '{{.Name}} {{.Driver}} {{.Labels}}', 'lst-vol'],
    ['inspect', '--type', 'volume', 'lst-running'],
    ['inspect'],
  ]) await same(args);
});

test('version and info: the server parts are identical', { skip }, async () => {
  const v = await d.both(['version']);
  assert.equal(v.berth.code, 0, v.berth.stderr);
  // Runtimes come from a Go map in the docker CLI: any order.
  const server = (s: string): string => s.slice(s.indexOf('\nServer:')).replace(/^( Runtimes: )(.*)$/m, (_m, p: string, names: string) => p + names.split(' ').sort().join(' '));
  assert.equal(server(v.berth.stdout), server(v.docker.stdout));
  assert.match(v.berth.stdout, /^Client:\n Version: {11}\S+\n API version: {7}1\.41\n/);
  const i = await agree(d, ['info']);
  assert.equal(i.berth.code, 0, i.berth.stderr);
  assert.equal(server(i.berth.stdout), server(i.docker.stdout));
  assert.equal(i.berth.stderr, i.docker.stderr);
  await same(['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}} {{.Client.APIVersion}}']);
  await same(['info', '--format', '{{.ServerVersion}} {{.Containers}} {{json .Plugins}}']);
  await same(['version', '--format', '{{.Nope}}']);
});
