/**
 * Checks recorded REST exchanges against an OpenAPI description in its openapi-typescript form
 * (`paths` → operations with `parameters.query`, `requestBody.content["application/json"]` and
 * `responses[status].content["application/json"]`): GitHub's (`@octokit/openapi-types`) and
 * Bitbucket Cloud's (`@coderabbitai/bitbucket`).
 *
 * For each exchange: the path matches a documented path template and the method is documented for
 * it; every query parameter is documented (with a value of its type); the JSON body has only
 * documented fields, each of its type, and every required one; the answer's status is documented
 * and its JSON body fits that status's schema. An exchange a fault answered is checked for its
 * request only.
 *
 * @module
 */
import type { RecordedExchange } from "../sandbox.ts";
import { checkValue, TypeResolver } from "./ts_check.ts";
import type { TsDefs, TsType } from "./ts_defs.ts";

/** How to read one forge's description. */
export interface OpenApiOptions {
  /** The description. */
  readonly defs: TsDefs;
  /** The API base path of the sandbox, stripped from each request path (`/api/v3`, `/2.0`). */
  readonly basePath: string;
  /**
   * Undocumented path forms the forge really serves, each with the documented template it stands
   * for (GitHub's `link` headers point at `/repositories/{id}/…`).
   */
  readonly aliases?: ReadonlyArray<
    { readonly pattern: RegExp; readonly template: string; readonly why: string }
  >;
  /**
   * Query parameters the forge documents for every listing rather than per endpoint (Bitbucket's
   * `q`, `sort`, `pagelen`, `page`, `fields`).
   */
  readonly globalQuery?: readonly string[];
  /** Body fields the description requires (at any depth) but the forge fills in when a request omits them. */
  readonly requestOptional?: readonly string[];
  /** Schemas standing for any of their subtypes (see {@link TypeResolver}). */
  readonly subtypes?: Readonly<Record<string, readonly string[]>>;
  /** The description never marks a field nullable, though the forge answers null for unset fields. */
  readonly nullableAnswers?: boolean;
  /** Answer fields the sandbox sends beyond the description, each with the reason. */
  readonly extraAnswerFields?: ReadonlyArray<{ readonly where: RegExp; readonly why: string }>;
  /**
   * Operations whose request body the description does not document though the forge takes one:
   * their bodies cannot be checked (they are listed among the uncovered endpoints).
   */
  readonly undocumentedBodies?: ReadonlyArray<
    { readonly method: string; readonly template: string; readonly why: string }
  >;
  /**
   * Statuses any endpoint may answer though its description does not list them (401, rate limits,
   * 5xx…), with the schema of their body.
   */
  readonly genericErrors?: { readonly statuses: readonly number[]; readonly schema: TsType };
}

/** One problem found in an exchange. */
export interface ContractProblem {
  /** `METHOD /path` as sent. */
  readonly request: string;
  /** The documented template, when one matched. */
  readonly template?: string;
  readonly problem: string;
}

interface Route {
  readonly template: string;
  readonly regex: RegExp;
  readonly literal: number;
}

/** The checker of one forge's description. */
export class OpenApiChecker {
  readonly resolver: TypeResolver;
  readonly #routes: Route[];
  readonly #paths: Extract<TsType, { k: "obj" }>;

  constructor(readonly options: OpenApiOptions) {
    this.resolver = new TypeResolver(options.defs, options.subtypes);
    const paths = this.resolver.object({ k: "ref", name: "paths", args: [] });
    if (paths === undefined) throw new Error(`${options.defs.label} has no paths`);
    this.#paths = paths;
    this.#routes = [...paths.members.keys()].map((template) => ({
      template,
      regex: new RegExp(
        "^" + template.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[^/]+") +
          "$",
      ),
      literal: template.replace(/\{[^}]+\}/g, "").length,
    }));
  }

  /** The documented template a request path falls under, if any. */
  template(path: string): string | undefined {
    const alias = this.options.aliases?.find((a) => a.pattern.test(path));
    const candidates = this.#routes.filter((r) => r.regex.test(path));
    if (candidates.length === 0) return alias?.template;
    candidates.sort((a, b) => b.literal - a.literal);
    return candidates[0]!.template;
  }

  /** The operation object of `method` on `template`, or undefined when it is not documented. */
  operation(template: string, method: string): Extract<TsType, { k: "obj" }> | undefined {
    const item = this.resolver.object(this.#paths.members.get(template)!.type);
    const op = item?.members.get(method.toLowerCase());
    if (op === undefined) return undefined;
    const resolved = this.resolver.resolve(op.type);
    return resolved.k === "obj" ? resolved : undefined;
  }

  /** Every problem of `exchanges` (empty when they all conform). */
  check(exchanges: readonly RecordedExchange[]): ContractProblem[] {
    return exchanges.flatMap((e) => this.checkOne(e));
  }

  /** The problems of one exchange. */
  checkOne(e: RecordedExchange): ContractProblem[] {
    const path = e.path.startsWith(this.options.basePath)
      ? e.path.slice(this.options.basePath.length)
      : e.path;
    const request = `${e.method} ${path}`;
    const template = this.template(path);
    if (template === undefined) return [{ request, problem: "no documented path matches" }];
    const problems: string[] = [];
    const op = this.operation(template, e.method);
    if (op === undefined) {
      return [{ request, template, problem: `${e.method} is not documented for ${template}` }];
    }
    this.#query(op, e.query, problems);
    this.#body(op, e, problems);
    if (!e.faulted && e.status !== 0) this.#response(op, e, problems);
    return problems.map((problem) => ({ request, template, problem }));
  }

  #path(e: RecordedExchange): string {
    return e.path.startsWith(this.options.basePath) ? e.path.slice(this.options.basePath.length) : e.path;
  }

  #member(obj: TsType | undefined, key: string): TsType | undefined {
    if (obj === undefined) return undefined;
    const o = this.resolver.object(obj);
    const m = o?.members.get(key);
    if (m === undefined) return undefined;
    const t = this.resolver.resolve(m.type);
    return t.k === "kw" && t.name === "never" ? undefined : t;
  }

  #query(op: TsType, search: string, problems: string[]): void {
    const declared = this.resolver.object(
      this.#member(this.#member(op, "parameters"), "query") ?? {
        k: "obj",
        members: new Map(),
      },
    );
    for (const [name, value] of new URLSearchParams(search)) {
      const m = declared?.members.get(name);
      if (m === undefined) {
        if (!this.options.globalQuery?.includes(name)) {
          problems.push(`query parameter "${name}" is not documented`);
        }
        continue;
      }
      const problem = queryValueProblem(this.resolver, value, m.type);
      if (problem !== undefined) problems.push(`query parameter "${name}" ${problem}`);
    }
  }

  #body(op: TsType, e: RecordedExchange, problems: string[]): void {
    const schema = this.#member(this.#member(this.#member(op, "requestBody"), "content"), "application/json");
    if (e.requestBody.trim() === "") {
      const required = this.resolver.object(op)?.members.get("requestBody");
      if (schema !== undefined && required !== undefined && !required.optional) {
        problems.push("the request has no body, but one is required");
      }
      return;
    }
    if (schema === undefined) {
      const skip = this.options.undocumentedBodies?.some((u) =>
        u.method === e.method && u.template === this.template(this.#path(e))
      );
      if (!skip) problems.push("the request has a body, but none is documented");
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(e.requestBody);
    } catch {
      problems.push("the request body is not JSON");
      return;
    }
    problems.push(
      ...checkValue(this.resolver, json, schema, "body", {
        mode: "request",
        omittable: this.options.requestOptional ?? [],
      }),
    );
  }

  #response(op: TsType, e: RecordedExchange, problems: string[]): void {
    const responses = this.#member(op, "responses");
    let answer = this.#member(responses, String(e.status)) ?? this.#member(responses, "default");
    if (answer === undefined) {
      const generic = this.options.genericErrors;
      if (generic !== undefined && generic.statuses.includes(e.status)) {
        answer = {
          k: "obj",
          members: new Map([["content", { optional: false, type: json(generic.schema) }]]),
        };
      } else {
        problems.push(`status ${e.status} is not documented`);
        return;
      }
    }
    const schema = this.#member(this.#member(answer, "content"), "application/json");
    if (e.responseBody.trim() === "") {
      if (schema !== undefined) problems.push(`the ${e.status} answer has no body, but one is documented`);
      return;
    }
    if (schema === undefined) {
      problems.push(`the ${e.status} answer has a body, but none is documented`);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(e.responseBody);
    } catch {
      problems.push(`the ${e.status} answer is not JSON`);
      return;
    }
    problems.push(
      ...checkValue(this.resolver, body, schema, `answer ${e.status}`, {
        mode: "response",
        nullable: this.options.nullableAnswers ?? false,
        extra: this.options.extraAnswerFields ?? [],
      }),
    );
  }
}

function json(schema: TsType): TsType {
  return { k: "obj", members: new Map([["application/json", { optional: false, type: schema }]]) };
}

/** Whether a query string value fits a declared parameter type (numbers, booleans, enums). */
function queryValueProblem(r: TypeResolver, value: string, type: TsType): string | undefined {
  const t = r.resolve(type);
  const fits = (x: TsType): boolean => {
    const y = r.resolve(x);
    switch (y.k) {
      case "kw":
        if (y.name === "number") return value.trim() !== "" && Number.isFinite(Number(value));
        if (y.name === "boolean") return value === "true" || value === "false";
        return y.name !== "never";
      case "lit":
        return String(y.value) === value;
      case "union":
        return y.types.some(fits);
      case "arr":
        return value.split(",").every((part) => fitsPart(r, part, y.of));
      default:
        return true;
    }
  };
  return fits(t) ? undefined : `is "${value}", which its documented type does not admit`;
}

function fitsPart(r: TypeResolver, part: string, type: TsType): boolean {
  return queryValueProblem(r, part, type) === undefined;
}
