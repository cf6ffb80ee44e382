import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, skipReason, sleep } from './harness.js';
import type { Runtime } from '../../../../src/engine/runtime/index.js';

const skip = skipReason();
const RUNS = 10;

async function measure(h: Harness, rt: Runtime, name: string, pause: number): Promise<{ start: number; exit: number; del: number }> {
  const starts: number[] = [];
  const exits: number[] = [];
  const dels: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const spec = h.spec(name, ['true']);
    const t0 = performance.now();
    await rt.start(spec, { logPath: h.logPath(spec.id) });
    const t1 = performance.now();
    assert.equal((await rt.wait(spec.id)).exitCode, 0);
    const t2 = performance.now();
    await rt.delete(spec.id);
    dels.push(performance.now() - t2);
    starts.push(t1 - t0);
    exits.push(t2 - t0);
    await sleep(pause);
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1] as number;
  return { start: med(starts), exit: med(exits), del: med(dels) };
}

describe('start latency of `true`: start() to exit', { skip, timeout: 180_000 }, () => {
  const h = new Harness();
  before(() => h.init({ poolSize: 2 }));
  after(() => h.cleanup());

  test('with the monitor pool a start costs no Node start-up; without it, it does', async (t) => {
    await sleep(400); // let the pool fill
    const pooled = await measure(h, h.runtime, 'pool', 150);
    const bare = await h.newRuntime({ poolSize: 0 });
    let unpooled;
    try {
      unpooled = await measure(h, bare, 'nopool', 0);
    } finally {
      await bare.close();
    }
    const line = (n: string, r: typeof pooled) => `${n}: start→running ${r.start.toFixed(1)} ms, start→exit ${r.exit.toFixed(1)} ms, delete ${r.del.toFixed(1)} ms (median of ${RUNS})`;
    t.diagnostic(line('pool', pooled));
    t.diagnostic(line('no pool', unpooled));
    console.log(line('pool', pooled));
    console.log(line('no pool', unpooled));
    assert.ok(pooled.exit < unpooled.exit, 'the pool saves the monitor start');
    assert.ok(pooled.exit < 1000);
  });
});
