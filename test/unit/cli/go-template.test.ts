import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerFuncs, GO_TYPE, headerFuncs, Template } from '../../../src/cli/docker/format/go-template.js';

const run = (src: string, data: unknown): string => new Template(src).execute(data);

test('fields, chains and methods with arguments', () => {
  const data = { A: { B: 'x' }, N: 3, Label: (k: unknown) => `label:${String(k)}`, ID: () => 'abc' };
  assert.equal(run('{{.A.B}} {{.N}} {{.ID}} {{.Label "k"}}', data), 'x 3 abc label:k');
  assert.equal(run('{{ .A.B }}', data), 'x');
  // Two operands, not a chain: `ne .A.B .N` compares the two.
  assert.equal(run('{{if ne .A.B "y"}}ne{{end}}', data), 'ne');
});

test('pipelines pass the previous value as the last argument', () => {
  assert.equal(run('{{.S | upper}}', { S: 'ab' }), 'AB');
  assert.equal(run('{{.S | printf "%s-%s" "x"}}', { S: 'ab' }), 'x-ab');
  assert.equal(run('{{join (split .S ",") "+"}}', { S: 'a,b,c' }), 'a+b+c');
});

test('if / else if / else, with, range with variables, break and continue', () => {
  const t = '{{if .A}}a{{else if .B}}b{{else}}c{{end}}';
  assert.equal(run(t, { A: 1, B: 1 }), 'a');
  assert.equal(run(t, { A: 0, B: 'x' }), 'b');
  assert.equal(run(t, { A: '', B: [] }), 'c');
  assert.equal(run('{{with .M}}{{.K}}{{else}}none{{end}}', { M: { K: 'v' } }), 'v');
  assert.equal(run('{{with .M}}{{.K}}{{else}}none{{end}}', { M: null }), 'none');
  assert.equal(run('{{range $i, $v := .L}}{{$i}}={{$v}};{{end}}', { L: ['a', 'b'] }), '0=a;1=b;');
  assert.equal(run('{{range $k, $v := .M}}{{$k}}:{{$v}} {{end}}', { M: { z: 1, a: 2 } }), 'a:2 z:1 ');
  assert.equal(run('{{range .L}}{{if eq . 2}}{{continue}}{{end}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}', { L: [1, 2, 3, 4, 5] }), '13');
  assert.equal(run('{{range .L}}x{{else}}empty{{end}}', { L: [] }), 'empty');
  assert.equal(run('{{$x := .A}}{{$x}}{{$x = "b"}}{{$x}}', { A: 'a' }), 'ab');
  assert.equal(run('{{range .L}}{{$.Top}}{{end}}', { L: [1, 2], Top: 't' }), 'tt');
});

test('trim markers and comments', () => {
  assert.equal(run('a  {{- .X -}}  b', { X: 1 }), 'a1b');
  assert.equal(run('a{{/* note */}}b', {}), 'ab');
  assert.equal(run('{{- if .X }}\n  yes\n{{- end}}', { X: true }), '\n  yes');
});

test('builtins and docker functions', () => {
  const d = { L: ['a', 'b'], M: { k: 'v' }, S: 'hello world', N: 2 };
  assert.equal(run('{{len .L}} {{index .L 1}} {{index .M "k"}} {{len .M}}', d), '2 b v 1');
  assert.equal(run('{{json .L}} {{json .M}}', d), '["a","b"] {"k":"v"}');
  assert.equal(run('{{title .S}} {{truncate .S 5}} [{{pad .S 1 2}}]', d), 'Hello World hello [ hello world  ]');
  assert.equal(run('{{if and .N (gt .N 1)}}big{{end}} {{or 0 "" "z"}} {{not .N}}', d), 'big z false');
  assert.equal(run('{{printf "%d|%5s|%-3s|%q|%v" .N "a" "b" "c" .L}}', d), '2|    a|b  |"c"|[a b]');
  assert.equal(run('{{println "a" 1}}', d), 'a 1\n');
  assert.equal(run('{{eq .N 1 2}}', d), 'true');
  assert.equal(run('{{json .}}', { A: '<&>' }), '{"A":"<&>"}');
});

test('values print like Go: nil, missing keys, maps, slices, structs', () => {
  assert.equal(run('{{.Nope}}', {}), '<no value>');
  assert.equal(run('{{.N}}', { N: null }), '<nil>');
  assert.equal(run('{{.Entrypoint}} {{.Labels}}', { Entrypoint: null, Labels: null }), '[] map[]');
  assert.equal(run('{{.Labels}}', { Labels: { b: '2', a: '1' } }), 'map[a:1 b:2]');
  assert.equal(run('{{.State}}', { State: { Status: 'running', Pid: 4, Health: null } }), '{running 4 <nil>}');
  assert.equal(run('{{.F}}', { F: 1.5 }), '1.5');
});

test('missingKey nil: omitted fields are nil, deeper lookups are an error', () => {
  const t = new Template('{{.State.Health}}', dockerFuncs, { missingKey: 'nil' });
  assert.equal(t.execute({ State: {} }), '<nil>');
  const deep = new Template('{{.Foo.Bar}}', dockerFuncs, { missingKey: 'nil' });
  assert.throws(() => deep.execute({}), /map has no entry for key "Foo"/);
});

test('typed contexts refuse unknown fields with the docker message', () => {
  const ctx = { [GO_TYPE]: '*formatter.ContainerContext', ID: () => 'x' };
  assert.throws(() => run('{{.Foo}}', ctx), /executing "" at <\.Foo>: can't evaluate field Foo in type \*formatter\.ContainerContext/);
});

test('parse errors', () => {
  assert.throws(() => new Template('{{'), /template: :1: unclosed action/);
  assert.throws(() => new Template('{{nosuch .X}}'), /function "nosuch" not defined/);
  assert.throws(() => new Template('{{if .X}}'), /unexpected EOF/);
  assert.throws(() => new Template('{{end}}'), /unexpected \{\{end\}\}/);
});

test('header functions leave column names alone', () => {
  const t = new Template('{{upper .Name}}|{{json .Name}}').withFuncs(headerFuncs);
  assert.equal(t.execute({ Name: 'NAME' }), 'NAME|NAME');
});
