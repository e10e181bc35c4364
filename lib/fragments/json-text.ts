/**
 * Parses JSON typed by the operator and, when it is not valid, says where: line, column and a plain message.
 * Browsers word (and position) JSON.parse errors differently, so the check is our own small scanner; the value
 * itself still comes from JSON.parse.
 */

export interface JsonSyntaxError {
  message: string;
  /** 0-based offset into the text. */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units like the textarea's caret. */
  column: number;
}

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; error: JsonSyntaxError };

/** Deeper nesting is refused: the platform stores at most 100 levels and a deep value is a mistake anyway. */
export const MAX_JSON_DEPTH = 64;

class Fail extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function locate(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++)
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  return { line, column: offset - lineStart + 1 };
}

function describe(text: string, i: number): string {
  if (i >= text.length) return "the end of the text";
  const c = text[i]!;
  if (c === "\n") return "a line break";
  if (c === "'") return "a single quote (JSON strings use double quotes)";
  return `“${c}”`;
}

function scan(text: string): void {
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r"))
      i++;
  };
  const expectWord = (word: string) => {
    for (let k = 0; k < word.length; k++)
      if (text[i + k] !== word[k]) throw new Fail(`Unknown word: did you mean ${word}?`, i);
    i += word.length;
  };
  const string = () => {
    const start = i;
    i++; // opening quote
    for (;;) {
      if (i >= text.length) throw new Fail("This text is missing its closing quote", start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20)
        throw new Fail(
          c === 0x0a ? "Line break inside a text value (write \\n instead)" : "Control character in text",
          i,
        );
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
            throw new Fail("\\u must be followed by four hex digits", i);
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new Fail(`Unknown escape \\${e ?? ""}`, i);
        continue;
      }
      i++;
    }
  };
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === "-") throw new Fail("Not a valid number", i);
    const next = text[i + m[0].length];
    if (next !== undefined && /[\w.]/.test(next)) throw new Fail("Not a valid number", i);
    i += m[0].length;
  };
  const value = (depth: number): void => {
    ws();
    if (depth > MAX_JSON_DEPTH) throw new Fail(`Nested deeper than ${MAX_JSON_DEPTH} levels`, i);
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"')
          throw new Fail(
            text[i] === "}"
              ? "Trailing comma before }"
              : `Expected a property name in double quotes, found ${describe(text, i)}`,
            i,
          );
        string();
        ws();
        if (text[i] !== ":")
          throw new Fail(`Expected “:” after the property name, found ${describe(text, i)}`, i);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        throw new Fail(`Expected “,” or “}”, found ${describe(text, i)}`, i);
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] === "]") throw new Fail("Trailing comma before ]", i);
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        throw new Fail(`Expected “,” or “]”, found ${describe(text, i)}`, i);
      }
    }
    if (c === '"') return string();
    if (c === "t") return expectWord("true");
    if (c === "f") return expectWord("false");
    if (c === "n") return expectWord("null");
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return number();
    throw new Fail(
      c === undefined ? "Expected a value, found the end of the text" : `Unexpected ${describe(text, i)}`,
      i,
    );
  };
  value(1);
  ws();
  if (i < text.length) throw new Fail(`Unexpected ${describe(text, i)} after the value`, i);
}

export function parseJsonText(text: string): JsonParseResult {
  try {
    scan(text);
  } catch (err) {
    if (!(err instanceof Fail)) throw err;
    return { ok: false, error: { message: err.message, offset: err.offset, ...locate(text, err.offset) } };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    // The scanner should be at least as strict as JSON.parse; if not, still report something useful.
    return {
      ok: false,
      error: {
        message: err instanceof Error ? err.message : "Not valid JSON",
        offset: 0,
        line: 1,
        column: 1,
      },
    };
  }
}

/** How the editor shows a value: two-space indentation, like most JSON tools. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? "null";
}
