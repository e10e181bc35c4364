import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, formatJson, locate, parseJsonText } from "../json-text";

const error = (text: string) => {
  const r = parseJsonText(text);
  if (r.ok) throw new Error(`expected an error for ${text}`);
  return r.error;
};

describe("parseJsonText", () => {
  it.each([
    ['{"a": [1, 2.5e-3, -0, true, false, null, "x\\n\\u00e9"]}'],
    ["  []  "],
    ['"just text"'],
    ["0"],
    ['{"__proto__": {"polluted": true}}'],
  ])("accepts valid JSON: %s", (text) => {
    const r = parseJsonText(text);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toEqual(JSON.parse(text));
  });

  it("keeps a __proto__ key as plain data", () => {
    const r = parseJsonText('{"__proto__": {"polluted": true}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(r.ok && Object.keys(r.value as object)).toEqual(["__proto__"]);
  });

  it("points at a missing comma with line and column", () => {
    expect(error('{\n  "model": "A"\n  "revision": "1"\n}')).toEqual({
      message: 'Expected “,” or “}”, found “"”',
      offset: 19,
      line: 3,
      column: 3,
    });
  });

  it.each([
    ['{"a": 1,}', "Trailing comma before }", 1, 9],
    ["[1, 2,]", "Trailing comma before ]", 1, 7],
    [
      "{'a': 1}",
      "Expected a property name in double quotes, found a single quote (JSON strings use double quotes)",
      1,
      2,
    ],
    ['{"a": tru}', "Unknown word: did you mean true?", 1, 7],
    ['{"a": 01}', "Not a valid number", 1, 7],
    ['{"a": "x', "This text is missing its closing quote", 1, 7],
    ['{"a": "x\ny"}', "Line break inside a text value (write \\n instead)", 1, 9],
    ['{"a": "\\q"}', "Unknown escape \\q", 1, 8],
    ["", "Expected a value, found the end of the text", 1, 1],
    ["{} {}", "Unexpected “{” after the value", 1, 4],
    ['{"a" 1}', "Expected “:” after the property name, found “1”", 1, 6],
  ])("explains %j", (text, message, line, column) => {
    expect(error(text)).toMatchObject({ message, line, column });
  });

  it("refuses nesting deeper than the limit", () => {
    const deep = "[".repeat(MAX_JSON_DEPTH + 1) + "]".repeat(MAX_JSON_DEPTH + 1);
    expect(error(deep).message).toMatch(/Nested deeper/);
    const ok = "[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH);
    expect(parseJsonText(ok).ok).toBe(true);
  });
});

describe("locate and formatJson", () => {
  it("counts lines and columns from 1", () => {
    expect(locate("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
    expect(locate("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
  });

  it("indents with two spaces", () => {
    expect(formatJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
  });
});
