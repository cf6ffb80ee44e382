/**
 * `berth stats [CONTAINER...]`: live resource usage. Each container is read
 * from GET /containers/{id}/stats (stream=0 with --no-stream); without
 * names, running containers (all with -a) are listed and followed through
 * the event stream. The table is redrawn every 500 ms, as the docker CLI does.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../engine-client/api-error.js';
import type { EngineClient } from '../engine-client/engine-client.js';
import { jsonLines } from '../engine-client/json-lines.js';
import type { ContainerSummary, EventMessage } from '../engine-client/types.js';
import { CliError } from './common/cli-error.js';
import { runCommand, type CommandSpec } from './common/command.js';
import { renderList } from './format/formatter.js';
import { DEFAULT_STATS_FORMAT, invalidEntry, StatsContext, statsHeader, toEntry, type StatsEntry, type StatsJson } from './format/stats-context.js';

export const spec: CommandSpec = {
  name: 'stats',
  usage: 'berth stats [OPTIONS] [CONTAINER...]',
  summary: 'Display a live stream of container(s) resource usage statistics',
  flags: {
    all: { type: 'bool', short: 'a', help: 'Show all containers (default shows just running)' },
    format: { type: 'string', help: "Format output using a custom template:\n'table', 'json' or a Go template" },
    'no-stream': { type: 'bool', help: 'Disable streaming stats and only pull the first result' },
    'no-trunc': { type: 'bool', help: "Don't truncate output" },
  },
};

interface Tracked {
  entry: StatsEntry;
  error?: unknown;
  res?: IncomingMessage;
}

/** Reads one container's stats into `t`; resolves after the first sample. */
function collect(client: EngineClient, key: string, stream: boolean, t: Tracked): Promise<void> {
  return new Promise((resolveFirst) => {
    let first = true;
    const done = (): void => {
      if (first) {
        first = false;
        resolveFirst();
      }
    };
    client
      .request('GET', `/containers/${encodeURIComponent(key)}/stats`, { query: { stream: stream ? '1' : '0' } })
      .then(async (res) => {
        t.res = res;
        for await (const s of jsonLines<StatsJson>(res)) {
          t.entry = toEntry(key, s);
          done();
        }
      })
      .catch((err: unknown) => {
        t.error = err;
        t.entry = invalidEntry(key);
      })
      .finally(done);
  });
}

export function run(args: string[]): Promise<number> {
  return runCommand(spec, args, async (inv, io) => {
    const client = inv.client();
    const stream = !inv.bool('no-stream');
    const format = inv.string('format') || 'table';
    const fmt = format === 'table' ? DEFAULT_STATS_FORMAT : format;
    const tracked = new Map<string, Tracked>();
    const add = (key: string): Promise<void> | undefined => {
      if (tracked.has(key)) return undefined;
      const t: Tracked = { entry: invalidEntry(key) };
      tracked.set(key, t);
      return collect(client, key, stream, t);
    };
    let events: IncomingMessage | undefined;
    const showAll = inv.args.length === 0;
    if (showAll) {
      if (stream) {
        events = await client.request('GET', '/events', { query: { filters: JSON.stringify({ type: { container: true } }) } });
        void (async () => {
          try {
            for await (const e of jsonLines<EventMessage>(events!)) {
              const id = (e.id ?? e.Actor.ID).slice(0, 12);
              if (e.Action === 'start' || (inv.bool('all') && e.Action === 'create')) void add(id);
              else if (e.Action === 'die' && !inv.bool('all')) tracked.delete(id);
            }
          } catch {
            /* the stream ends with the command */
          }
        })();
      }
      const list = await client.json<ContainerSummary[]>('GET', '/containers/json', { query: { all: inv.bool('all') ? '1' : undefined } });
      await Promise.all(list.map((c) => add(c.Id.slice(0, 12))));
    } else {
      await Promise.all(inv.args.map((name) => add(name)));
      const errors = [...tracked.values()].filter((t) => t.error !== undefined).map((t) => (t.error instanceof ApiError ? t.error.toString() : (t.error as Error).message));
      if (errors.length > 0) {
        for (const t of tracked.values()) t.res?.destroy();
        throw new CliError(errors.join('\n'));
      }
    }
    const draw = (): void => {
      const rows = [...tracked.values()].map((t) => new StatsContext(t.entry, !inv.bool('no-trunc')));
      io.stdout.write((stream ? '\x1b[2J\x1b[H' : '') + renderList(fmt, rows, statsHeader));
    };
    try {
      if (!stream) {
        draw();
        return 0;
      }
      for (;;) {
        await new Promise((r) => setTimeout(r, 500));
        if ((io.stdout as NodeJS.WriteStream).destroyed) return 0;
        draw();
        if (tracked.size === 0 && !showAll) return 0;
        if (!showAll && [...tracked.values()].every((t) => t.error !== undefined)) return 0;
      }
    } finally {
      events?.destroy();
      for (const t of tracked.values()) t.res?.destroy();
    }
  });
}
