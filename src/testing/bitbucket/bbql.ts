/**
 * A subset of BBQL, Bitbucket's filter language (`q=` on collection endpoints): comparisons
 * `field op value` with `=`, `!=`, `>`, `>=`, `<`, `<=`, `~` (contains, case-insensitive) and `!~`,
 * combined with `AND` / `OR` and parentheses. Values: double-quoted strings (`\"` escapes),
 * `null`, `true`, `false`, numbers, and unquoted ISO-8601 date-times (quoted ones work too on
 * date-time fields).
 *
 * @module
 */
import { parseMicros } from "./clock.ts";

/** The type of a filterable field. */
export type FieldType = "string" | "number" | "datetime" | "boolean";

/** A query Bitbucket would refuse (the sandbox answers 400). */
export class BbqlError extends Error {
  override readonly name = "BbqlError";
}

type Literal = string | number | boolean | null;
type Value = { readonly kind: "quoted"; readonly text: string } | {
  readonly kind: "bare";
  readonly text: string;
};
type Op = "=" | "!=" | ">" | ">=" | "<" | "<=" | "~" | "!~";
type Node =
  | { readonly type: "and" | "or"; readonly left: Node; readonly right: Node }
  | { readonly type: "cmp"; readonly field: string; readonly op: Op; readonly value: Literal };

type Token =
  | { readonly t: "(" | ")" }
  | { readonly t: "op"; readonly op: Op }
  | { readonly t: "word"; readonly text: string }
  | { readonly t: "string"; readonly text: string };

const OPS: readonly Op[] = [">=", "<=", "!=", "!~", "=", ">", "<", "~"];

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const ch = q[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "(" || ch === ")") {
      tokens.push({ t: ch });
      i++;
      continue;
    }
    const op = OPS.find((o) => q.startsWith(o, i));
    if (op !== undefined) {
      tokens.push({ t: "op", op });
      i += op.length;
      continue;
    }
    if (ch === '"') {
      let text = "";
      i++;
      for (;;) {
        if (i >= q.length) throw new BbqlError(`Invalid query: unterminated string in ${JSON.stringify(q)}`);
        const c = q[i]!;
        if (c === "\\" && i + 1 < q.length) {
          text += q[i + 1];
          i += 2;
        } else if (c === '"') {
          i++;
          break;
        } else {
          text += c;
          i++;
        }
      }
      tokens.push({ t: "string", text });
      continue;
    }
    const m = /^[^\s()"=!<>~]+/.exec(q.slice(i));
    if (m === null) throw new BbqlError(`Invalid query: unexpected ${JSON.stringify(ch)} at ${i}`);
    tokens.push({ t: "word", text: m[0] });
    i += m[0].length;
  }
  return tokens;
}

function parse(q: string): Node {
  const tokens = tokenize(q);
  let pos = 0;
  const peekWord = (word: string) => {
    const tok = tokens[pos];
    return tok?.t === "word" && tok.text.toUpperCase() === word;
  };
  const expr = (): Node => {
    let left = term();
    while (peekWord("OR")) {
      pos++;
      left = { type: "or", left, right: term() };
    }
    return left;
  };
  const term = (): Node => {
    let left = atom();
    while (peekWord("AND")) {
      pos++;
      left = { type: "and", left, right: atom() };
    }
    return left;
  };
  const atom = (): Node => {
    const tok = tokens[pos];
    if (tok === undefined) throw new BbqlError(`Invalid query: unexpected end of ${JSON.stringify(q)}`);
    if (tok.t === "(") {
      pos++;
      const inner = expr();
      if (tokens[pos]?.t !== ")") throw new BbqlError(`Invalid query: missing ")" in ${JSON.stringify(q)}`);
      pos++;
      return inner;
    }
    if (tok.t !== "word") throw new BbqlError(`Invalid query: expected a field name in ${JSON.stringify(q)}`);
    pos++;
    const opTok = tokens[pos];
    if (opTok?.t !== "op") {
      throw new BbqlError(`Invalid query: expected an operator after ${JSON.stringify(tok.text)}`);
    }
    pos++;
    const valTok = tokens[pos];
    if (valTok === undefined || (valTok.t !== "word" && valTok.t !== "string")) {
      throw new BbqlError(`Invalid query: expected a value after ${JSON.stringify(tok.text)} ${opTok.op}`);
    }
    pos++;
    const value: Value = valTok.t === "string"
      ? { kind: "quoted", text: valTok.text }
      : { kind: "bare", text: valTok.text };
    return { type: "cmp", field: tok.text, op: opTok.op, value: literal(value) };
  };
  const node = expr();
  if (pos !== tokens.length) throw new BbqlError(`Invalid query: unexpected input in ${JSON.stringify(q)}`);
  return node;
}

function literal(value: Value): Literal {
  if (value.kind === "quoted") return value.text;
  const text = value.text;
  if (text === "null") return null;
  if (text === "true") return true;
  if (text === "false") return false;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  // Unquoted date-times are kept as text and parsed against the field's type.
  if (parseMicros(text) !== undefined) return text;
  throw new BbqlError(`Invalid query: ${JSON.stringify(text)} is not a value (quote strings with "")`);
}

/** A compiled query: true when the record read through `get` matches. */
export type Predicate = (get: (field: string) => Literal) => boolean;

/**
 * Compiles `q` for records with the given fields. Throws {@link BbqlError} for a syntax error,
 * an unknown field, or a value of the wrong type.
 *
 * @example
 * ```ts
 * import { compileQuery } from "./bbql.ts";
 * const p = compileQuery('state = "new" AND title ~ "bug"', { state: "string", title: "string" });
 * p((f) => ({ state: "new", title: "A Bug" })[f] ?? null); // true
 * ```
 */
export function compileQuery(q: string, fields: Readonly<Record<string, FieldType>>): Predicate {
  const node = parse(q);
  const check = (n: Node): void => {
    if (n.type !== "cmp") {
      check(n.left);
      check(n.right);
      return;
    }
    const type = fields[n.field];
    if (type === undefined) throw new BbqlError(`Invalid field name: ${n.field}`);
    if (n.value === null) {
      if (n.op !== "=" && n.op !== "!=") throw new BbqlError(`Invalid query: ${n.op} null on ${n.field}`);
      return;
    }
    if (type === "datetime") {
      if (typeof n.value !== "string" || parseMicros(n.value) === undefined) {
        throw new BbqlError(`Invalid date-time for ${n.field}: ${JSON.stringify(n.value)}`);
      }
      if (n.op === "~" || n.op === "!~") throw new BbqlError(`Invalid query: ${n.op} on ${n.field}`);
    } else if (type === "number" && typeof n.value !== "number") {
      throw new BbqlError(`Invalid number for ${n.field}: ${JSON.stringify(n.value)}`);
    } else if (type === "string" && typeof n.value !== "string") {
      throw new BbqlError(`Invalid string for ${n.field}: ${JSON.stringify(n.value)} (quote it)`);
    } else if (type === "boolean" && typeof n.value !== "boolean") {
      throw new BbqlError(`Invalid boolean for ${n.field}: ${JSON.stringify(n.value)}`);
    }
  };
  check(node);
  const evaluate = (n: Node, get: (field: string) => Literal): boolean => {
    if (n.type !== "cmp") {
      return n.type === "and"
        ? evaluate(n.left, get) && evaluate(n.right, get)
        : evaluate(n.left, get) || evaluate(n.right, get);
    }
    const actual = get(n.field);
    if (n.value === null) return n.op === "=" ? actual === null : actual !== null;
    if (actual === null) return n.op === "!=" || n.op === "!~";
    let a: string | number | boolean = actual;
    let b: string | number | boolean = n.value;
    if (fields[n.field] === "datetime") {
      a = typeof actual === "number" ? actual : parseMicros(String(actual)) ?? Number.NaN;
      b = parseMicros(String(n.value))!;
    }
    switch (n.op) {
      case "=":
        return a === b;
      case "!=":
        return a !== b;
      case ">":
        return a > b;
      case ">=":
        return a >= b;
      case "<":
        return a < b;
      case "<=":
        return a <= b;
      case "~":
        return String(a).toLowerCase().includes(String(b).toLowerCase());
      case "!~":
        return !String(a).toLowerCase().includes(String(b).toLowerCase());
      default:
        return false;
    }
  };
  return (get) => evaluate(node, get);
}
