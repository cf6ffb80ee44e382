import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeJsonLogLine, formatRfc3339Nano, JsonFileWriter, parseRfc3339Nano, readJsonFileLogs, type LogEntry } from '../../../../src/engine/logs/index.js';

function tmp(): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'berth-logs-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

async function collect(it: AsyncIterable<LogEntry>): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const e of it) out.push(e);
  return out;
}

const text = (es: LogEntry[]) => es.map((e) => e.line.toString()).join('');

test('RFC3339Nano as Go renders it: trailing zeros trimmed, round trip', () => {
  assert.equal(formatRfc3339Nano(1700000000123456789n), '2023-11-14T22:13:20.123456789Z');
  assert.equal(formatRfc3339Nano(1700000000120000000n), '2023-11-14T22:13:20.12Z');
  assert.equal(formatRfc3339Nano(1700000000000000000n), '2023-11-14T22:13:20Z');
  assert.equal(parseRfc3339Nano('2023-11-14T22:13:20.12Z'), 1700000000120000000n);
  assert.equal(parseRfc3339Nano('2023-11-14T23:13:20.000000001+01:00'), 1700000000000000001n);
});

test("json-file line is byte-for-byte Docker's, with Go's HTML-safe escaping", () => {
  const line = encodeJsonLogLine('a<b>&"\\\t\u0001\u2028é\n', 'stderr', 1700000000123456789n).toString();
  assert.equal(line, '{"log":"a\\u003cb\\u003e\\u0026\\"\\\\\\t\\u0001\\u2028é\\n","stream":"stderr","time":"2023-11-14T22:13:20.123456789Z"}\n');
});

test('writer splits lines per stream, keeps partial lines until newline or end', () => {
  const t = tmp();
  try {
    const path = join(t.dir, 'c.log');
    const w = new JsonFileWriter({ path });
    w.write('stdout', Buffer.from('one\ntw'));
    w.write('stderr', Buffer.from('err\n'));
    w.write('stdout', Buffer.from('o\nthree'));
    w.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { log: string; stream: string });
    assert.deepEqual(lines.map((l) => [l.stream, l.log]), [['stdout', 'one\n'], ['stderr', 'err\n'], ['stdout', 'two\n'], ['stdout', 'three']]);
  } finally {
    t.done();
  }
});

test('rotation like moby: capacity checked before each write, .1 newest, max-file bounds the set', async () => {
  const t = tmp();
  try {
    const path = join(t.dir, 'c.log');
    const w = new JsonFileWriter({ path, maxSize: 300, maxFile: 3 });
    for (let i = 0; i < 40; i++) w.write('stdout', Buffer.from(`line ${i}\n`));
    w.close();
    assert.ok(existsSync(`${path}.1`) && existsSync(`${path}.2`));
    assert.ok(!existsSync(`${path}.3`));
    for (const f of [path, `${path}.1`, `${path}.2`]) assert.ok(statSync(f).size < 300 + 100, f);
    const all = await collect(readJsonFileLogs(path));
    const nums = all.map((e) => Number(/line (\d+)/.exec(e.line.toString())?.[1]));
    assert.equal(nums[nums.length - 1], 39);
    assert.deepEqual(nums, [...nums].sort((a, b) => a - b), 'oldest first across files');
    assert.ok(nums[0]! > 0, 'oldest rotated away');
    const last = await collect(readJsonFileLogs(path, { tail: 7 }));
    assert.equal(text(last), [33, 34, 35, 36, 37, 38, 39].map((i) => `line ${i}\n`).join(''));
    assert.equal((await collect(readJsonFileLogs(path, { tail: 0 }))).length, 0);
  } finally {
    t.done();
  }
});

test('max-file 1 truncates instead of rotating', () => {
  const t = tmp();
  try {
    const path = join(t.dir, 'c.log');
    const w = new JsonFileWriter({ path, maxSize: 100, maxFile: 1 });
    for (let i = 0; i < 10; i++) w.write('stdout', Buffer.from(`line ${i}\n`));
    w.close();
    assert.ok(!existsSync(`${path}.1`));
    assert.ok(statSync(path).size < 200);
    assert.match(readFileSync(path, 'utf8'), /line 9/);
  } finally {
    t.done();
  }
});

test('reader: stream selection, since/until, tail counted before selection, large file tail', async () => {
  const t = tmp();
  try {
    const path = join(t.dir, 'c.log');
    const base = 1700000000000000000n;
    let body = '';
    for (let i = 0; i < 20000; i++) body += encodeJsonLogLine(`l${i}\n`, i % 2 ? 'stderr' : 'stdout', base + BigInt(i) * 1_000_000_000n).toString();
    writeFileSync(path, body);
    const err = await collect(readJsonFileLogs(path, { stdout: false, tail: 4 }));
    assert.equal(text(err), 'l19997\nl19999\n');
    const window = await collect(readJsonFileLogs(path, { since: base + 5_000_000_000n, until: base + 7_000_000_000n }));
    assert.equal(text(window), 'l5\nl6\nl7\n');
    assert.equal(window[0]?.timestamp, '2023-11-14T22:13:25Z');
    const one = await collect(readJsonFileLogs(path, { tail: 1 }));
    assert.equal(text(one), 'l19999\n');
  } finally {
    t.done();
  }
});

test('follow reads new lines across a rotation and ends when the task is done', async () => {
  const t = tmp();
  try {
    const path = join(t.dir, 'c.log');
    const w = new JsonFileWriter({ path, maxSize: 200, maxFile: 5 });
    w.write('stdout', Buffer.from('before\n'));
    let finish!: () => void;
    const done = new Promise<void>((r) => (finish = r));
    const got: string[] = [];
    const reading = (async () => {
      for await (const e of readJsonFileLogs(path, { follow: true, done, tail: 1 })) got.push(e.line.toString());
    })();
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 12; i++) {
      w.write('stdout', Buffer.from(`after ${i}\n`));
      await new Promise((r) => setTimeout(r, 15));
    }
    w.close();
    assert.ok(existsSync(`${path}.1`), 'rotated while following');
    await new Promise((r) => setTimeout(r, 100));
    finish();
    await reading;
    assert.deepEqual(got, ['before\n', ...Array.from({ length: 12 }, (_, i) => `after ${i}\n`)]);
  } finally {
    t.done();
  }
});

test('follow stops at once on abort', async () => {
  const t = tmp();
  try {
    const path = join(t.dir, 'c.log');
    appendFileSync(path, encodeJsonLogLine('x\n', 'stdout', 1n));
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(), 50);
    const got = await collect(readJsonFileLogs(path, { follow: true, signal: ac.signal }));
    assert.equal(got.length, 1);
    assert.ok(Date.now() - started < 1000);
  } finally {
    t.done();
  }
});
