import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tabwrite } from '../../../src/cli/docker/format/tabwriter.js';
import { bytesSize, formatG, humanDuration, humanSize, humanSizeWithPrecision, ramInBytes } from '../../../src/cli/docker/format/units.js';
import { displayablePorts, ellipsis, goQuote, marshalJson, truncateId } from '../../../src/cli/docker/format/display.js';
import { jsonCompact, jsonIndent } from '../../../src/cli/docker/format/json-indent.js';
import { renderList } from '../../../src/cli/docker/format/formatter.js';

test('tabwriter pads tab-terminated cells to the widest cell + 3, at least 10', () => {
  const out = tabwrite('CONTAINER ID\tIMAGE\tNAMES\nabc\tbusybox:test\tx\n');
  assert.equal(out, 'CONTAINER ID   IMAGE          NAMES\nabc            busybox:test   x\n');
  // Empty trailing cells are padded too, as Go's tabwriter does.
  assert.equal(tabwrite('A\tB\t\nx\t\t\n'), 'A         B         \nx                   \n');
});

test('tabwriter ends a column block at a line with a single cell', () => {
  assert.equal(tabwrite('a\tb\nsingle\nlonger-cell\tc\n'), 'a         b\nsingle\nlonger-cell   c\n');
  assert.equal(tabwrite('x\ty', { minwidth: 20, padding: 1 }), 'x                   y');
});

test('go-units sizes and durations', () => {
  assert.equal(humanSizeWithPrecision(1985581, 3), '1.99MB');
  assert.equal(humanSize(1985581), '1.986MB');
  assert.equal(humanSizeWithPrecision(0, 3), '0B');
  assert.equal(humanSizeWithPrecision(999999, 3), '1e+03kB');
  assert.equal(humanSizeWithPrecision(512, 3), '512B');
  assert.equal(bytesSize(835584), '816KiB');
  assert.equal(bytesSize(25276502016), '23.54GiB');
  assert.equal(formatG(0.0001234, 3), '0.000123');
  assert.equal(formatG(0.00001234, 3), '1.23e-05');
  assert.equal(humanDuration(500), 'Less than a second');
  assert.equal(humanDuration(1000), '1 second');
  assert.equal(humanDuration(59_000), '59 seconds');
  assert.equal(humanDuration(60_000), 'About a minute');
  assert.equal(humanDuration(45 * 60_000), '45 minutes');
  assert.equal(humanDuration(89 * 60_000), 'About an hour');
  assert.equal(humanDuration(47 * 3_600_000), '47 hours');
  assert.equal(humanDuration(3 * 86_400_000), '3 days');
  assert.equal(humanDuration(20 * 86_400_000), '2 weeks');
  assert.equal(humanDuration(90 * 86_400_000), '3 months');
  assert.equal(humanDuration(800 * 86_400_000), '2 years');
});

test('RAMInBytes', () => {
  assert.equal(ramInBytes('64m'), 64 * 1024 * 1024);
  assert.equal(ramInBytes('1.5g'), 1.5 * 1024 ** 3);
  assert.equal(ramInBytes('512KiB'), 512 * 1024);
  assert.equal(ramInBytes('100'), 100);
  assert.throws(() => ramInBytes('1x'), /^Error: invalid suffix: 'x'$/);
  assert.throws(() => ramInBytes('abc'), /^Error: invalid size: 'abc'$/);
});

test('display helpers', () => {
  assert.equal(truncateId('sha256:b718bc884e9898f54c82b4e7ecf06032c2c180f52a2d19d3b138e37a7f971039'), 'b718bc884e98');
  assert.equal(ellipsis('sleep 1000000000000000000000', 20), 'sleep 1000000000000…');
  assert.equal(ellipsis('short', 20), 'short');
  assert.equal(goQuote('a "b"\n\x01é'), '"a \\"b\\"\\n\\x01é"');
  assert.equal(marshalJson({ D: '<none>' }), '{"D":"\\u003cnone\\u003e"}');
});

test('DisplayablePorts groups ranges and lists host mappings last', () => {
  assert.equal(displayablePorts([{ PrivatePort: 9988, Type: 'tcp' }]), '9988/tcp');
  assert.equal(displayablePorts([{ PrivatePort: 9000, Type: 'tcp' }, { PrivatePort: 9001, Type: 'tcp' }, { PrivatePort: 9002, Type: 'udp' }]), '9000-9001/tcp, 9002/udp');
  assert.equal(displayablePorts([{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 80, Type: 'tcp' }]), '0.0.0.0:80->80/tcp');
  assert.equal(displayablePorts([{ IP: '127.0.0.1', PrivatePort: 80, PublicPort: 18081, Type: 'tcp' }, { PrivatePort: 53, Type: 'udp' }]), '53/udp, 127.0.0.1:18081->80/tcp');
  assert.equal(displayablePorts([{ IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }]), '[::]:8080->80/tcp');
});

test('json.Indent and Compact keep tokens byte for byte', () => {
  const raw = '{"a":[],"b":{},"c":[1,{"d":"x\\u003cy"}],"e":1e+06}\n';
  assert.equal(jsonIndent(`[${raw}]`), '[\n    {\n        "a": [],\n        "b": {},\n        "c": [\n            1,\n            {\n                "d": "x\\u003cy"\n            }\n        ],\n        "e": 1e+06\n    }\n]');
  assert.equal(jsonCompact('[ {"a" : 1} ,\n{"b":"s p"} ]'), '[{"a":1},{"b":"s p"}]');
});

test('renderList: table header via header functions, json, custom and literal \\t', () => {
  const header = { ID: 'ID', Name: 'NAME' };
  const rows = [{ ID: 'a', Name: 'x' }, { ID: 'bb', Name: 'y' }];
  assert.equal(renderList('table {{.ID}}\\t{{upper .Name}}', rows, header), 'ID        NAME\na         X\nbb        Y\n');
  assert.equal(renderList('{{.ID}}:{{.Name}}', rows, header), 'a:x\nbb:y\n');
  assert.equal(renderList('json', rows, header), '{"ID":"a","Name":"x"}\n{"ID":"bb","Name":"y"}\n');
  assert.equal(renderList('table {{.ID}}', [], header), 'ID\n');
});
