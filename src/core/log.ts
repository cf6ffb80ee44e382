/**
 * Structured, leveled logging, quiet by default. One JSON object per line on
 * stderr so that logs stay machine-readable; the level comes from
 * BERTH_LOG_LEVEL (error|warn|info|debug) or setLogLevel().
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const order: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

let current: LogLevel = parseLevel(process.env['BERTH_LOG_LEVEL']) ?? 'warn';

function parseLevel(value: string | undefined): LogLevel | undefined {
  return value !== undefined && value in order ? (value as LogLevel) : undefined;
}

export function setLogLevel(level: LogLevel): void {
  current = level;
}

export interface Logger {
  error(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  child(component: string): Logger;
}

export function logger(component: string): Logger {
  const emit = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (order[level] > order[current]) return;
    const line = { time: new Date().toISOString(), level, component, msg, ...fields };
    process.stderr.write(JSON.stringify(line, errorReplacer) + '\n');
  };
  return {
    error: emit('error'),
    warn: emit('warn'),
    info: emit('info'),
    debug: emit('debug'),
    child: (name) => logger(`${component}.${name}`),
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { message: value.message, name: value.name } : value;
}
