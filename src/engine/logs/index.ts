/**
 * Container logs in Docker's json-file format: the writer (used by the task
 * monitor) and the reader behind `docker logs`.
 */
export { JsonFileWriter, encodeJsonLogLine, jsonString, type JsonFileOptions, type LogStream } from './json-file-writer.js';
export { readJsonFileLogs, tailLines, type LogEntry, type ReadLogsOptions } from './json-file-reader.js';
export { formatRfc3339Nano, parseRfc3339Nano, nowNano } from './rfc3339-nano.js';
