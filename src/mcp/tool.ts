/**
 * How a tool is defined: a name, a description, the tier that lists it, truthful annotations, and
 * a set of actions, each with an Effect Schema for its parameters and an effect that runs it.
 *
 * One schema system: the published `inputSchema` is generated from the action schemas (a single
 * flat object, as MCP clients and model APIs require), and calls are decoded with the same schemas,
 * listing every problem at once.
 *
 * @module
 */
import { type Effect, Schema, SchemaIssue } from "effect";
import type { AppError } from "../domain/errors.ts";
import type { Tier } from "../config.ts";

/** MCP tool annotations (hints for clients). */
export interface Annotations {
  readonly title: string;
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: boolean;
}

/** What a running action may use besides services. */
export interface CallContext {
  /**
   * Reports progress when the caller sent a progress token; a no-op otherwise. `done` must grow with
   * each report; `total` is left out while it is not known.
   */
  readonly progress: (done: number, total: number | undefined, message?: string) => Effect.Effect<void>;
}

/** A struct schema of an action's parameters (the `action` key excluded). */
export type Params = Schema.Struct<Schema.Struct.Fields>;

/**
 * Whether an action only reads (nothing changes locally or on a forge): `true`, or a decision on
 * the call's raw parameters (`sync_status` reads with `dry_run: true` only). Absent: it writes.
 */
export type Reads = true | ((params: Readonly<Record<string, unknown>>) => boolean);

/** One action of a tool. */
export interface Action<R> {
  readonly description: string;
  readonly params: Params;
  /** Set on actions that only read: the only ones accepted in read-only mode. */
  readonly reads?: Reads;
  /** Set on actions that may remove or overwrite something (not merely add): the tool is destructive. */
  readonly destructive?: true;
  // deno-lint-ignore no-explicit-any
  readonly run: (input: any, context: CallContext) => Effect.Effect<Record<string, unknown>, AppError, R>;
}

/**
 * Defines an action, inferring the type of its input from its parameter schema.
 *
 * @example
 * ```ts ignore
 * const get = action({
 *   description: "Read one task.",
 *   params: Schema.Struct({ task_id: TaskId }),
 *   run: ({ task_id }) => Tasks.use((t) => t.get(task_id)).pipe(Effect.map((task) => ({ task }))),
 * });
 * ```
 */
export function action<P extends Params, R>(definition: {
  readonly description: string;
  readonly params: P;
  readonly reads?: Reads;
  readonly destructive?: true;
  readonly run: (
    input: P["Type"],
    context: CallContext,
  ) => Effect.Effect<Record<string, unknown>, AppError, R>;
}): Action<R> {
  return definition as Action<R>;
}

/** A tool: what `tools/list` publishes and what `tools/call` runs. */
export interface Tool<R> {
  readonly name: string;
  readonly description: string;
  /** The lowest tier that lists the tool; `core` tools are always listed. */
  readonly tier: "core" | Exclude<Tier, "disabled">;
  readonly annotations: Annotations;
  readonly actions: Readonly<Record<string, Action<R>>>;
  /** The success shape: one struct whose keys are all optional (the error key is added). */
  readonly output: Params;
}

/** Whether a call of `action` with these raw parameters only reads. */
export function onlyReads(action: Action<unknown>, params: Readonly<Record<string, unknown>>): boolean {
  return action.reads === true || (typeof action.reads === "function" && action.reads(params));
}

/** The actions of a tool that may only read (with the right parameters), for messages. */
export function readActions(tool: Tool<unknown>): string[] {
  return Object.entries(tool.actions).filter(([, a]) => a.reads !== undefined).map(([name, a]) =>
    a.reads === true ? name : `${name} (dry_run: true)`
  );
}

/**
 * The annotations a tool is published with: in read-only mode every tool is read-only (and so not
 * destructive), since its write actions are refused.
 */
export function publishedAnnotations(tool: Tool<unknown>, readOnly: boolean): Annotations {
  return readOnly ? { ...tool.annotations, readOnlyHint: true, destructiveHint: false } : tool.annotations;
}

/** The JSON Schema published as a tool's `inputSchema`: one flat object. */
export function inputJsonSchema(tool: Tool<unknown>): Record<string, unknown> {
  const names = Object.keys(tool.actions);
  const properties: Record<string, Record<string, unknown>> = {
    action: {
      type: "string",
      enum: names,
      description: "What to do: " + names.map((n) => `${n} — ${tool.actions[n]!.description}`).join(" "),
    },
  };
  const usedBy = new Map<string, string[]>();
  const requiredBy = new Map<string, string[]>();
  const descriptions = new Map<string, string>();
  // A parameter several actions share may have a different schema in each (`status` is one status
  // for create, one or many for list): publish every variant, so that no valid call is refused.
  const variants = new Map<string, Record<string, unknown>[]>();
  for (const name of names) {
    const doc = Schema.toJsonSchemaDocument(tool.actions[name]!.params).schema as {
      properties?: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    for (const [key, schema] of Object.entries(doc.properties ?? {})) {
      const { description, shape } = splitDescription(schema);
      if (description !== undefined && !descriptions.has(key)) descriptions.set(key, description);
      const known = variants.get(key) ?? [];
      const members = Array.isArray(shape.anyOf) && Object.keys(shape).length === 1
        ? shape.anyOf as Record<string, unknown>[]
        : [shape];
      for (const whole of members) {
        const { description: inner, shape: member } = splitDescription(whole);
        if (inner !== undefined && !descriptions.has(key)) descriptions.set(key, inner);
        if (!known.some((k) => JSON.stringify(k) === JSON.stringify(member))) known.push(member);
      }
      variants.set(key, known);
      usedBy.set(key, [...(usedBy.get(key) ?? []), name]);
    }
    for (const key of doc.required ?? []) requiredBy.set(key, [...(requiredBy.get(key) ?? []), name]);
  }
  for (const [key, actions] of usedBy) {
    const known = variants.get(key)!;
    const required = requiredBy.get(key) ?? [];
    const base = descriptions.has(key) ? `${descriptions.get(key)} ` : "";
    properties[key] = {
      ...(known.length === 1 ? known[0] : { anyOf: known }),
      description: `${base}Used by: ${actions.join(", ")}` +
        (required.length > 0 ? `; required by: ${required.join(", ")}.` : "."),
    };
  }
  return { type: "object", properties, required: ["action"], additionalProperties: false };
}

/**
 * Separates a property's description from its shape. Effect puts the description of a schema with
 * several checks on the last check (inside `allOf`); it belongs to the property.
 */
function splitDescription(
  schema: Record<string, unknown>,
): { description: string | undefined; shape: Record<string, unknown> } {
  const { description, ...shape } = schema;
  let found = typeof description === "string" ? description : undefined;
  if (Array.isArray(shape.allOf)) {
    shape.allOf = (shape.allOf as Record<string, unknown>[]).map((member) => {
      const { description: inner, ...rest } = member;
      if (typeof inner === "string") found ??= inner;
      return rest;
    });
  }
  return { description: found, shape };
}

/** The shape of a tool error inside `structuredContent`. */
export const ErrorShape = Schema.Struct({
  code: Schema.String,
  message: Schema.String,
  hint: Schema.String,
  retry_after_seconds: Schema.optionalKey(Schema.Finite),
});

/** The JSON Schema published as a tool's `outputSchema`: success keys and `error`, none required. */
export function outputJsonSchema(tool: Tool<unknown>): Record<string, unknown> {
  const doc = Schema.toJsonSchemaDocument(tool.output).schema as {
    properties?: Record<string, unknown>;
    $defs?: Record<string, unknown>;
  };
  const error = Schema.toJsonSchemaDocument(ErrorShape).schema;
  const definitions = Schema.toJsonSchemaDocument(tool.output).definitions;
  const out: Record<string, unknown> = {
    type: "object",
    properties: { ...(doc.properties ?? {}), error },
  };
  if (definitions && Object.keys(definitions).length > 0) out.$defs = definitions;
  return out;
}

/** The outcome of decoding a call's arguments. */
export type Decoded<R> =
  | { readonly ok: true; readonly action: Action<R>; readonly name: string; readonly input: unknown }
  | { readonly ok: false; readonly message: string; readonly hint: string };

const formatter = SchemaIssue.makeFormatterStandardSchemaV1();

/**
 * Decodes `tools/call` arguments: the action must exist and its parameters must match, with every
 * problem listed (unknown keys, missing keys, wrong types).
 */
export function decodeCall<R>(tool: Tool<R>, args: unknown): Decoded<R> {
  const names = Object.keys(tool.actions);
  const usage = `Call ${tool.name} with {"action": one of ${
    names.map((n) => `"${n}"`).join(", ")
  }, …parameters}.`;
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    return { ok: false, message: `${tool.name} takes an object of parameters.`, hint: usage };
  }
  const raw = args as Record<string, unknown>;
  const name = raw.action;
  if (typeof name !== "string" || !Object.hasOwn(tool.actions, name)) {
    const shown = typeof name === "string" ? `"${name.slice(0, 80)}"` : JSON.stringify(name) ?? "missing";
    return {
      ok: false,
      message: name === undefined
        ? `action is required by ${tool.name}.`
        : `action ${shown} is not an action of ${tool.name}.`,
      hint: usage,
    };
  }
  const chosen = tool.actions[name]!;
  const { action: _, ...params } = raw;
  const result = Schema.decodeUnknownExit(chosen.params as unknown as Schema.Codec<unknown, unknown>)(
    params,
    { errors: "all", onExcessProperty: "error" },
  );
  if (result._tag === "Success") return { ok: true, action: chosen, name, input: result.value };
  const failure = result.cause.reasons.find((r) => r._tag === "Fail");
  const issue = failure && "error" in failure ? (failure.error as Schema.SchemaError).issue : undefined;
  const problems = issue === undefined
    ? ["the parameters do not match"]
    : formatter(issue).issues.map((i) => {
      const full = i.path?.map((p) => (typeof p === "object" ? String(p.key) : String(p))).join(".") ?? "";
      // A parameter name comes from the caller: quote it, but never echo a huge one whole.
      const path = full.length > 100 ? `${full.slice(0, 100)}…` : full;
      if (i.message === "Expected no excess property") {
        return `"${path}" is not a parameter of action "${name}"`;
      }
      if (i.message === "Missing key") return `"${path}" is required by action "${name}"`;
      return path === "" ? i.message : `${path}: ${i.message}`;
    });
  const accepted = Object.keys(
    (Schema.toJsonSchemaDocument(chosen.params).schema as { properties?: object }).properties ?? {},
  );
  return {
    ok: false,
    message: `Invalid parameters for ${tool.name} action "${name}": ${problems.join("; ")}.`,
    hint: accepted.length === 0
      ? `Action "${name}" takes no parameters besides action.`
      : `Action "${name}" takes: ${accepted.join(", ")}. Fix the listed parameters and call again.`,
  };
}
