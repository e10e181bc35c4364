/** One data record of a CSV file: its fields and its raw text (for error reports). */
export interface CsvRecord {
  fields: string[];
  text: string;
  /** 1-based line number where the record starts. */
  lineNumber: number;
}

export interface CsvFile {
  separator: "\t" | ";" | ",";
  header: string[];
  records: CsvRecord[];
}

export class CsvError extends Error {}

const SEPARATORS = ["\t", ";", ","] as const;

/**
 * Parses CSV the way spreadsheets export it: the separator is whichever of TAB, ';' and ',' occurs most often in
 * the header line outside quotes (ties in that order); fields may be quoted with '"' ('""' inside is a quote and
 * quoted fields may span lines); CRLF, LF and CR all end a record. Records whose fields are all empty are skipped.
 */
export function parseCsv(input: string): CsvFile {
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  if (text.includes("\u0000")) throw new CsvError("The file is not a CSV text file");
  const separator = detectSeparator(text);
  const all = splitRecords(text, separator);
  const headerRecord = all.shift();
  if (!headerRecord || headerRecord.fields.every((f) => f.trim() === ""))
    throw new CsvError("The file is empty: a header line is required");
  return {
    separator,
    header: headerRecord.fields.map((f) => f.trim()),
    records: all.filter((r) => r.fields.some((f) => f.trim() !== "")),
  };
}

function detectSeparator(text: string): CsvFile["separator"] {
  const counts = new Map<string, number>(SEPARATORS.map((s) => [s, 0]));
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best: CsvFile["separator"] = ",";
  let bestCount = 0;
  for (const s of SEPARATORS) {
    if (counts.get(s)! > bestCount) {
      best = s;
      bestCount = counts.get(s)!;
    }
  }
  return best;
}

function splitRecords(text: string, separator: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false; // inside a quoted section
  let start = 0; // offset of the current record
  let line = 1;
  let startLine = 1;
  const endRecord = (end: number) => {
    fields.push(field);
    records.push({ fields, text: text.slice(start, end), lineNumber: startLine });
    fields = [];
    field = "";
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === "\n" || (ch === "\r" && text[i + 1] !== "\n")) line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      // A quote opens a quoted section only at the start of a field; elsewhere it is an ordinary character.
      if (field.trim() === "") {
        field = "";
        quoted = true;
      } else field += ch;
    } else if (ch === separator) {
      fields.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      endRecord(i);
      if (ch === "\r" && text[i + 1] === "\n") i++;
      line++;
      start = i + 1;
      startLine = line;
    } else field += ch;
  }
  if (quoted) throw new CsvError(`Unclosed quote in the record starting on line ${startLine}`);
  if (start < text.length || fields.length > 0 || field !== "") endRecord(text.length);
  return records;
}
