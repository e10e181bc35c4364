import { describe, expect, it } from "vitest";
import type { RegistrationStatus } from "@/lib/schemas/registrations";
import { readCsv } from "../parse-csv";
import {
  REJECTION_COLUMN,
  parseBulkRegistrationCsv,
  rejectedRowsCsv,
  validRowsCsv,
} from "../bulk-registration";

const errorsByLine = (text: string, known?: Map<string, RegistrationStatus>) =>
  Object.fromEntries(parseBulkRegistrationCsv(text, { known }).rows.map((r) => [r.line, r.errors]));

describe("parseBulkRegistrationCsv: simple format", () => {
  it("accepts ID;PATH rows and rows without a path", () => {
    const result = parseBulkRegistrationCsv("ID;PATH\ndev-1;Plant A/Line 1\ndev-2\n");
    expect(result.format).toBe("simple");
    expect(result.separator).toBe(";");
    expect(result.fileErrors).toEqual([]);
    expect(result.valid.map((r) => [r.line, r.id, r.values])).toEqual([
      [2, "dev-1", ["dev-1", "Plant A/Line 1"]],
      [3, "dev-2", ["dev-2", ""]],
    ]);
    expect(result.rejected).toEqual([]);
  });

  it("matches header names case-insensitively and tolerates a trailing separator", () => {
    const result = parseBulkRegistrationCsv("id,path,\ndev-1,g,\n");
    expect(result.format).toBe("simple");
    expect(result.columns).toEqual(["id", "path"]);
    expect(result.valid).toHaveLength(1);
  });

  it("flags bad ids, duplicates within the file, known requests and empty path segments per row", () => {
    const known = new Map<string, RegistrationStatus>([["dev-known", "PENDING_ACCEPTANCE"]]);
    const text = "ID;PATH\ndev-1;a\n;a\ndev-1;b\ndev-known;\nbad/id;\ndev-3;a//b\ndev-4;a;extra\n";
    expect(errorsByLine(text, known)).toEqual({
      2: [],
      3: ["ID: Empty id"],
      4: ["Same ID as line 2"],
      5: ["Already registered (pending acceptance)"],
      6: ["ID: Contains control characters or slashes"],
      7: ["PATH: every group name between slashes must be non-empty (a/b/c)"],
      8: ["3 values but the header has 2 columns"],
    });
  });
});

describe("parseBulkRegistrationCsv: full format", () => {
  const header =
    "ID\tCREDENTIALS\tAUTH_TYPE\tTYPE\tNAME\tICCID\tPATH\tSHELL\tcom_cumulocity_model_Agent.active";

  it("checks credentials, auth type, shell and the columns that need TYPE and NAME", () => {
    const text = [
      header,
      "d1\tSecret-123\tBASIC\tc8y_Linux\tPi 1\t8949\tA/B\t1\ttrue",
      "d2\t\tCERTIFICATES\t\t\t\t\t\ttrue",
      "d3\t\t\t\t\t\t\t\ttrue",
      "d4\tpw\tTOKEN\t\t\t\t\t\ttrue",
      "d5\tpw\t\t\t\t8949\t\tyes\ttrue",
    ].join("\n");
    const result = parseBulkRegistrationCsv(text);
    expect(result.format).toBe("full");
    expect(result.separator).toBe("\t");
    expect(result.fileWarnings).toEqual([]);
    expect(errorsByLine(text)).toEqual({
      2: [],
      3: [],
      4: ["CREDENTIALS is required unless AUTH_TYPE is CERTIFICATES"],
      5: ["AUTH_TYPE must be BASIC or CERTIFICATES"],
      6: ["SHELL must be 1 or 0", "ICCID, SHELL only work when TYPE and NAME are filled in"],
    });
  });

  it("only warns about known ids (the platform updates credentials) and a missing agent column", () => {
    const known = new Map<string, RegistrationStatus>([["d1", "ACCEPTED"]]);
    const result = parseBulkRegistrationCsv("ID,CREDENTIALS\nd1,pw\n", { known });
    expect(result.valid[0]?.warnings).toEqual(["A request exists (accepted)"]);
    expect(result.fileWarnings).toHaveLength(1);
  });

  it("keeps custom property columns and quoted values", () => {
    const result = parseBulkRegistrationCsv('ID;CREDENTIALS;site.name\nd1;"p;w";"Hall ""7"""\n');
    expect(result.valid[0]?.values).toEqual(["d1", "p;w", 'Hall "7"']);
  });
});

describe("parseBulkRegistrationCsv: file problems", () => {
  it("rejects an empty file, a header without ID and a header without rows", () => {
    expect(parseBulkRegistrationCsv("").fileErrors).toEqual([
      "The file is empty: it needs a header row such as ID;PATH.",
    ]);
    const noId = parseBulkRegistrationCsv("NAME;PATH\nx;y\n");
    expect(noId.fileErrors).toEqual(["The header row has no ID column (the device's external id)."]);
    expect(noId.valid).toEqual([]);
    expect(parseBulkRegistrationCsv("ID;PATH\n").fileErrors).toEqual([
      "The file has a header row but no devices.",
    ]);
  });

  it("rejects duplicate column names and an unclosed quote; then nothing is uploadable", () => {
    const result = parseBulkRegistrationCsv('ID;id\na;b\n"c;d\n');
    expect(result.fileErrors).toEqual([
      "Line 3: a quoted value is never closed",
      "The header row names ID more than once.",
    ]);
    expect(result.valid).toEqual([]);
    expect(result.rejected.map((r) => r.line)).toEqual([2]);
  });
});

describe("CSV output", () => {
  const text = "ID;PATH\ndev-1;a\nbad/1;b\ndev-1;c\n";

  it("writes the valid rows in the file's own separator", () => {
    const result = parseBulkRegistrationCsv(text);
    expect(validRowsCsv(result)).toBe("ID;PATH\r\ndev-1;a\r\n");
  });

  it("writes rejected rows with a reason column that a re-upload ignores", () => {
    const result = parseBulkRegistrationCsv(text);
    const rejected = rejectedRowsCsv(result);
    expect(readCsv(rejected, ";").records.map((r) => r.fields)).toEqual([
      ["ID", "PATH", REJECTION_COLUMN],
      ["bad/1", "b", "line 3: ID: Contains control characters or slashes"],
      ["dev-1", "c", "line 4: Same ID as line 2"],
    ]);
    // After fixing the ids the operator uploads the same file: the reason column is dropped.
    const fixed = rejected.replace("bad/1", "dev-9").replace("dev-1;c", "dev-10;c");
    const again = parseBulkRegistrationCsv(fixed);
    expect(again.columns).toEqual(["ID", "PATH"]);
    expect(again.format).toBe("simple");
    expect(again.valid.map((r) => r.values)).toEqual([
      ["dev-9", "b"],
      ["dev-10", "c"],
    ]);
  });
});
