import { invalidArgument } from '../../../core/index.js';
import type { ContainerService } from '../../containers/index.js';
import { parseEventTime } from '../../events/index.js';
import type { Router } from '../router.js';
import { frame } from '../stdcopy.js';

export function registerContainerLogRoutes(router: Router, containers: ContainerService): void {
  router.get('/containers/{id}/logs', async (req, res) => {
    const rec = containers.get(req.param('id'));
    const stdout = req.bool('stdout');
    const stderr = req.bool('stderr');
    if (!stdout && !stderr) throw invalidArgument('Bad parameters: you must choose at least one stream');
    const tailRaw = req.string('tail') ?? 'all';
    const tail = tailRaw === 'all' || tailRaw === '' ? 'all' : Number.parseInt(tailRaw, 10);
    let sinceNs: number;
    let untilNs: number;
    try {
      sinceNs = parseEventTime(req.string('since'), 0);
      untilNs = parseEventTime(req.string('until'), Infinity);
    } catch (err) {
      throw invalidArgument((err as Error).message);
    }
    const timestamps = req.bool('timestamps');
    const ac = new AbortController();
    const entries = containers.logs(rec.Id, {
      stdout, stderr, follow: req.bool('follow'), tail: tail === 'all' || Number.isNaN(tail) || tail < 0 ? 'all' : tail, sinceNs, untilNs, signal: ac.signal,
    });
    const out = res.stream(200, {});
    res.onClientGone(() => ac.abort());
    const tty = rec.Config.Tty ?? false;
    for await (const e of entries) {
      const line = timestamps ? Buffer.concat([Buffer.from(e.time + ' '), e.line]) : e.line;
      const ok = out.write(tty ? line : frame(e.stream === 'stderr' ? 2 : 1, line));
      if (!ok) await new Promise((r) => out.once('drain', r));
      if (ac.signal.aborted) break;
    }
    out.end();
  });

  router.get('/containers/{id}/stats', async (req, res) => {
    const rec = containers.get(req.param('id'));
    const stream = req.bool('stream', true);
    const oneShot = req.bool('one-shot');
    const out = res.stream(200, { 'Content-Type': 'application/json' });
    let gone = false;
    res.onClientGone(() => {
      gone = true;
    });
    let previous = await sample(containers, rec.Id);
    if (!stream && oneShot) {
      out.end(JSON.stringify(withPrevious(previous, undefined)) + '\n');
      return;
    }
    while (!gone) {
      await new Promise((r) => setTimeout(r, 1000));
      const current = await sample(containers, rec.Id);
      out.write(JSON.stringify(withPrevious(current, previous)) + '\n');
      previous = current;
      if (!stream || !containers.find(rec.Id)?.State.Running) break;
    }
    out.end();
  });
}

type Sample = Record<string, unknown>;

async function sample(containers: ContainerService, id: string): Promise<Sample> {
  const rec = containers.get(id);
  const stats = await containers.stats(id).catch(() => undefined);
  return { read: new Date().toISOString(), name: `/${rec.Name}`, id: rec.Id, ...(stats ?? emptyStats()) };
}

function withPrevious(current: Sample, previous: Sample | undefined): Sample {
  return {
    ...current,
    preread: previous?.['read'] ?? '0001-01-01T00:00:00Z',
    precpu_stats: previous?.['cpu_stats'] ?? emptyStats()['cpu_stats'],
  };
}

function emptyStats(): Sample {
  return {
    pids_stats: {},
    blkio_stats: { io_service_bytes_recursive: null, io_serviced_recursive: null, io_queue_recursive: null, io_service_time_recursive: null, io_wait_time_recursive: null, io_merged_recursive: null, io_time_recursive: null, sectors_recursive: null },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: { cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 }, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } },
    memory_stats: {},
  };
}
