/**
 * The subset of the inventory query language the emulator understands (docs/platform-api.md §4.3):
 * `$filter=` and `$orderby=` clauses (or a bare filter), comparisons eq/ne/gt/ge/lt/le, and/or/not, parentheses,
 * functions has/hasany/bygroupid/isinhierarchyof. Anything else is a QuerySyntaxError, which the routes answer
 * with 422 inventory/Invalid Data: a query must never crash the server.
 */

export type CompareOp = "eq" | "ne" | "gt" | "ge" | "lt" | "le";
export type FunctionName = "has" | "hasany" | "bygroupid" | "isinhierarchyof";

export type Literal =
  { t: "string"; v: string } | { t: "number"; v: number } | { t: "bool"; v: boolean } | { t: "null" };

export type Expr =
  | { kind: "and" | "or"; left: Expr; right: Expr }
  | { kind: "not"; expr: Expr }
  | { kind: "cmp"; path: string[]; op: CompareOp; value: Literal }
  | { kind: "fn"; name: FunctionName; args: string[] };

export interface OrderKey {
  path: string[];
  dir: "asc" | "desc";
}

export interface ParsedQuery {
  filter: Expr | undefined;
  orderBy: OrderKey[];
}

export class QuerySyntaxError extends Error {}

const MAX_QUERY_LENGTH = 8192;
const MAX_DEPTH = 64;
const MAX_PATH_SEGMENTS = 8;

type Token =
  | { k: "lparen" | "rparen" | "comma" | "filter" | "orderby" | "eof"; at: number }
  | { k: "ident"; v: string; at: number }
  | { k: "string"; v: string; at: number }
  | { k: "number"; v: number; at: number };

const COMPARE_OPS = new Set<string>(["eq", "ne", "gt", "ge", "lt", "le"]);
const FUNCTIONS = new Set<string>(["has", "hasany", "bygroupid", "isinhierarchyof"]);
// A property path: segments of letters, digits and a few safe symbols, joined by dots. Quotes never appear in a
// segment, which keeps the JSON paths built from them unambiguous.
const IDENT = /^[A-Za-z_@][\w@:-]*(?:\.[\w@:-]+)*/;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[fFdDlL]?(?![\w.])/;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === ")" || c === ",") {
      tokens.push({ k: c === "(" ? "lparen" : c === ")" ? "rparen" : "comma", at: i });
      i++;
      continue;
    }
    if (c === "'") {
      let value = "";
      let j = i + 1;
      for (;;) {
        if (j >= input.length) throw new QuerySyntaxError(`unterminated string at ${i}`);
        const d = input[j]!;
        if (d === "'") {
          // OData escapes a quote inside a string by doubling it.
          if (input[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += d;
        j++;
      }
      tokens.push({ k: "string", v: value, at: i });
      i = j + 1;
      continue;
    }
    if (c === "$") {
      const m = /^\$(filter|orderby)\s*=/i.exec(input.slice(i));
      if (!m) throw new QuerySyntaxError(`unknown clause at ${i}`);
      tokens.push({ k: m[1]!.toLowerCase() === "filter" ? "filter" : "orderby", at: i });
      i += m[0].length;
      continue;
    }
    const rest = input.slice(i);
    const num = NUMBER.exec(rest);
    if (num) {
      const text = num[0];
      const suffixed = /[fFdDlL]$/.test(text);
      const body = suffixed ? text.slice(0, -1) : text;
      // Decimals without an f/d suffix are strings in the platform's language.
      if (/[.eE]/.test(body) && !suffixed) tokens.push({ k: "string", v: body, at: i });
      else {
        const v = Number(body);
        if (!Number.isFinite(v)) throw new QuerySyntaxError(`bad number at ${i}`);
        tokens.push({ k: "number", v, at: i });
      }
      i += text.length;
      continue;
    }
    const id = IDENT.exec(rest);
    if (id) {
      tokens.push({ k: "ident", v: id[0], at: i });
      i += id[0].length;
      continue;
    }
    throw new QuerySyntaxError(`unexpected character '${c}' at ${i}`);
  }
  tokens.push({ k: "eof", at: input.length });
  return tokens;
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    const t = this.tokens[this.pos]!;
    if (t.k !== "eof") this.pos++;
    return t;
  }

  private isKeyword(t: Token, word: string): boolean {
    return t.k === "ident" && t.v.toLowerCase() === word;
  }

  parse(): ParsedQuery {
    let filter: Expr | undefined;
    let orderBy: OrderKey[] | undefined;
    let sawFilter = false;
    const first = this.peek();
    if (first.k !== "filter" && first.k !== "orderby" && first.k !== "eof") {
      filter = this.expr();
      sawFilter = true;
    }
    for (;;) {
      const t = this.next();
      if (t.k === "eof") break;
      if (t.k === "filter") {
        if (sawFilter) throw new QuerySyntaxError("more than one filter");
        sawFilter = true;
        // `$filter=` may be empty (go-c8y-cli sends "$filter= $orderby=name").
        const n = this.peek();
        if (n.k !== "eof" && n.k !== "orderby") filter = this.expr();
        continue;
      }
      if (t.k === "orderby") {
        if (orderBy) throw new QuerySyntaxError("more than one $orderby");
        orderBy = this.orderList();
        continue;
      }
      throw new QuerySyntaxError(`unexpected token at ${t.at}`);
    }
    return { filter, orderBy: orderBy ?? [] };
  }

  private orderList(): OrderKey[] {
    const keys: OrderKey[] = [];
    const t = this.peek();
    if (t.k === "eof" || t.k === "filter") return keys; // "$orderby=" with nothing: default order
    for (;;) {
      const id = this.next();
      if (id.k !== "ident") throw new QuerySyntaxError(`property expected at ${id.at}`);
      let dir: "asc" | "desc" = "asc";
      const d = this.peek();
      if (this.isKeyword(d, "asc") || this.isKeyword(d, "desc")) {
        this.next();
        dir = (d as { v: string }).v.toLowerCase() as "asc" | "desc";
      }
      keys.push({ path: splitPath(id.v), dir });
      if (this.peek().k !== "comma") break;
      this.next();
    }
    return keys;
  }

  private expr(): Expr {
    if (++this.depth > MAX_DEPTH) throw new QuerySyntaxError("query nested too deeply");
    let left = this.andExpr();
    while (this.isKeyword(this.peek(), "or")) {
      this.next();
      left = { kind: "or", left, right: this.andExpr() };
    }
    this.depth--;
    return left;
  }

  private andExpr(): Expr {
    let left = this.unary();
    while (this.isKeyword(this.peek(), "and")) {
      this.next();
      left = { kind: "and", left, right: this.unary() };
    }
    return left;
  }

  private unary(): Expr {
    const t = this.peek();
    if (this.isKeyword(t, "not")) {
      // `not` is a property name when a comparison operator follows it.
      const after = this.tokens[this.pos + 1];
      if (!(after?.k === "ident" && COMPARE_OPS.has(after.v.toLowerCase()))) {
        this.next();
        if (++this.depth > MAX_DEPTH) throw new QuerySyntaxError("query nested too deeply");
        const expr = this.unary();
        this.depth--;
        return { kind: "not", expr };
      }
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.next();
    if (t.k === "lparen") {
      const e = this.expr();
      const close = this.next();
      if (close.k !== "rparen") throw new QuerySyntaxError(`')' expected at ${close.at}`);
      return e;
    }
    if (t.k !== "ident") throw new QuerySyntaxError(`property or function expected at ${t.at}`);
    if (this.peek().k === "lparen") {
      const name = t.v.toLowerCase();
      if (!FUNCTIONS.has(name)) throw new QuerySyntaxError(`unknown function ${t.v}`);
      this.next();
      const args: string[] = [];
      for (;;) {
        const a = this.next();
        if (a.k === "ident" || a.k === "string") args.push(a.v);
        else if (a.k === "number") args.push(String(a.v));
        else throw new QuerySyntaxError(`argument expected at ${a.at}`);
        const sep = this.next();
        if (sep.k === "rparen") break;
        if (sep.k !== "comma") throw new QuerySyntaxError(`',' or ')' expected at ${sep.at}`);
      }
      if (name === "has" && args.length !== 1) throw new QuerySyntaxError("has() takes one fragment");
      return { kind: "fn", name: name as FunctionName, args };
    }
    const opTok = this.next();
    const op = opTok.k === "ident" ? opTok.v.toLowerCase() : "";
    if (!COMPARE_OPS.has(op)) throw new QuerySyntaxError(`comparison operator expected at ${opTok.at}`);
    return { kind: "cmp", path: splitPath(t.v), op: op as CompareOp, value: this.literal() };
  }

  private literal(): Literal {
    const t = this.next();
    if (t.k === "string") return { t: "string", v: t.v };
    if (t.k === "number") return { t: "number", v: t.v };
    if (t.k === "ident") {
      const w = t.v.toLowerCase();
      if (w === "true" || w === "false") return { t: "bool", v: w === "true" };
      if (w === "null") return { t: "null" };
    }
    throw new QuerySyntaxError(`value expected at ${t.at}`);
  }
}

function splitPath(ident: string): string[] {
  const path = ident.split(".");
  if (path.length > MAX_PATH_SEGMENTS) throw new QuerySyntaxError("property path too long");
  return path;
}

/** Parses a `query`/`q` parameter value. Throws QuerySyntaxError for anything outside the supported subset. */
export function parseQuery(input: string): ParsedQuery {
  if (input.length > MAX_QUERY_LENGTH) throw new QuerySyntaxError("query too long");
  return new Parser(tokenize(input)).parse();
}
