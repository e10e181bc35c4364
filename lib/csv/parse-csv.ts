/**
 * A small delimited-text reader and writer, universal (browser and server), no dependencies.
 * Quoted fields follow RFC 4180: `"` opens a quoted field, `""` inside it is a literal quote, and a quoted
 * field may span lines. A quote in the middle of an unquoted field is kept as a literal character, because
 * hand-made device lists do that and rejecting them would only frustrate the operator.
 */

export type CsvSeparator = "\t" | ";" | ",";

/** Tried in this order; on a tie the earlier one wins (TAB and `;` rarely occur inside values). */
export const CSV_SEPARATORS: readonly CsvSeparator[] = ["\t", ";", ","];

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  fields: string[];
}

export interface CsvReadResult {
  records: CsvRecord[];
  /** Set when the file ends inside a quoted field: the text from that record on cannot be trusted. */
  error?: { line: number; message: string };
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Picks the separator that occurs most often (outside quotes) in the first non-blank line. */
export function detectSeparator(text: string): CsvSeparator {
  const body = stripBom(text);
  const counts = new Map<CsvSeparator, number>(CSV_SEPARATORS.map((s) => [s, 0]));
  let inQuotes = false;
  let seenContent = false;
  for (const ch of body) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === "\n" || ch === "\r")) {
      if (seenContent) break;
    } else if (!inQuotes && counts.has(ch as CsvSeparator)) {
      counts.set(ch as CsvSeparator, (counts.get(ch as CsvSeparator) ?? 0) + 1);
    }
    if (ch.trim() !== "") seenContent = true;
  }
  let best: CsvSeparator = ";";
  let bestCount = 0;
  for (const sep of CSV_SEPARATORS) {
    const n = counts.get(sep) ?? 0;
    if (n > bestCount) {
      best = sep;
      bestCount = n;
    }
  }
  return best;
}

/** Splits text into records. Blank lines are skipped; CRLF, LF and lone CR all end a record. */
export function readCsv(text: string, separator: CsvSeparator): CsvReadResult {
  const body = stripBom(text);
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false; // inside a quoted field
  let wasQuoted = false; // the current field started with a quote
  let line = 1;
  let recordLine = 1;

  const endField = () => {
    fields.push(field);
    field = "";
    wasQuoted = false;
  };
  const endRecord = () => {
    const blank = fields.length === 0 && field === "" && !wasQuoted;
    endField();
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
  };

  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === "\n" || (ch === "\r" && body[i + 1] !== "\n")) line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === "" && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
    } else if (ch === separator) {
      endField();
    } else if (ch === "\r" || ch === "\n") {
      if (ch === "\r" && body[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
    }
  }
  if (quoted) {
    return {
      records,
      error: { line: recordLine, message: `Line ${recordLine}: a quoted value is never closed` },
    };
  }
  if (field !== "" || fields.length > 0 || wasQuoted) endRecord();
  return { records };
}

function needsQuotes(value: string, separator: CsvSeparator): boolean {
  return value.includes(separator) || value.includes('"') || value.includes("\n") || value.includes("\r");
}

export function formatCsvField(value: string, separator: CsvSeparator): string {
  return needsQuotes(value, separator) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Writes a header and rows; values are quoted only where the reader above needs it. */
export function writeCsv(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  separator: CsvSeparator,
) {
  const lines = [header, ...rows].map((r) => r.map((v) => formatCsvField(v, separator)).join(separator));
  return lines.join("\r\n") + "\r\n";
}
