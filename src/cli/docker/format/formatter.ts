/**
 * The docker CLI's formatter.Context: `table …` formats print a header row
 * (the template run over the header names with HeaderFunctions) and align
 * columns with the tabwriter; `json` is `{{json .}}`; anything else is a
 * custom template printed once per row. `\t` and `\n` typed literally in a
 * format become tab and newline.
 */
import { dockerFuncs, headerFuncs, Template, TemplateError } from './go-template.js';
import { tabwrite } from './tabwriter.js';

export const TABLE = 'table';
export const JSON_FORMAT = 'json';

export function isTable(format: string): boolean {
  return format.startsWith(TABLE);
}

/** formatter.Context.preFormat: the template text a format string stands for. */
export function templateText(format: string): string {
  let f = format;
  if (isTable(f)) f = f.slice(TABLE.length);
  else if (f === JSON_FORMAT) f = '{{json .}}';
  return f.replace(/^ +| +$/g, '').replace(/\\t/g, '\t').replace(/\\n/g, '\n');
}

/** Renders rows with a format; throws TemplateError as "template parsing error: …". */
export function renderList(format: string, rows: readonly unknown[], header: Record<string, unknown>): string {
  let tmpl: Template;
  try {
    tmpl = new Template(templateText(format), dockerFuncs);
  } catch (err) {
    throw new TemplateError(`template parsing error: ${(err as Error).message}`);
  }
  let body = '';
  for (const row of rows) {
    try {
      body += tmpl.execute(row) + '\n';
    } catch (err) {
      throw new TemplateError(`template parsing error: ${(err as Error).message}`);
    }
  }
  if (!isTable(format)) return body;
  let head = '';
  try {
    head = tmpl.withFuncs(headerFuncs).execute(header);
  } catch {
    // Go ignores header errors; the header is what was written before the error.
    head = '';
  }
  return tabwrite(`${head}\n${body}`);
}
