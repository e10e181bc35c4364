import { deviceIdSchema, type RegistrationStatus } from "@/lib/schemas/registrations";
import { detectSeparator, readCsv, writeCsv, type CsvSeparator } from "./parse-csv";

/**
 * Checks a bulk registration file the way the platform will read it (docs/platform-api.md 5.3), in the browser,
 * so the operator sees every problem row by row before anything is written.
 *
 * - simple format: only `ID` and optionally `PATH` → ordinary requests that still need accepting.
 * - full format: any other column (`CREDENTIALS`, `AUTH_TYPE`, `TYPE`, `NAME`, …, custom properties).
 */

export type BulkFormat = "simple" | "full";

/** The column our "rejected rows" download adds; ignored when such a file is uploaded again after fixing. */
export const REJECTION_COLUMN = "REJECTION_REASON";

/** The platform's named columns that the checks below read; any other column is a custom property. */
type KnownColumn =
  "ID" | "CREDENTIALS" | "AUTH_TYPE" | "TYPE" | "NAME" | "ICCID" | "IDTYPE" | "PATH" | "SHELL";
/** Columns the platform only honours when TYPE and NAME are given too. */
const NEED_TYPE_AND_NAME: readonly KnownColumn[] = ["ICCID", "IDTYPE", "PATH", "SHELL"];

export interface BulkRow {
  /** 1-based line in the file. */
  line: number;
  id: string;
  /** The row's values in header order (padded to the header's length). */
  values: string[];
  errors: string[];
  warnings: string[];
}

export interface BulkParseResult {
  separator: CsvSeparator;
  format: BulkFormat;
  /** Header as written in the file, without our rejection column. */
  columns: string[];
  rows: BulkRow[];
  valid: BulkRow[];
  rejected: BulkRow[];
  /** Problems that make the whole file unusable (nothing can be uploaded). */
  fileErrors: string[];
  fileWarnings: string[];
}

export interface BulkParseOptions {
  /** Requests the console already knows, id → status, to flag re-registrations before upload. */
  known?: ReadonlyMap<string, RegistrationStatus>;
}

const STATUS_WORDS: Record<RegistrationStatus, string> = {
  WAITING_FOR_CONNECTION: "waiting for connection",
  PENDING_ACCEPTANCE: "pending acceptance",
  ACCEPTED: "accepted",
  BLOCKED: "blocked",
};

function emptyResult(separator: CsvSeparator, fileErrors: string[]): BulkParseResult {
  return {
    separator,
    format: "simple",
    columns: [],
    rows: [],
    valid: [],
    rejected: [],
    fileErrors,
    fileWarnings: [],
  };
}

export function parseBulkRegistrationCsv(text: string, options: BulkParseOptions = {}): BulkParseResult {
  const separator = detectSeparator(text);
  const read = readCsv(text, separator);
  const [headerRecord, ...dataRecords] = read.records;
  if (!headerRecord)
    return emptyResult(separator, ["The file is empty: it needs a header row such as ID;PATH."]);

  // A trailing separator on the header line yields empty names at the end; they carry nothing.
  const header = headerRecord.fields.map((h) => h.trim());
  while (header.length > 1 && header.at(-1) === "") header.pop();
  const upper = header.map((h) => h.toUpperCase());
  const skip = new Set(upper.flatMap((h, i) => (h === REJECTION_COLUMN ? [i] : [])));
  const columns = header.filter((_, i) => !skip.has(i));
  const keys = upper.filter((_, i) => !skip.has(i));

  const fileErrors: string[] = [];
  const fileWarnings: string[] = [];
  if (read.error) fileErrors.push(read.error.message);
  if (!keys.includes("ID")) fileErrors.push("The header row has no ID column (the device's external id).");
  if (keys.some((k) => k === "")) fileErrors.push("The header row has a column without a name.");
  const dupes = keys.filter((k, i) => k !== "" && keys.indexOf(k) !== i);
  if (dupes.length) fileErrors.push(`The header row names ${[...new Set(dupes)].join(", ")} more than once.`);
  if (dataRecords.length === 0) fileErrors.push("The file has a header row but no devices.");

  const format: BulkFormat = keys.every((k) => k === "ID" || k === "PATH") ? "simple" : "full";
  if (format === "full" && !keys.includes("COM_CUMULOCITY_MODEL_AGENT.ACTIVE")) {
    fileWarnings.push(
      "Full format without a com_cumulocity_model_Agent.active column: the platform documentation asks for it (value true).",
    );
  }
  if (fileErrors.length && !keys.includes("ID"))
    return { ...emptyResult(separator, fileErrors), columns, format };

  const col = (row: string[], name: KnownColumn) => {
    const i = keys.indexOf(name);
    return i < 0 ? "" : (row[i] ?? "").trim();
  };
  const firstLineOf = new Map<string, number>();
  const rows: BulkRow[] = dataRecords.map((record) => {
    const raw = record.fields.filter((_, i) => !skip.has(i));
    const errors: string[] = [];
    const warnings: string[] = [];
    const extra = raw.slice(columns.length).filter((v) => v.trim() !== "");
    if (extra.length) errors.push(`${raw.length} values but the header has ${columns.length} columns`);
    const values = columns.map((_, i) => raw[i] ?? "");
    const id = col(values, "ID");

    const parsedId = deviceIdSchema.safeParse(id);
    if (!parsedId.success) errors.push(`ID: ${parsedId.error.issues[0]?.message ?? "invalid"}`);
    const earlier = firstLineOf.get(id);
    if (id && earlier !== undefined) errors.push(`Same ID as line ${earlier}`);
    else if (id) firstLineOf.set(id, record.line);
    const knownStatus = id ? options.known?.get(id) : undefined;
    if (knownStatus && format === "simple") errors.push(`Already registered (${STATUS_WORDS[knownStatus]})`);
    if (knownStatus && format === "full") warnings.push(`A request exists (${STATUS_WORDS[knownStatus]})`);

    const path = col(values, "PATH");
    if (path && path.split("/").some((segment) => segment.trim() === "")) {
      errors.push("PATH: every group name between slashes must be non-empty (a/b/c)");
    }
    if (format === "full") checkFullRow(values, col, errors);
    return { line: record.line, id, values, errors, warnings };
  });

  const usable = fileErrors.length === 0;
  return {
    separator,
    format,
    columns,
    rows,
    valid: usable ? rows.filter((r) => r.errors.length === 0) : [],
    rejected: usable ? rows.filter((r) => r.errors.length > 0) : rows,
    fileErrors,
    fileWarnings,
  };
}

function checkFullRow(values: string[], col: (row: string[], name: KnownColumn) => string, errors: string[]) {
  const authType = col(values, "AUTH_TYPE").toUpperCase();
  if (authType && authType !== "BASIC" && authType !== "CERTIFICATES") {
    errors.push("AUTH_TYPE must be BASIC or CERTIFICATES");
  }
  if (authType !== "CERTIFICATES" && !col(values, "CREDENTIALS")) {
    errors.push("CREDENTIALS is required unless AUTH_TYPE is CERTIFICATES");
  }
  const shell = col(values, "SHELL");
  if (shell && shell !== "0" && shell !== "1") errors.push("SHELL must be 1 or 0");
  const needing = NEED_TYPE_AND_NAME.filter((c) => col(values, c) !== "");
  if (needing.length && (!col(values, "TYPE") || !col(values, "NAME"))) {
    errors.push(`${needing.join(", ")} only work when TYPE and NAME are filled in`);
  }
}

/** The rows that passed, in the file's own separator, ready for the upload. */
export function validRowsCsv(result: BulkParseResult): string {
  return writeCsv(
    result.columns,
    result.valid.map((r) => r.values),
    result.separator,
  );
}

/** The rows that failed plus a reason column, so the operator can fix them and upload the same file again. */
export function rejectedRowsCsv(result: BulkParseResult): string {
  return writeCsv(
    [...result.columns, REJECTION_COLUMN],
    result.rejected.map((r) => [
      ...r.values,
      `line ${r.line}: ${[...result.fileErrors, ...r.errors].join("; ")}`,
    ]),
    result.separator,
  );
}
