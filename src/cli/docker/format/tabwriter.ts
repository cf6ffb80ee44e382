/**
 * Go's text/tabwriter (as the docker CLI configures it: minwidth 10,
 * tabwidth 1, padding 3, spaces): tab-terminated cells in contiguous lines
 * form a column padded to its widest cell; a line with a single cell ends
 * the block, as Go's streaming writer flushes there.
 */
export interface TabwriterOptions {
  minwidth: number;
  padding: number;
}

const DOCKER: TabwriterOptions = { minwidth: 10, padding: 3 };

interface Line {
  cells: string[];
  newline: boolean;
}

/** Display width: code points, wide East Asian characters counting two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    w += cp >= 0x1100 && (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd)) ? 2 : 1;
  }
  return w;
}

export function tabwrite(text: string, options: TabwriterOptions = DOCKER): string {
  const out: string[] = [];
  const raw = text.split('\n');
  let batch: Line[] = [];
  raw.forEach((segment, i) => {
    const last = i === raw.length - 1;
    const cells = last && segment === '' ? [] : segment.split('\t');
    batch.push({ cells, newline: !last });
    if (!last && cells.length === 1) {
      out.push(formatBlock(batch, options));
      batch = [];
    }
  });
  out.push(formatBlock(batch, options));
  return out.join('');
}

function formatBlock(lines: Line[], o: TabwriterOptions): string {
  const out: string[] = [];
  const widths: number[] = [];
  const writeLines = (line0: number, line1: number): void => {
    for (let i = line0; i < line1; i++) {
      const line = lines[i]!;
      line.cells.forEach((cell, j) => {
        out.push(cell);
        if (j < widths.length) out.push(' '.repeat(Math.max(0, widths[j]! - displayWidth(cell))));
      });
      if (line.newline) out.push('\n');
    }
  };
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t]!.cells.length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let width = o.minwidth;
      for (; t < line1; t++) {
        const cells = lines[t]!.cells;
        if (column >= cells.length - 1) break;
        width = Math.max(width, displayWidth(cells[column]!) + o.padding);
      }
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t;
    }
    writeLines(line0, line1);
  };
  format(0, lines.length);
  return out.join('');
}
