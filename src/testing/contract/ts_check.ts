/**
 * Checks JSON values against types read by `ts_defs.ts`: the published definitions of the forges'
 * requests and answers. Two modes:
 *
 * - `request` (what forgesync sends): a field the definition does not name is a problem even where
 *   the definition admits extra fields (an index signature, as Bitbucket's schemas all have), since
 *   a client sending an undocumented field is misspelling or guessing;
 * - `response` (what a sandbox answers): extra fields are problems only where the definition
 *   closes the object; missing required fields and wrong types always are.
 *
 * `nullable: true` accepts null for every field (Gitbeaker's typings do not model GitLab's nulls).
 *
 * @module
 */
import type { Member, TsDefs, TsType } from "./ts_defs.ts";

/** How to check. */
export interface CheckMode {
  readonly mode: "request" | "response";
  /** Accept null wherever a value is expected. */
  readonly nullable?: boolean;
  /** Fields that may be left out at any depth though the definition requires them (a discriminator). */
  readonly omittable?: readonly string[];
  /**
   * Check only the types of the fields present: neither missing nor extra fields are problems
   * (for definitions that are neither complete nor exact, as Gitbeaker's answer schemas).
   */
  readonly partial?: boolean;
  /** Places (`answer 200.links.issues`) where a field the definition lacks is accepted, and why. */
  readonly extra?: ReadonlyArray<{ readonly where: RegExp; readonly why: string }>;
}

type Obj = Extract<TsType, { k: "obj" }>;
const NEVER: TsType = { k: "kw", name: "never" };
const UNKNOWN: TsType = { k: "kw", name: "unknown" };

/** Resolves references, indexed access and the known generic helpers against `defs`. */
export class TypeResolver {
  readonly #cache = new Map<TsType, TsType>();
  readonly #expanding = new Set<string>();
  /**
   * `subtypes`: schemas that stand for any of their subtypes (an OpenAPI discriminator whose
   * mapping the generated types lost: Bitbucket's `account` is a `user`, a `team` or an `app_user`).
   */
  constructor(readonly defs: TsDefs, readonly subtypes: Readonly<Record<string, readonly string[]>> = {}) {}

  /** The type a name declares, resolved. */
  named(name: string): TsType {
    const t = this.defs.declared(name);
    if (t === undefined) throw new Error(`${this.defs.label} declares no ${name}`);
    return this.resolve(t);
  }

  /** Follows references, indexed access and helpers until the outermost type is structural. */
  resolve(t: TsType): TsType {
    const cached = this.#cache.get(t);
    if (cached !== undefined) return cached;
    const r = this.#resolve(t);
    this.#cache.set(t, r);
    return r;
  }

  #resolve(t: TsType): TsType {
    switch (t.k) {
      case "ref":
        return this.#ref(t.name, t.args);
      case "idx": {
        const key = this.resolve(t.key);
        if (key.k !== "lit") throw new Error(`an indexed access needs a literal key in ${this.defs.label}`);
        const name = String(key.value);
        const subs = this.subtypes[name];
        if (
          subs !== undefined && !this.#expanding.has(name) && t.of.k === "idx" && t.of.key.k === "lit" &&
          t.of.key.value === "schemas"
        ) {
          const of = t.of;
          this.#expanding.add(name);
          try {
            return { k: "union", types: subs.map((sub) => this.#member(of, sub)) };
          } finally {
            this.#expanding.delete(name);
          }
        }
        const obj = this.object(t.of);
        const m = obj?.members.get(String(key.value));
        return m === undefined ? NEVER : this.resolve(m.type);
      }
      case "inter": {
        const parts = t.types.map((x) => this.resolve(x));
        const union = parts.find((p) => p.k === "union");
        if (union !== undefined && union.k === "union") {
          const rest = parts.filter((p) => p !== union);
          return {
            k: "union",
            types: union.types.map((u) => this.resolve({ k: "inter", types: [u, ...rest] })),
          };
        }
        return merge(parts.map((p) => (p.k === "obj" ? p : undefined)).filter((p) => p !== undefined));
      }
      default:
        return t;
    }
  }

  #member(of: TsType, name: string): TsType {
    const m = this.object(of)?.members.get(name);
    if (m === undefined) throw new Error(`${this.defs.label} has no schema ${name}`);
    return this.resolve(m.type);
  }

  #ref(name: string, args: readonly TsType[]): TsType {
    const arg = (i: number) => args[i] ?? UNKNOWN;
    switch (name) {
      case "Readonly":
      case "Required":
        return this.resolve(arg(0));
      case "Array":
      case "ReadonlyArray":
        return { k: "arr", of: arg(0) };
      case "Record": {
        const keys = this.resolve(arg(0));
        const literals = keys.k === "lit" ? [keys] : keys.k === "union" ? keys.types : [];
        if (literals.length > 0 && literals.every((l) => l.k === "lit")) {
          const members = new Map<string, Member>();
          for (const l of literals) {
            members.set(String((l as { value: unknown }).value), { type: arg(1), optional: false });
          }
          return { k: "obj", members };
        }
        return { k: "obj", members: new Map(), index: arg(1) };
      }
      case "Partial": {
        const o = this.object(arg(0));
        if (o === undefined) return UNKNOWN;
        return { ...o, members: new Map([...o.members].map(([k, m]) => [k, { ...m, optional: true }])) };
      }
      case "Omit":
      case "MappedOmit":
      case "Pick": {
        const o = this.object(arg(0));
        if (o === undefined) return UNKNOWN;
        const keys = new Set(literalsOf(this.resolve(arg(1))));
        const keep = (k: string) => (name === "Pick" ? keys.has(k) : !keys.has(k));
        return { ...o, members: new Map([...o.members].filter(([k]) => keep(k))) };
      }
      case "OneOf": {
        const tuple = this.resolve(arg(0));
        return tuple.k === "tuple" ? { k: "union", types: tuple.types } : UNKNOWN;
      }
      case "Date":
        return { k: "kw", name: "string" };
      default: {
        if (args.length > 0 || !this.defs.has(name)) return UNKNOWN;
        return this.named(name);
      }
    }
  }

  /** The object a type resolves to (an intersection of objects merged), or undefined. */
  object(t: TsType): Obj | undefined {
    const r = this.resolve(t);
    return r.k === "obj" ? r : undefined;
  }
}

function literalsOf(t: TsType): string[] {
  if (t.k === "lit") return [String(t.value)];
  if (t.k === "union") return t.types.flatMap(literalsOf);
  return [];
}

function merge(parts: readonly Obj[]): Obj {
  const members = new Map<string, Member>();
  let index: TsType | undefined;
  for (const p of parts) {
    for (const [k, m] of p.members) members.set(k, m);
    if (p.index !== undefined) index = p.index;
  }
  return index === undefined ? { k: "obj", members } : { k: "obj", members, index };
}

/** The problems of `value` against `type` (empty when it fits), each prefixed with its place. */
export function checkValue(
  resolver: TypeResolver,
  value: unknown,
  type: TsType,
  where: string,
  mode: CheckMode,
): string[] {
  const out: string[] = [];
  check(resolver, value, type, where, mode, out);
  return out;
}

const describe = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

function check(
  r: TypeResolver,
  v: unknown,
  type: TsType,
  where: string,
  mode: CheckMode,
  out: string[],
): void {
  const t = r.resolve(type);
  if (v === null && mode.nullable && t.k !== "kw") return;
  switch (t.k) {
    case "kw":
      keyword(v, t.name, where, mode, out);
      return;
    case "lit":
      if (v !== t.value) out.push(`${where} is ${describe(v)}, not ${JSON.stringify(t.value)}`);
      return;
    case "arr":
      if (!Array.isArray(v)) {
        out.push(`${where} is ${describe(v)}, not a list`);
        return;
      }
      v.slice(0, 200).forEach((x, i) => check(r, x, t.of, `${where}[${i}]`, mode, out));
      return;
    case "tuple":
      if (!Array.isArray(v)) out.push(`${where} is ${describe(v)}, not a tuple`);
      else t.types.forEach((x, i) => check(r, v[i], x, `${where}[${i}]`, mode, out));
      return;
    case "union": {
      const alts = t.types.map((x) => r.resolve(x));
      if (alts.every((x) => x.k === "lit")) {
        if (!alts.some((x) => x.k === "lit" && x.value === v)) {
          out.push(
            `${where} is ${describe(v)}, not one of ${
              alts.map((x) => JSON.stringify((x as { value: unknown }).value)).join(", ")
            }`,
          );
        }
        return;
      }
      let best: string[] | undefined;
      for (const alt of t.types) {
        const problems: string[] = [];
        check(r, v, alt, where, mode, problems);
        if (problems.length === 0) return;
        if (best === undefined || problems.length < best.length) best = problems;
      }
      out.push(...(best ?? [`${where} fits no alternative`]));
      return;
    }
    case "obj": {
      if (typeof v !== "object" || v === null || Array.isArray(v)) {
        out.push(`${where} is ${describe(v)}, not an object`);
        return;
      }
      const record = v as Record<string, unknown>;
      for (const [key, m] of t.members) {
        const present = key in record && record[key] !== undefined;
        if (!present) {
          if (!m.optional && !acceptsAbsent(r, m.type) && !mode.omittable?.includes(key) && !mode.partial) {
            out.push(`${where}.${key} is missing`);
          }
          continue;
        }
        check(r, record[key], m.type, `${where}.${key}`, mode, out);
      }
      for (const [key, x] of Object.entries(record)) {
        if (t.members.has(key) || x === undefined) continue;
        if (mode.extra?.some((e) => e.where.test(`${where}.${key}`))) continue;
        if (mode.partial && t.index === undefined) continue;
        if (t.index !== undefined && mode.mode === "response") {
          check(r, x, t.index, `${where}.${key}`, mode, out);
        } else if (t.index !== undefined) out.push(`${where}.${key} is not a field the definition names`);
        else out.push(`${where}.${key} is not in the definition`);
      }
      return;
    }
    default:
      return;
  }
}

function acceptsAbsent(r: TypeResolver, type: TsType): boolean {
  const t = r.resolve(type);
  if (t.k === "kw") return ["unknown", "any", "undefined", "void"].includes(t.name);
  if (t.k === "union") return t.types.some((x) => acceptsAbsent(r, x));
  return false;
}

function keyword(v: unknown, name: string, where: string, mode: CheckMode, out: string[]): void {
  switch (name) {
    case "unknown":
    case "any":
      return;
    case "never":
      out.push(`${where} is not allowed here`);
      return;
    case "null":
      if (v !== null) out.push(`${where} is ${describe(v)}, not null`);
      return;
    case "undefined":
    case "void":
      if (v !== undefined) out.push(`${where} is ${describe(v)}, not absent`);
      return;
    case "object":
      if (typeof v !== "object" || v === null) out.push(`${where} is ${describe(v)}, not an object`);
      return;
    default: {
      if (v === null && mode.nullable) return;
      const actual: string = typeof v;
      if (actual !== name) out.push(`${where} is ${describe(v)}, not a ${name}`);
      return;
    }
  }
}
