import { test } from 'node:test';
import assert from 'node:assert/strict';

process.env['TZ'] = 'UTC';
const { getTimestamp, goTimeString, parseGoDuration, rfc3339NanoFixed, timestampToNanos } = await import('../../../src/cli/docker/format/go-time.js');

test('time.ParseDuration', () => {
  assert.equal(parseGoDuration('1s'), 1e9);
  assert.equal(parseGoDuration('1h30m'), 5400e9);
  assert.equal(parseGoDuration('1.5m'), 90e9);
  assert.equal(parseGoDuration('300ms'), 300e6);
  assert.equal(parseGoDuration('-2s'), -2e9);
  assert.equal(parseGoDuration('0'), 0);
  assert.throws(() => parseGoDuration('5x'), /time: unknown unit "x" in duration "5x"/);
  assert.throws(() => parseGoDuration('12'), /time: missing unit in duration "12"/);
  assert.throws(() => parseGoDuration(''), /time: invalid duration ""/);
});

test('GetTimestamp: durations, RFC3339, dates, unix timestamps', () => {
  const now = Date.UTC(2024, 0, 2, 3, 4, 5);
  assert.equal(getTimestamp('10m', now), String(now / 1000 - 600));
  assert.equal(getTimestamp('2024-01-02T03:04:05Z', now), '1704164645.000000000');
  assert.equal(getTimestamp('2024-01-02T03:04:05.5+01:00', now), '1704161045.500000000');
  assert.equal(getTimestamp('2024-01-02', now), '1704153600.000000000');
  assert.equal(getTimestamp('1700000000.123', now), '1700000000.123');
  assert.throws(() => getTimestamp('abc', now), /failed to parse value as time or duration: "abc"/);
  assert.equal(timestampToNanos('1700000000.5'), 1700000000500000000n);
});

test('Go time formatting', () => {
  assert.equal(goTimeString(1795327649), '2026-11-22 06:07:29 +0000 UTC');
  assert.equal(rfc3339NanoFixed(1795320768000000123n), '2026-11-22T04:12:48.000000123Z');
});
