import { describe, expect, it } from "vitest";
import { detectSeparator, readCsv, writeCsv } from "../parse-csv";

describe("detectSeparator", () => {
  it("picks the separator used in the header line", () => {
    expect(detectSeparator("ID;PATH\ndev-1;a/b")).toBe(";");
    expect(detectSeparator("ID,CREDENTIALS,TYPE\n")).toBe(",");
    expect(detectSeparator("ID\tNAME\n")).toBe("\t");
  });

  it("ignores separators inside quotes and looks at the header only", () => {
    expect(detectSeparator('"a,b,c";ID\nx,y,z,w,v')).toBe(";");
  });

  it("skips leading blank lines and a byte order mark", () => {
    expect(detectSeparator("\uFEFF\n\r\nID,PATH")).toBe(",");
  });

  it("prefers TAB, then semicolon, on a tie and falls back to semicolon for a single column", () => {
    expect(detectSeparator("A\tB;C,D")).toBe("\t");
    expect(detectSeparator("A;B,C")).toBe(";");
    expect(detectSeparator("ID\ndev-1")).toBe(";");
  });
});

describe("readCsv", () => {
  it("reads quoted fields with separators, doubled quotes and line breaks", () => {
    const { records, error } = readCsv('ID;NAME\n"dev;1";"say ""hi"""\n"multi\nline";x\nlast;y', ";");
    expect(error).toBeUndefined();
    expect(records).toEqual([
      { line: 1, fields: ["ID", "NAME"] },
      { line: 2, fields: ["dev;1", 'say "hi"'] },
      { line: 3, fields: ["multi\nline", "x"] },
      { line: 5, fields: ["last", "y"] },
    ]);
  });

  it("handles CRLF, lone CR, blank lines and a missing final newline", () => {
    const { records } = readCsv("a,b\r\n\r\nc,d\re,f", ",");
    expect(records).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 3, fields: ["c", "d"] },
      { line: 4, fields: ["e", "f"] },
    ]);
  });

  it("keeps empty fields and an empty quoted record", () => {
    expect(readCsv('a;;\n""\n', ";").records).toEqual([
      { line: 1, fields: ["a", "", ""] },
      { line: 2, fields: [""] },
    ]);
  });

  it("keeps a stray quote inside an unquoted value", () => {
    expect(readCsv('ab"c;d', ";").records[0]?.fields).toEqual(['ab"c', "d"]);
  });

  it("reports a quoted value that is never closed", () => {
    const result = readCsv('ID\nok\n"broken\nmore', ";");
    expect(result.records.map((r) => r.fields[0])).toEqual(["ID", "ok"]);
    expect(result.error).toEqual({ line: 3, message: "Line 3: a quoted value is never closed" });
  });
});

describe("writeCsv", () => {
  it("quotes only where needed and reads back to the same values", () => {
    const rows = [
      ["dev;1", 'q"uote', "plain"],
      ["line\nbreak", "", "x"],
    ];
    const text = writeCsv(["ID", "NAME", "TYPE"], rows, ";");
    expect(text.split("\r\n")[1]).toBe('"dev;1";"q""uote";plain');
    expect(readCsv(text, ";").records.map((r) => r.fields)).toEqual([["ID", "NAME", "TYPE"], ...rows]);
  });
});
