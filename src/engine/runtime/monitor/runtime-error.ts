import { readFile } from 'node:fs/promises';

/** The last error the OCI runtime logged (json lines with level error/fatal), for a failed run or exec. */
export async function runtimeError(logFile: string): Promise<string | undefined> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  let msg: string | undefined;
  for (const line of text.split('\n')) {
    try {
      const j = JSON.parse(line) as { level?: string; msg?: string };
      if ((j.level === 'error' || j.level === 'fatal') && j.msg) msg = j.msg;
    } catch {
      // not json
    }
  }
  return msg;
}
