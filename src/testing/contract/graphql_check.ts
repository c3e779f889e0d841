/**
 * Checks GraphQL requests and answers against a published schema (GitHub's, for the contract tests):
 *
 * - a request: its body is `{query, variables?, operationName?}`, the document parses and passes
 *   every validation rule of the GraphQL specification (`graphql`'s `validate`: unknown fields,
 *   arguments, types, fragments on impossible types…), and the variables coerce to the operation's
 *   variable types (a misspelled field of an input object passed as a variable is caught here);
 * - an answer: `data` has exactly the fields the operation selects (by alias), each value of its
 *   field's type (non-null, lists, scalars, enum values), following fragments on abstract types by
 *   `__typename` where the answer gives it; `errors` entries have a string `message`.
 *
 * Each returns a list of problems (empty when the exchange conforms), each naming the place.
 *
 * @module
 */
import {
  type FieldNode,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  type GraphQLCompositeType,
  GraphQLEnumType,
  type GraphQLField,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  type GraphQLSchema,
  type GraphQLType,
  isAbstractType,
  isCompositeType,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  typeFromAST,
  validate,
} from "graphql";
import type { DocumentNode, FragmentDefinitionNode } from "graphql";

/** A GraphQL request body as sent. */
export interface GraphqlRequestBody {
  readonly query: string;
  readonly variables?: Record<string, unknown> | null;
  readonly operationName?: string | null;
}

/** The parsed request, or the problems that stop the check. */
function parsed(
  body: unknown,
): { doc: DocumentNode; request: GraphqlRequestBody } | { problems: string[] } {
  if (typeof body !== "object" || body === null || typeof (body as { query?: unknown }).query !== "string") {
    return { problems: ["the body is not a GraphQL request ({query, variables})"] };
  }
  const request = body as GraphqlRequestBody;
  try {
    return { doc: parse(request.query), request };
  } catch (error) {
    return { problems: [`the document does not parse: ${(error as Error).message}`] };
  }
}

/**
 * The problems of a GraphQL request against `schema` (empty when it conforms).
 *
 * @example
 * ```ts ignore
 * import { githubPublicSchema } from "./github_graphql_schema.ts";
 * checkGraphqlRequest(githubPublicSchema(), { query: "{ viewer { logni } }" });
 * // ["Cannot query field \"logni\" on type \"User\". Did you mean \"login\"?"]
 * ```
 */
export function checkGraphqlRequest(schema: GraphQLSchema, body: unknown): string[] {
  const p = parsed(body);
  if ("problems" in p) return p.problems;
  const errors = validate(schema, p.doc).map((e) => e.message);
  if (errors.length > 0) return errors;
  const operation = getOperationAST(p.doc, p.request.operationName ?? undefined);
  if (operation === null || operation === undefined) {
    return ["no operation to run (several operations and no operationName)"];
  }
  const coerced = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    (p.request.variables ?? {}) as Record<string, unknown>,
  );
  return coerced.errors?.map((e) => e.message) ?? [];
}

/**
 * The problems of a GraphQL answer to `request` (empty when it conforms). An answer without `data`
 * (a request refused whole) is checked only for its `errors`.
 */
export function checkGraphqlResponse(schema: GraphQLSchema, request: unknown, response: unknown): string[] {
  const p = parsed(request);
  if ("problems" in p) return [];
  if (typeof response !== "object" || response === null || Array.isArray(response)) {
    return ["the answer is not a JSON object"];
  }
  const problems: string[] = [];
  const { data, errors, ...rest } = response as { data?: unknown; errors?: unknown };
  for (const key of Object.keys(rest)) {
    if (key !== "extensions") problems.push(`the answer has an unknown top-level key "${key}"`);
  }
  if (errors !== undefined) {
    if (!Array.isArray(errors)) problems.push("errors is not a list");
    else {
      errors.forEach((e, i) => {
        if (typeof e?.message !== "string") problems.push(`errors[${i}] has no message`);
      });
    }
  }
  if (data === undefined || data === null) return problems;
  const operation = getOperationAST(p.doc, p.request.operationName ?? undefined);
  if (operation === null || operation === undefined) return problems;
  const root = rootType(schema, operation);
  if (root === undefined) return [...problems, `the schema has no ${operation.operation} type`];
  const fragments = new Map(
    p.doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === "FragmentDefinition")
      .map((d) => [d.name.value, d]),
  );
  const walker = new Walker(schema, fragments, problems);
  // Fields of a partial answer may be null where a field error was reported.
  walker.lenientNulls = Array.isArray(errors) && errors.length > 0;
  walker.object(data, root, operation.selectionSet, "data");
  return problems;
}

function rootType(schema: GraphQLSchema, op: OperationDefinitionNode): GraphQLObjectType | undefined {
  const t = op.operation === "query"
    ? schema.getQueryType()
    : op.operation === "mutation"
    ? schema.getMutationType()
    : schema.getSubscriptionType();
  return t ?? undefined;
}

/** A selected field with the type it was selected on. */
interface Selected {
  readonly node: FieldNode;
  /** The concrete type (or the abstract type itself) under which it was selected. */
  readonly on: GraphQLCompositeType;
}

class Walker {
  lenientNulls = false;
  constructor(
    readonly schema: GraphQLSchema,
    readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    readonly problems: string[],
  ) {}

  /** Every field selected under `set`, with the type condition it applies to. */
  collect(set: SelectionSetNode, on: GraphQLCompositeType, out: Selected[] = []): Selected[] {
    for (const sel of set.selections) {
      if (sel.kind === "Field") out.push({ node: sel, on });
      else if (sel.kind === "InlineFragment") {
        const cond = sel.typeCondition === undefined
          ? on
          : (typeFromAST(this.schema, sel.typeCondition) as GraphQLCompositeType | undefined) ?? on;
        this.collect(sel.selectionSet, cond, out);
      } else {
        const frag = this.fragments.get(sel.name.value);
        if (frag === undefined) continue;
        const cond = (typeFromAST(this.schema, frag.typeCondition) as GraphQLCompositeType | undefined) ?? on;
        this.collect(frag.selectionSet, cond, out);
      }
    }
    return out;
  }

  /** Whether a field selected on `cond` applies to a value of concrete type `concrete`. */
  applies(cond: GraphQLCompositeType, concrete: GraphQLObjectType): boolean {
    if (cond === concrete) return true;
    return isAbstractType(cond) && this.schema.isSubType(cond, concrete);
  }

  object(value: unknown, type: GraphQLCompositeType, set: SelectionSetNode, where: string): void {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.problems.push(`${where} is not an object (${type.name} expected)`);
      return;
    }
    const record = value as Record<string, unknown>;
    const all = this.collect(set, type);
    let concrete: GraphQLObjectType | undefined = type instanceof GraphQLObjectType ? type : undefined;
    if (concrete === undefined && typeof record.__typename === "string") {
      const named = this.schema.getType(record.__typename);
      if (!(named instanceof GraphQLObjectType) || !this.schema.isSubType(type as never, named)) {
        this.problems.push(
          `${where}.__typename "${record.__typename}" is not a possible type of ${type.name}`,
        );
        return;
      }
      concrete = named;
    }
    if (concrete === undefined) concrete = this.inferred(record, all, type);
    // Which selections apply: all of them for a known concrete type; for an abstract type without
    // __typename, those on the abstract type itself are certain, the others only if present.
    const certain = concrete === undefined
      ? all.filter((s) => s.on === type)
      : all.filter((s) => this.applies(s.on, concrete!));
    const possible = concrete === undefined ? all : certain;
    const byKey = new Map<string, Selected>();
    for (const s of possible) {
      const key = s.node.alias?.value ?? s.node.name.value;
      if (!byKey.has(key)) byKey.set(key, s);
    }
    for (const s of certain) {
      const key = s.node.alias?.value ?? s.node.name.value;
      if (!(key in record)) this.problems.push(`${where}.${key} is missing`);
    }
    for (const [key, v] of Object.entries(record)) {
      const s = byKey.get(key);
      if (s === undefined) {
        this.problems.push(`${where}.${key} was not selected`);
        continue;
      }
      const name = s.node.name.value;
      if (name === "__typename") {
        if (typeof v !== "string") this.problems.push(`${where}.__typename is not a string`);
        continue;
      }
      const owner = concrete ?? s.on;
      const field = fieldOf(owner, name) ?? fieldOf(s.on, name);
      if (field === undefined) {
        this.problems.push(`${where}.${key}: ${owner.name} has no field "${name}"`);
        continue;
      }
      this.value(v, field.type, s.node, `${where}.${key}`);
    }
  }

  /**
   * The concrete type of an answer to an abstract type without `__typename`: the one object type
   * whose fragments selected the keys present, when there is exactly one.
   */
  inferred(
    record: Record<string, unknown>,
    all: readonly Selected[],
    type: GraphQLCompositeType,
  ): GraphQLObjectType | undefined {
    const conditions = new Set<GraphQLCompositeType>();
    for (const s of all) {
      const key = s.node.alias?.value ?? s.node.name.value;
      if (s.on !== type && key in record) conditions.add(s.on);
    }
    const [only] = conditions;
    return conditions.size === 1 && only instanceof GraphQLObjectType ? only : undefined;
  }

  value(v: unknown, type: GraphQLType, node: FieldNode, where: string): void {
    if (v === null) {
      if (type instanceof GraphQLNonNull && !this.lenientNulls) {
        this.problems.push(`${where} is null, but its type ${type.toString()} is non-null`);
      }
      return;
    }
    const t = getNullableType(type);
    if (t instanceof GraphQLList) {
      if (!Array.isArray(v)) {
        this.problems.push(`${where} is not a list (${t.toString()})`);
        return;
      }
      v.forEach((item, i) => this.value(item, t.ofType, node, `${where}[${i}]`));
      return;
    }
    if (t instanceof GraphQLEnumType) {
      if (typeof v !== "string" || t.getValue(v) === undefined) {
        this.problems.push(`${where} is ${JSON.stringify(v)}, not a value of ${t.name}`);
      }
      return;
    }
    if (t instanceof GraphQLScalarType) {
      const problem = scalarProblem(t.name, v);
      if (problem !== undefined) this.problems.push(`${where} ${problem}`);
      return;
    }
    const named = getNamedType(t);
    if (isCompositeType(named) && node.selectionSet !== undefined) {
      this.object(v, named, node.selectionSet, where);
    }
  }
}

function fieldOf(type: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return "getFields" in type ? type.getFields()[name] : undefined;
}

function scalarProblem(name: string, v: unknown): string | undefined {
  switch (name) {
    case "Int":
      return Number.isInteger(v) ? undefined : `is ${JSON.stringify(v)}, not an Int`;
    case "Float":
      return typeof v === "number" ? undefined : `is ${JSON.stringify(v)}, not a Float`;
    case "Boolean":
      return typeof v === "boolean" ? undefined : `is ${JSON.stringify(v)}, not a Boolean`;
    default:
      // String, ID and GitHub's string-encoded scalars (URI, DateTime, Date, HTML, GitObjectID…).
      return typeof v === "string" ? undefined : `is ${JSON.stringify(v)}, not a ${name} (a string)`;
  }
}
