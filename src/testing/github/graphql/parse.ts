/**
 * A GraphQL document parser for the GitHub sandbox: the executable subset of the GraphQL grammar
 * (operations with variables, selection sets, aliases, arguments with every literal kind, inline
 * fragments, named fragments, directives). Syntax errors are {@link GraphQLSyntaxError}s carrying
 * the message and location GitHub's GraphQL server (graphql-ruby) reports:
 * `Parse error on "}" (RCURLY) at [1, 10]`.
 *
 * @module
 */

/** A position in the document, 1-based. */
export interface Loc {
  readonly line: number;
  readonly column: number;
}

/** A value literal (or a variable reference). */
export type ValueNode =
  | { readonly kind: "Variable"; readonly name: string; readonly loc: Loc }
  | { readonly kind: "Int"; readonly value: number; readonly loc: Loc }
  | { readonly kind: "Float"; readonly value: number; readonly loc: Loc }
  | { readonly kind: "String"; readonly value: string; readonly loc: Loc }
  | { readonly kind: "Boolean"; readonly value: boolean; readonly loc: Loc }
  | { readonly kind: "Null"; readonly loc: Loc }
  | { readonly kind: "Enum"; readonly value: string; readonly loc: Loc }
  | { readonly kind: "List"; readonly values: readonly ValueNode[]; readonly loc: Loc }
  | {
    readonly kind: "Object";
    readonly fields: ReadonlyArray<{ readonly name: string; readonly value: ValueNode }>;
    readonly loc: Loc;
  };

/** A type reference: `Int`, `[String!]!`… */
export type TypeNode =
  | { readonly kind: "Named"; readonly name: string }
  | { readonly kind: "List"; readonly of: TypeNode }
  | { readonly kind: "NonNull"; readonly of: TypeNode };

/** `name: value` of a field or directive. */
export interface ArgumentNode {
  readonly name: string;
  readonly value: ValueNode;
  readonly loc: Loc;
}

/** `@include(if: $x)`. */
export interface DirectiveNode {
  readonly name: string;
  readonly args: readonly ArgumentNode[];
  readonly loc: Loc;
}

/** A field selection. */
export interface FieldNode {
  readonly kind: "Field";
  readonly alias: string | undefined;
  readonly name: string;
  readonly args: readonly ArgumentNode[];
  readonly directives: readonly DirectiveNode[];
  readonly selections: readonly SelectionNode[] | undefined;
  readonly loc: Loc;
}

/** `... on Type { … }` (or `... { … }`). */
export interface InlineFragmentNode {
  readonly kind: "InlineFragment";
  readonly typeCondition: string | undefined;
  readonly directives: readonly DirectiveNode[];
  readonly selections: readonly SelectionNode[];
  readonly loc: Loc;
}

/** `...Name`. */
export interface FragmentSpreadNode {
  readonly kind: "FragmentSpread";
  readonly name: string;
  readonly directives: readonly DirectiveNode[];
  readonly loc: Loc;
}

/** One selection of a selection set. */
export type SelectionNode = FieldNode | InlineFragmentNode | FragmentSpreadNode;

/** A variable definition of an operation. */
export interface VariableDefinitionNode {
  readonly name: string;
  readonly type: TypeNode;
  readonly defaultValue: ValueNode | undefined;
  readonly loc: Loc;
}

/** A query or mutation. */
export interface OperationNode {
  readonly kind: "Operation";
  readonly operation: "query" | "mutation" | "subscription";
  readonly name: string | undefined;
  readonly variables: readonly VariableDefinitionNode[];
  readonly selections: readonly SelectionNode[];
  readonly loc: Loc;
}

/** `fragment Name on Type { … }`. */
export interface FragmentNode {
  readonly kind: "Fragment";
  readonly name: string;
  readonly typeCondition: string;
  readonly selections: readonly SelectionNode[];
  readonly loc: Loc;
}

/** A parsed document. */
export interface DocumentNode {
  readonly operations: readonly OperationNode[];
  readonly fragments: ReadonlyMap<string, FragmentNode>;
}

/** A document that does not parse. */
export class GraphQLSyntaxError extends Error {
  override readonly name = "GraphQLSyntaxError";
  constructor(message: string, readonly loc: Loc | undefined) {
    super(message);
  }
}

type TokenKind =
  | "PUNCT"
  | "NAME"
  | "INT"
  | "FLOAT"
  | "STRING"
  | "EOF";

interface Token {
  readonly kind: TokenKind;
  readonly value: string;
  readonly loc: Loc;
}

/** graphql-ruby's token names, used in its parse errors. */
const PUNCT_NAMES: Readonly<Record<string, string>> = {
  "{": "LCURLY",
  "}": "RCURLY",
  "(": "LPAREN",
  ")": "RPAREN",
  "[": "LBRACKET",
  "]": "RBRACKET",
  ":": "COLON",
  "=": "EQUALS",
  "@": "DIR_SIGN",
  "$": "VAR_SIGN",
  "!": "BANG",
  "|": "PIPE",
  "&": "AMP",
  "...": "ELLIPSIS",
};

function tokenName(token: Token): string {
  switch (token.kind) {
    case "PUNCT":
      return PUNCT_NAMES[token.value] ?? "UNKNOWN_CHAR";
    case "NAME":
      return "IDENTIFIER";
    case "INT":
      return "INT";
    case "FLOAT":
      return "FLOAT";
    case "STRING":
      return "STRING";
    case "EOF":
      return "EOF";
  }
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const loc = (at: number): Loc => ({ line, column: at - lineStart + 1 });
  const fail = (message: string, at: number): never => {
    throw new GraphQLSyntaxError(message, loc(at));
  };
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === "\n") {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\r" || ch === "," || ch === "\uFEFF") {
      i++;
      continue;
    }
    if (ch === "#") {
      while (i < source.length && source[i] !== "\n") i++;
      continue;
    }
    const start = i;
    if (source.startsWith("...", i)) {
      tokens.push({ kind: "PUNCT", value: "...", loc: loc(start) });
      i += 3;
      continue;
    }
    if ("{}()[]:=@$!|&".includes(ch)) {
      tokens.push({ kind: "PUNCT", value: ch, loc: loc(start) });
      i++;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      while (i < source.length && /[A-Za-z0-9_]/.test(source[i]!)) i++;
      tokens.push({ kind: "NAME", value: source.slice(start, i), loc: loc(start) });
      continue;
    }
    if (ch === "-" || /[0-9]/.test(ch)) {
      const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(i));
      if (m === null) fail(`Parse error on "${ch}" (UNKNOWN_CHAR) at [${line}, ${start - lineStart + 1}]`, i);
      i += m![0].length;
      tokens.push({
        kind: m![2] !== undefined || m![3] !== undefined ? "FLOAT" : "INT",
        value: m![0],
        loc: loc(start),
      });
      continue;
    }
    if (source.startsWith('"""', i)) {
      const end = source.indexOf('"""', i + 3);
      if (end < 0) fail("Unterminated string", i);
      const raw = source.slice(i + 3, end).replaceAll('\\"""', '"""');
      const at = loc(start);
      for (const c of raw) {
        if (c === "\n") line++;
      }
      tokens.push({ kind: "STRING", value: blockString(raw), loc: at });
      i = end + 3;
      if (raw.includes("\n")) lineStart = source.lastIndexOf("\n", end) + 1;
      continue;
    }
    if (ch === '"') {
      let value = "";
      i++;
      for (;;) {
        if (i >= source.length || source[i] === "\n") fail("Unterminated string", start);
        const c = source[i]!;
        if (c === '"') {
          i++;
          break;
        }
        if (c === "\\") {
          const e = source[i + 1];
          const simple: Record<string, string> = {
            '"': '"',
            "\\": "\\",
            "/": "/",
            b: "\b",
            f: "\f",
            n: "\n",
            r: "\r",
            t: "\t",
          };
          if (e !== undefined && e in simple) {
            value += simple[e];
            i += 2;
            continue;
          }
          if (e === "u" && /^[0-9A-Fa-f]{4}$/.test(source.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          fail(`Parse error on bad Unicode escape sequence: ${JSON.stringify(source.slice(i, i + 6))}`, i);
        }
        value += c;
        i++;
      }
      tokens.push({ kind: "STRING", value, loc: loc(start) });
      continue;
    }
    fail(`Parse error on "${ch}" (UNKNOWN_CHAR) at [${line}, ${start - lineStart + 1}]`, i);
  }
  tokens.push({ kind: "EOF", value: "", loc: loc(i) });
  return tokens;
}

function blockString(raw: string): string {
  const lines = raw.split(/\r\n|\n|\r/);
  let indent = Infinity;
  for (const l of lines.slice(1)) {
    const n = l.length - l.trimStart().length;
    if (l.trim() !== "" && n < indent) indent = n;
  }
  const out = lines.map((l, i) => (i === 0 || indent === Infinity ? l : l.slice(indent)));
  while (out.length > 0 && out[0]!.trim() === "") out.shift();
  while (out.length > 0 && out[out.length - 1]!.trim() === "") out.pop();
  return out.join("\n");
}

class Parser {
  #at = 0;
  constructor(readonly tokens: readonly Token[]) {}

  get peek(): Token {
    return this.tokens[this.#at]!;
  }

  atEnd(): boolean {
    return this.peek.kind === "EOF";
  }

  next(): Token {
    return this.tokens[this.#at++]!;
  }

  unexpected(token: Token = this.peek): never {
    if (token.kind === "EOF") throw new GraphQLSyntaxError("Unexpected end of document", token.loc);
    throw new GraphQLSyntaxError(
      `Parse error on ${JSON.stringify(token.value)} (${
        tokenName(token)
      }) at [${token.loc.line}, ${token.loc.column}]`,
      token.loc,
    );
  }

  isPunct(value: string): boolean {
    return this.peek.kind === "PUNCT" && this.peek.value === value;
  }

  expectPunct(value: string): Token {
    if (!this.isPunct(value)) this.unexpected();
    return this.next();
  }

  name(): Token {
    if (this.peek.kind !== "NAME") this.unexpected();
    return this.next();
  }

  document(): DocumentNode {
    const operations: OperationNode[] = [];
    const fragments = new Map<string, FragmentNode>();
    if (this.atEnd()) this.unexpected();
    while (!this.atEnd()) {
      if (this.isPunct("{")) {
        const loc = this.peek.loc;
        operations.push({
          kind: "Operation",
          operation: "query",
          name: undefined,
          variables: [],
          selections: this.selectionSet(),
          loc,
        });
        continue;
      }
      const word = this.peek;
      if (
        word.kind === "NAME" &&
        (word.value === "query" || word.value === "mutation" || word.value === "subscription")
      ) {
        this.next();
        const name = this.peek.kind === "NAME" ? this.next().value : undefined;
        const variables = this.isPunct("(") ? this.variableDefinitions() : [];
        this.directives();
        operations.push({
          kind: "Operation",
          operation: word.value,
          name,
          variables,
          selections: this.selectionSet(),
          loc: word.loc,
        });
        continue;
      }
      if (word.kind === "NAME" && word.value === "fragment") {
        this.next();
        const name = this.name();
        const on = this.name();
        if (on.value !== "on") this.unexpected(on);
        const typeCondition = this.name().value;
        this.directives();
        fragments.set(name.value, {
          kind: "Fragment",
          name: name.value,
          typeCondition,
          selections: this.selectionSet(),
          loc: word.loc,
        });
        continue;
      }
      this.unexpected();
    }
    return { operations, fragments };
  }

  variableDefinitions(): VariableDefinitionNode[] {
    this.expectPunct("(");
    const out: VariableDefinitionNode[] = [];
    while (!this.isPunct(")")) {
      const dollar = this.expectPunct("$");
      const name = this.name().value;
      this.expectPunct(":");
      const type = this.type();
      let defaultValue: ValueNode | undefined;
      if (this.isPunct("=")) {
        this.next();
        defaultValue = this.value(true);
      }
      out.push({ name, type, defaultValue, loc: dollar.loc });
    }
    this.next();
    return out;
  }

  type(): TypeNode {
    let type: TypeNode;
    if (this.isPunct("[")) {
      this.next();
      type = { kind: "List", of: this.type() };
      this.expectPunct("]");
    } else {
      type = { kind: "Named", name: this.name().value };
    }
    if (this.isPunct("!")) {
      this.next();
      return { kind: "NonNull", of: type };
    }
    return type;
  }

  directives(): DirectiveNode[] {
    const out: DirectiveNode[] = [];
    while (this.isPunct("@")) {
      const at = this.next();
      const name = this.name().value;
      out.push({ name, args: this.isPunct("(") ? this.arguments() : [], loc: at.loc });
    }
    return out;
  }

  arguments(): ArgumentNode[] {
    this.expectPunct("(");
    const out: ArgumentNode[] = [];
    if (this.isPunct(")")) this.unexpected();
    while (!this.isPunct(")")) {
      const name = this.name();
      this.expectPunct(":");
      out.push({ name: name.value, value: this.value(false), loc: name.loc });
    }
    this.next();
    return out;
  }

  value(constant: boolean): ValueNode {
    const t = this.peek;
    switch (t.kind) {
      case "PUNCT":
        if (t.value === "$" && !constant) {
          this.next();
          return { kind: "Variable", name: this.name().value, loc: t.loc };
        }
        if (t.value === "[") {
          this.next();
          const values: ValueNode[] = [];
          while (!this.isPunct("]")) values.push(this.value(constant));
          this.next();
          return { kind: "List", values, loc: t.loc };
        }
        if (t.value === "{") {
          this.next();
          const fields: Array<{ name: string; value: ValueNode }> = [];
          while (!this.isPunct("}")) {
            const name = this.name().value;
            this.expectPunct(":");
            fields.push({ name, value: this.value(constant) });
          }
          this.next();
          return { kind: "Object", fields, loc: t.loc };
        }
        return this.unexpected();
      case "INT":
        this.next();
        return { kind: "Int", value: Number(t.value), loc: t.loc };
      case "FLOAT":
        this.next();
        return { kind: "Float", value: Number(t.value), loc: t.loc };
      case "STRING":
        this.next();
        return { kind: "String", value: t.value, loc: t.loc };
      case "NAME":
        this.next();
        if (t.value === "true" || t.value === "false") {
          return { kind: "Boolean", value: t.value === "true", loc: t.loc };
        }
        if (t.value === "null") return { kind: "Null", loc: t.loc };
        return { kind: "Enum", value: t.value, loc: t.loc };
      default:
        return this.unexpected();
    }
  }

  selectionSet(): SelectionNode[] {
    this.expectPunct("{");
    const out: SelectionNode[] = [];
    if (this.isPunct("}")) this.unexpected();
    while (!this.isPunct("}")) out.push(this.selection());
    this.next();
    return out;
  }

  selection(): SelectionNode {
    if (this.isPunct("...")) {
      const dots = this.next();
      if (this.peek.kind === "NAME" && this.peek.value !== "on") {
        const name = this.next().value;
        return { kind: "FragmentSpread", name, directives: this.directives(), loc: dots.loc };
      }
      let typeCondition: string | undefined;
      if (this.peek.kind === "NAME" && this.peek.value === "on") {
        this.next();
        typeCondition = this.name().value;
      }
      const directives = this.directives();
      return {
        kind: "InlineFragment",
        typeCondition,
        directives,
        selections: this.selectionSet(),
        loc: dots.loc,
      };
    }
    const first = this.name();
    let alias: string | undefined;
    let name = first;
    if (this.isPunct(":")) {
      this.next();
      alias = first.value;
      name = this.name();
    }
    const args = this.isPunct("(") ? this.arguments() : [];
    const directives = this.directives();
    const selections = this.isPunct("{") ? this.selectionSet() : undefined;
    return { kind: "Field", alias, name: name.value, args, directives, selections, loc: first.loc };
  }
}

/**
 * Parses a GraphQL document.
 *
 * @example
 * ```ts
 * import { parseDocument } from "./parse.ts";
 * const doc = parseDocument("query($n: Int!) { repository(owner: \"o\", name: \"r\") { issue(number: $n) { id } } }");
 * console.log(doc.operations[0]!.variables[0]!.name); // "n"
 * ```
 */
export function parseDocument(source: string): DocumentNode {
  return new Parser(tokenize(source)).document();
}
