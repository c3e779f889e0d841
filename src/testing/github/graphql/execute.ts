/**
 * A small GraphQL executor for the GitHub sandbox: a schema of object, interface, union, enum,
 * scalar and input types whose fields have resolvers; validation of a document against it before
 * anything runs (unknown fields and arguments, missing required arguments, selections on leaves,
 * undeclared variables, literal argument types); variable coercion; serial execution of mutation
 * fields; and GitHub's error format — validation errors alone (`{"errors": […]}` without `data`),
 * field errors beside partial data, each with `message`, `locations`, `path` and, for resolver
 * errors, GitHub's `type` (`NOT_FOUND`, `FORBIDDEN` …).
 *
 * @module
 */
import {
  type ArgumentNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentNode,
  GraphQLSyntaxError,
  type Loc,
  type OperationNode,
  parseDocument,
  type SelectionNode,
  type TypeNode,
  type ValueNode,
} from "./parse.ts";

/** A resolver: the field's value for `parent`. It may throw a {@link GraphQLFieldError}. */
// deno-lint-ignore no-explicit-any
export type Resolver<C> = (parent: any, args: Record<string, any>, context: C) => unknown;

/** A field of an object or interface type: its type in SDL (`"[ProjectV2Item]!"`), arguments, resolver. */
export interface FieldDef<C> {
  readonly type: string;
  /** Argument name → SDL type. */
  readonly args?: Readonly<Record<string, string>>;
  /** Defaults to reading the property of the parent named like the field. */
  readonly resolve?: Resolver<C>;
}

/** A type of the schema. Objects returned for interface and union fields carry `__typename`. */
export type TypeDef<C> =
  | { readonly kind: "scalar" }
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | {
    readonly kind: "object";
    readonly fields: Readonly<Record<string, FieldDef<C>>>;
    readonly interfaces?: readonly string[];
  }
  | { readonly kind: "interface"; readonly fields: Readonly<Record<string, FieldDef<C>>> }
  | { readonly kind: "union"; readonly types: readonly string[] }
  | { readonly kind: "input"; readonly fields: Readonly<Record<string, string>> };

/** A schema: its types and root type names. */
export interface SchemaDef<C> {
  readonly types: Readonly<Record<string, TypeDef<C>>>;
  readonly query: string;
  readonly mutation: string;
}

/** A resolver failure: the field becomes null and the error is reported with its path. */
export class GraphQLFieldError extends Error {
  override readonly name = "GraphQLFieldError";
  constructor(message: string, readonly type?: string, readonly extensions?: Record<string, unknown>) {
    super(message);
  }
}

/** One entry of a response's `errors`. */
export interface GraphQLErrorJson {
  readonly type?: string;
  readonly path?: ReadonlyArray<string | number>;
  readonly locations?: readonly Loc[];
  readonly extensions?: Record<string, unknown>;
  readonly message: string;
}

/** A response body. */
export interface GraphQLResponse {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly GraphQLErrorJson[];
}

/** The body of a GraphQL request. */
export interface GraphQLRequest {
  readonly query?: unknown;
  readonly variables?: unknown;
  readonly operationName?: unknown;
}

const BUILT_IN_SCALARS = new Set(["String", "Int", "Float", "Boolean", "ID"]);

/** Parses an SDL type reference (`[String!]!`). */
export function parseTypeRef(sdl: string): TypeNode {
  const text = sdl.trim();
  if (text.endsWith("!")) return { kind: "NonNull", of: parseTypeRef(text.slice(0, -1)) };
  if (text.startsWith("[") && text.endsWith("]")) {
    return { kind: "List", of: parseTypeRef(text.slice(1, -1)) };
  }
  return { kind: "Named", name: text };
}

/** Prints a type reference. */
export function printType(type: TypeNode): string {
  switch (type.kind) {
    case "Named":
      return type.name;
    case "List":
      return `[${printType(type.of)}]`;
    case "NonNull":
      return `${printType(type.of)}!`;
  }
}

function namedType(type: TypeNode): string {
  return type.kind === "Named" ? type.name : namedType(type.of);
}

function printValue(value: ValueNode): string {
  switch (value.kind) {
    case "Variable":
      return `$${value.name}`;
    case "String":
      return JSON.stringify(value.value);
    case "Int":
    case "Float":
    case "Boolean":
      return String(value.value);
    case "Null":
      return "null";
    case "Enum":
      return value.value;
    case "List":
      return `[${value.values.map(printValue).join(", ")}]`;
    case "Object":
      return `{${value.fields.map((f) => `${f.name}: ${printValue(f.value)}`).join(", ")}}`;
  }
}

class CoercionError extends Error {}

/** Validates and runs GraphQL requests against a schema. */
export class Executor<C> {
  constructor(readonly schema: SchemaDef<C>) {}

  #type(name: string): TypeDef<C> | undefined {
    if (BUILT_IN_SCALARS.has(name)) return { kind: "scalar" };
    return this.schema.types[name];
  }

  #isLeaf(name: string): boolean {
    const t = this.#type(name);
    return t !== undefined && (t.kind === "scalar" || t.kind === "enum");
  }

  #fieldsOf(name: string): Readonly<Record<string, FieldDef<C>>> | undefined {
    const t = this.#type(name);
    return t !== undefined && (t.kind === "object" || t.kind === "interface") ? t.fields : undefined;
  }

  /** Whether an object of concrete type `concrete` matches a fragment on `condition`. */
  #matches(concrete: string, condition: string | undefined): boolean {
    if (condition === undefined || condition === concrete) return true;
    const c = this.#type(condition);
    if (c?.kind === "union") return c.types.includes(concrete);
    if (c?.kind === "interface") {
      const t = this.#type(concrete);
      return t?.kind === "object" && (t.interfaces ?? []).includes(condition);
    }
    return false;
  }

  /** Runs one request body (already parsed from JSON). */
  run(request: GraphQLRequest, context: C): GraphQLResponse {
    if (typeof request.query !== "string") {
      return { errors: [{ message: "A query attribute must be specified and must be a string." }] };
    }
    let document: DocumentNode;
    try {
      document = parseDocument(request.query);
    } catch (error) {
      if (!(error instanceof GraphQLSyntaxError)) throw error;
      return { errors: [{ message: error.message, ...(error.loc ? { locations: [error.loc] } : {}) }] };
    }
    const name = typeof request.operationName === "string" ? request.operationName : undefined;
    const operation = name === undefined
      ? document.operations.length === 1 ? document.operations[0] : undefined
      : document.operations.find((o) => o.name === name);
    if (operation === undefined) {
      return {
        errors: [{
          message: name === undefined
            ? "An operation name is required when the document holds several operations."
            : `No operation named "${name}"`,
        }],
      };
    }
    if (operation.operation === "subscription") {
      return { errors: [{ message: "Subscriptions are not supported.", locations: [operation.loc] }] };
    }
    const errors = this.#validate(operation, document.fragments);
    if (errors.length > 0) return { errors };
    let variables: Record<string, unknown>;
    try {
      variables = this.#coerceVariables(operation, request.variables);
    } catch (error) {
      if (error instanceof VariableError) return { errors: [error.json] };
      throw error;
    }
    const run = new Run(this, document.fragments, variables, context);
    const root = operation.operation === "query" ? this.schema.query : this.schema.mutation;
    const data = run.selections(root, {}, operation.selections, []);
    return run.errors.length > 0 ? { data, errors: run.errors } : { data };
  }

  // ---------------------------------------------------------------- validation

  #validate(operation: OperationNode, fragments: ReadonlyMap<string, FragmentNode>): GraphQLErrorJson[] {
    const errors: GraphQLErrorJson[] = [];
    const label = operation.name === undefined
      ? operation.operation
      : `${operation.operation} ${operation.name}`;
    const declared = new Map(operation.variables.map((v) => [v.name, v]));
    for (const v of operation.variables) {
      const t = this.#type(namedType(v.type));
      if (t === undefined || !(t.kind === "scalar" || t.kind === "enum" || t.kind === "input")) {
        errors.push({
          path: [label],
          locations: [v.loc],
          extensions: {
            code: "variableRequiresValidType",
            typeName: namedType(v.type),
            variableName: v.name,
          },
          message: `${namedType(v.type)} isn't a defined input type (on $${v.name})`,
        });
      }
    }
    const root = operation.operation === "query" ? this.schema.query : this.schema.mutation;
    const visit = (
      typeName: string,
      selections: readonly SelectionNode[],
      path: string[],
      seen: Set<string>,
    ) => {
      for (const s of selections) {
        if (s.kind === "FragmentSpread") {
          const fragment = fragments.get(s.name);
          if (fragment === undefined) {
            errors.push({
              path,
              locations: [s.loc],
              extensions: { code: "undefinedFragment", fragmentName: s.name },
              message: `Fragment ${s.name} was used, but not defined`,
            });
            continue;
          }
          if (seen.has(s.name)) continue;
          visit(
            fragment.typeCondition,
            fragment.selections,
            [...path, `... ${s.name}`],
            new Set([...seen, s.name]),
          );
          continue;
        }
        if (s.kind === "InlineFragment") {
          const on = s.typeCondition ?? typeName;
          const t = this.#type(on);
          if (t === undefined || t.kind === "scalar" || t.kind === "enum" || t.kind === "input") {
            errors.push({
              path,
              locations: [s.loc],
              extensions: { code: "undefinedType", typeName: on },
              message: `No such type ${on}, so it can't be a fragment condition`,
            });
            continue;
          }
          visit(on, s.selections, [...path, `... on ${on}`], seen);
          continue;
        }
        const here = [...path, s.alias ?? s.name];
        if (s.name === "__typename") {
          if (s.selections !== undefined) {
            errors.push({
              path: here,
              locations: [s.loc],
              extensions: { code: "selectionMismatch", nodeName: "field '__typename'" },
              message:
                "Selections can't be made on scalars (field '__typename' returns String but has selections [" +
                s.selections.map((x) => (x.kind === "Field" ? x.name : "...")).join(", ") + "])",
            });
          }
          continue;
        }
        const field = this.#fieldsOf(typeName)?.[s.name];
        if (field === undefined) {
          errors.push({
            path: here,
            locations: [s.loc],
            extensions: { code: "undefinedField", typeName, fieldName: s.name },
            message: `Field '${s.name}' doesn't exist on type '${typeName}'`,
          });
          continue;
        }
        this.#validateArguments(s, field, declared, here, errors);
        this.#validateDirectives(s.directives, declared, here, errors);
        const returns = namedType(parseTypeRef(field.type));
        if (this.#isLeaf(returns)) {
          if (s.selections !== undefined) {
            errors.push({
              path: here,
              locations: [s.loc],
              extensions: { code: "selectionMismatch", nodeName: `field '${s.name}'` },
              message:
                `Selections can't be made on scalars (field '${s.name}' returns ${returns} but has selections [` +
                s.selections.map((x) => (x.kind === "Field" ? x.name : "...")).join(", ") + "])",
            });
          }
        } else if (s.selections === undefined) {
          errors.push({
            path: here,
            locations: [s.loc],
            extensions: { code: "selectionMismatch", nodeName: `field '${s.name}'`, typeName: returns },
            message:
              `Field must have selections (field '${s.name}' returns ${returns} but has no selections. Did you mean '${s.name} { ... }'?)`,
          });
        } else {
          visit(returns, s.selections, here, seen);
        }
      }
    };
    visit(root, operation.selections, [label], new Set());
    return errors;
  }

  #validateDirectives(
    directives: readonly DirectiveNode[],
    declared: ReadonlyMap<string, unknown>,
    path: string[],
    errors: GraphQLErrorJson[],
  ): void {
    for (const d of directives) {
      if (d.name !== "include" && d.name !== "skip") {
        errors.push({
          path,
          locations: [d.loc],
          extensions: { code: "undefinedDirective", directiveName: d.name },
          message: `Directive @${d.name} is not defined`,
        });
        continue;
      }
      const arg = d.args.find((a) => a.name === "if");
      if (arg === undefined) {
        errors.push({
          path,
          locations: [d.loc],
          message: `Directive '@${d.name}' is missing required arguments: if`,
        });
      } else if (arg.value.kind === "Variable" && !declared.has(arg.value.name)) {
        errors.push(this.#undeclared(arg.value.name, path, arg.loc));
      }
    }
  }

  #undeclared(name: string, path: string[], loc: Loc): GraphQLErrorJson {
    return {
      path,
      locations: [loc],
      extensions: { code: "variableNotDefined", variableName: name },
      message: `Variable $${name} is used by ${path[0]} but not declared`,
    };
  }

  #validateArguments(
    node: FieldNode,
    field: FieldDef<C>,
    declared: ReadonlyMap<string, unknown>,
    path: string[],
    errors: GraphQLErrorJson[],
  ): void {
    const defs = field.args ?? {};
    for (const arg of node.args) {
      const sdl = defs[arg.name];
      if (sdl === undefined) {
        errors.push({
          path: [...path, arg.name],
          locations: [arg.loc],
          extensions: {
            code: "argumentNotAccepted",
            name: node.name,
            typeName: "Field",
            argumentName: arg.name,
          },
          message: `Field '${node.name}' doesn't accept argument '${arg.name}'`,
        });
        continue;
      }
      const variables = collectVariables(arg.value);
      const missing = variables.filter((v) => !declared.has(v));
      for (const v of missing) errors.push(this.#undeclared(v, path, arg.loc));
      if (missing.length > 0) continue;
      try {
        this.#coerceLiteral(parseTypeRef(sdl), arg.value, undefined);
      } catch (error) {
        if (!(error instanceof CoercionError)) throw error;
        errors.push({
          path: [...path, arg.name],
          locations: [arg.loc],
          extensions: { code: "argumentLiteralsIncompatible", typeName: "Field", argumentName: arg.name },
          message: `Argument '${arg.name}' on Field '${node.name}' has an invalid value (${
            printValue(arg.value)
          }). Expected type '${sdl}'.`,
        });
      }
    }
    const required = Object.entries(defs).filter(([, sdl]) => sdl.trim().endsWith("!"));
    const missing = required.filter(([name]) => !node.args.some((a) => a.name === name)).map(([n]) => n);
    if (missing.length > 0) {
      errors.push({
        path,
        locations: [node.loc],
        extensions: {
          code: "missingRequiredArguments",
          className: "Field",
          name: node.name,
          arguments: missing.join(", "),
        },
        message: `Field '${node.name}' is missing required arguments: ${missing.join(", ")}`,
      });
    }
  }

  // ---------------------------------------------------------------- coercion

  #coerceVariables(operation: OperationNode, raw: unknown): Record<string, unknown> {
    const given = typeof raw === "object" && raw !== null && !Array.isArray(raw)
      ? raw as Record<string, unknown>
      : {};
    const out: Record<string, unknown> = {};
    for (const v of operation.variables) {
      const has = Object.hasOwn(given, v.name) && given[v.name] !== undefined;
      try {
        if (!has) {
          if (v.defaultValue !== undefined) {
            out[v.name] = this.#coerceLiteral(v.type, v.defaultValue, undefined);
          } else if (v.type.kind === "NonNull") throw new CoercionError("Expected value to not be null");
          continue;
        }
        out[v.name] = this.#coerceJson(v.type, given[v.name]);
      } catch (error) {
        if (!(error instanceof CoercionError)) throw error;
        throw new VariableError({
          extensions: {
            value: has ? given[v.name] : null,
            problems: [{ path: [], explanation: error.message }],
          },
          locations: [v.loc],
          message: `Variable $${v.name} of type ${printType(v.type)} was provided invalid value`,
        });
      }
    }
    return out;
  }

  #coerceScalar(name: string, value: unknown): unknown {
    switch (name) {
      case "Int":
        if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) <= 2_147_483_647) {
          return value;
        }
        throw new CoercionError(`Could not coerce value ${JSON.stringify(value)} to Int`);
      case "Float":
        if (typeof value === "number" && Number.isFinite(value)) return value;
        throw new CoercionError(`Could not coerce value ${JSON.stringify(value)} to Float`);
      case "Boolean":
        if (typeof value === "boolean") return value;
        throw new CoercionError(`Could not coerce value ${JSON.stringify(value)} to Boolean`);
      case "ID":
        if (typeof value === "string") return value;
        if (typeof value === "number" && Number.isInteger(value)) return String(value);
        throw new CoercionError(`Could not coerce value ${JSON.stringify(value)} to ID`);
      default:
        // String and GitHub's string-shaped custom scalars (URI, DateTime, Date, HTML…).
        if (typeof value === "string") return value;
        throw new CoercionError(`Could not coerce value ${JSON.stringify(value)} to ${name}`);
    }
  }

  #coerceJson(type: TypeNode, value: unknown): unknown {
    if (type.kind === "NonNull") {
      if (value === null || value === undefined) throw new CoercionError("Expected value to not be null");
      return this.#coerceJson(type.of, value);
    }
    if (value === null || value === undefined) return null;
    if (type.kind === "List") {
      return Array.isArray(value)
        ? value.map((v) => this.#coerceJson(type.of, v))
        : [this.#coerceJson(type.of, value)];
    }
    const t = this.#type(type.name);
    if (t === undefined) throw new CoercionError(`Unknown type ${type.name}`);
    if (t.kind === "scalar") return this.#coerceScalar(type.name, value);
    if (t.kind === "enum") {
      if (typeof value === "string" && t.values.includes(value)) return value;
      throw new CoercionError(`Expected ${JSON.stringify(value)} to be one of: ${t.values.join(", ")}`);
    }
    if (t.kind === "input") {
      if (typeof value !== "object" || Array.isArray(value)) {
        throw new CoercionError(`Expected ${JSON.stringify(value)} to be a key-value object.`);
      }
      const given = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(given)) {
        if (!(key in t.fields)) throw new CoercionError(`Field is not defined on ${type.name}: ${key}`);
      }
      for (const [key, sdl] of Object.entries(t.fields)) {
        try {
          if (given[key] === undefined) {
            if (sdl.trim().endsWith("!")) throw new CoercionError("Expected value to not be null");
            continue;
          }
          out[key] = this.#coerceJson(parseTypeRef(sdl), given[key]);
        } catch (error) {
          if (error instanceof CoercionError) throw new CoercionError(`${key}: ${error.message}`);
          throw error;
        }
      }
      return out;
    }
    throw new CoercionError(`${type.name} is not an input type`);
  }

  #coerceLiteral(type: TypeNode, value: ValueNode, variables: Record<string, unknown> | undefined): unknown {
    if (value.kind === "Variable") {
      // Validation passes no variables: a declared variable is accepted there (checked when coerced).
      return variables === undefined ? undefined : variables[value.name] ?? null;
    }
    if (type.kind === "NonNull") {
      if (value.kind === "Null") throw new CoercionError("Expected value to not be null");
      return this.#coerceLiteral(type.of, value, variables);
    }
    if (value.kind === "Null") return null;
    if (type.kind === "List") {
      return value.kind === "List"
        ? value.values.map((v) => this.#coerceLiteral(type.of, v, variables))
        : [this.#coerceLiteral(type.of, value, variables)];
    }
    const t = this.#type(type.name);
    if (t === undefined) throw new CoercionError(`Unknown type ${type.name}`);
    if (t.kind === "scalar") {
      if (value.kind === "Int" && (type.name === "Float" || type.name === "ID")) {
        return this.#coerceScalar(type.name, value.value);
      }
      const ok = (type.name === "Int" && value.kind === "Int") ||
        (type.name === "Float" && value.kind === "Float") ||
        (type.name === "Boolean" && value.kind === "Boolean") ||
        (!["Int", "Float", "Boolean"].includes(type.name) && value.kind === "String");
      if (!ok) throw new CoercionError(`Expected ${type.name}`);
      return this.#coerceScalar(type.name, (value as { value: unknown }).value);
    }
    if (t.kind === "enum") {
      if (value.kind === "Enum" && t.values.includes(value.value)) return value.value;
      throw new CoercionError(`Expected one of ${t.values.join(", ")}`);
    }
    if (t.kind === "input") {
      if (value.kind !== "Object") throw new CoercionError(`Expected ${type.name}`);
      const out: Record<string, unknown> = {};
      for (const f of value.fields) {
        if (!(f.name in t.fields)) throw new CoercionError(`Field is not defined on ${type.name}: ${f.name}`);
      }
      for (const [key, sdl] of Object.entries(t.fields)) {
        const given = value.fields.find((f) => f.name === key);
        if (given === undefined) {
          if (sdl.trim().endsWith("!")) throw new CoercionError(`${key}: Expected value to not be null`);
          continue;
        }
        out[key] = this.#coerceLiteral(parseTypeRef(sdl), given.value, variables);
      }
      return out;
    }
    throw new CoercionError(`${type.name} is not an input type`);
  }

  /** Arguments of a field node, coerced (validation has checked them). */
  argumentsOf(
    field: FieldDef<C>,
    args: readonly ArgumentNode[],
    variables: Record<string, unknown>,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, sdl] of Object.entries(field.args ?? {})) {
      const given = args.find((a) => a.name === name);
      if (given === undefined) continue;
      out[name] = this.#coerceLiteral(parseTypeRef(sdl), given.value, variables);
    }
    return out;
  }

  /** Internal: the field definitions and leaf check for {@link Run}. */
  lookup(typeName: string): {
    fields: Readonly<Record<string, FieldDef<C>>> | undefined;
    def: TypeDef<C> | undefined;
  } {
    return { fields: this.#fieldsOf(typeName), def: this.#type(typeName) };
  }

  /** Internal: fragment type-condition matching for {@link Run}. */
  matches(concrete: string, condition: string | undefined): boolean {
    return this.#matches(concrete, condition);
  }
}

class VariableError extends Error {
  constructor(readonly json: GraphQLErrorJson) {
    super(json.message);
  }
}

function collectVariables(value: ValueNode): string[] {
  switch (value.kind) {
    case "Variable":
      return [value.name];
    case "List":
      return value.values.flatMap(collectVariables);
    case "Object":
      return value.fields.flatMap((f) => collectVariables(f.value));
    default:
      return [];
  }
}

/** One execution: variables, collected errors. */
class Run<C> {
  readonly errors: GraphQLErrorJson[] = [];
  constructor(
    readonly executor: Executor<C>,
    readonly fragments: ReadonlyMap<string, FragmentNode>,
    readonly variables: Record<string, unknown>,
    readonly context: C,
  ) {}

  #included(directives: readonly DirectiveNode[]): boolean {
    for (const d of directives) {
      const arg = d.args.find((a) => a.name === "if");
      if (arg === undefined) continue;
      const value = arg.value.kind === "Variable"
        ? this.variables[arg.value.name] === true
        : arg.value.kind === "Boolean" && arg.value.value;
      if (d.name === "include" && !value) return false;
      if (d.name === "skip" && value) return false;
    }
    return true;
  }

  #collect(concrete: string, selections: readonly SelectionNode[], into: Map<string, FieldNode[]>): void {
    for (const s of selections) {
      if (!this.#included(s.directives)) continue;
      if (s.kind === "Field") {
        const key = s.alias ?? s.name;
        into.set(key, [...(into.get(key) ?? []), s]);
      } else if (s.kind === "InlineFragment") {
        if (this.executor.matches(concrete, s.typeCondition)) this.#collect(concrete, s.selections, into);
      } else {
        const fragment = this.fragments.get(s.name)!;
        if (this.executor.matches(concrete, fragment.typeCondition)) {
          this.#collect(concrete, fragment.selections, into);
        }
      }
    }
  }

  /** The result object of `selections` on `value` of concrete type `concrete`. */
  selections(
    concrete: string,
    value: unknown,
    selections: readonly SelectionNode[],
    path: ReadonlyArray<string | number>,
  ): Record<string, unknown> {
    const fields = new Map<string, FieldNode[]>();
    this.#collect(concrete, selections, fields);
    const out: Record<string, unknown> = {};
    const defs = this.executor.lookup(concrete).fields ?? {};
    for (const [key, nodes] of fields) {
      const node = nodes[0]!;
      const here = [...path, key];
      if (node.name === "__typename") {
        out[key] = concrete;
        continue;
      }
      const def = defs[node.name]!;
      let resolved: unknown;
      try {
        const args = this.executor.argumentsOf(def, node.args, this.variables);
        resolved = def.resolve !== undefined
          ? def.resolve(value, args, this.context)
          : (value as Record<string, unknown>)[node.name];
      } catch (error) {
        if (!(error instanceof GraphQLFieldError)) throw error;
        this.errors.push({
          ...(error.type !== undefined ? { type: error.type } : {}),
          path: here,
          locations: [node.loc],
          ...(error.extensions !== undefined ? { extensions: error.extensions } : {}),
          message: error.message,
        });
        out[key] = null;
        continue;
      }
      const sub = nodes.flatMap((n) => n.selections ?? []);
      out[key] = this.#complete(parseTypeRef(def.type), resolved, sub, here);
    }
    return out;
  }

  #complete(
    type: TypeNode,
    value: unknown,
    selections: readonly SelectionNode[],
    path: ReadonlyArray<string | number>,
  ): unknown {
    if (type.kind === "NonNull") return this.#complete(type.of, value, selections, path);
    if (value === null || value === undefined) return null;
    if (type.kind === "List") {
      return (value as unknown[]).map((v, i) => this.#complete(type.of, v, selections, [...path, i]));
    }
    const def = this.executor.lookup(type.name).def;
    if (def === undefined || def.kind === "scalar" || def.kind === "enum") return value;
    const concrete = def.kind === "object" ? type.name : (value as { __typename?: string }).__typename;
    if (concrete === undefined) throw new Error(`The sandbox resolved an ${type.name} without __typename.`);
    return this.selections(concrete, value, selections, path);
  }
}
