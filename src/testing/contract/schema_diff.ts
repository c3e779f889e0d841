/**
 * Where the GitHub sandbox's GraphQL schema (`../github/graphql/schema.ts`) differs from GitHub's
 * public one. The sandbox serves a subset, so it may lack types and fields; what it declares must be
 * declared the same way on GitHub, or a query valid on one would be refused by the other:
 *
 * - every type exists on GitHub with the same kind;
 * - every field exists with the same type (nullability included) and its arguments exist with the
 *   same types; no required argument of GitHub's is missing;
 * - enums have exactly GitHub's values; unions exactly GitHub's members (a smaller union refuses
 *   fragments GitHub accepts); objects implement only interfaces they implement on GitHub;
 * - input objects have exactly GitHub's fields, with the same types.
 *
 * @module
 */
import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLInterfaceType,
  GraphQLObjectType,
  GraphQLScalarType,
  type GraphQLSchema,
  GraphQLUnionType,
} from "graphql";
import type { SchemaDef } from "../github/graphql/execute.ts";

const KIND: Record<string, string> = {
  scalar: "scalar",
  enum: "enum",
  object: "object",
  interface: "interface",
  union: "union",
  input: "input",
};

function kindOf(t: unknown): string {
  if (t instanceof GraphQLScalarType) return "scalar";
  if (t instanceof GraphQLEnumType) return "enum";
  if (t instanceof GraphQLObjectType) return "object";
  if (t instanceof GraphQLInterfaceType) return "interface";
  if (t instanceof GraphQLUnionType) return "union";
  if (t instanceof GraphQLInputObjectType) return "input";
  return "unknown";
}

const sorted = (xs: Iterable<string>) => [...xs].sort();
const same = (a: Iterable<string>, b: Iterable<string>) => sorted(a).join(",") === sorted(b).join(",");
const minus = (a: Iterable<string>, b: Iterable<string>) => {
  const set = new Set(b);
  return sorted(a).filter((x) => !set.has(x));
};

/**
 * Every difference between the sandbox schema `sandbox` and the published `github` schema, one
 * sentence each (empty when the sandbox is a faithful subset).
 */
// deno-lint-ignore no-explicit-any
export function schemaDifferences(sandbox: SchemaDef<any>, github: GraphQLSchema): string[] {
  const out: string[] = [];
  for (const [name, def] of Object.entries(sandbox.types)) {
    const real = github.getType(name);
    if (real === undefined || real === null) {
      out.push(`type ${name} does not exist on GitHub`);
      continue;
    }
    if (kindOf(real) !== KIND[def.kind]) {
      out.push(`type ${name} is a ${def.kind} in the sandbox, a ${kindOf(real)} on GitHub`);
      continue;
    }
    switch (def.kind) {
      case "enum": {
        const values = (real as GraphQLEnumType).getValues().map((v) => v.name);
        const extra = minus(def.values, values);
        const missing = minus(values, def.values);
        if (extra.length > 0) out.push(`enum ${name} has values GitHub lacks: ${extra.join(", ")}`);
        if (missing.length > 0) out.push(`enum ${name} lacks GitHub's values: ${missing.join(", ")}`);
        break;
      }
      case "union": {
        const members = (real as GraphQLUnionType).getTypes().map((t) => t.name);
        if (!same(def.types, members)) {
          const extra = minus(def.types, members);
          const missing = minus(members, def.types);
          out.push(
            `union ${name} differs: ${extra.length > 0 ? `extra ${extra.join(", ")}` : ""}${
              extra.length > 0 && missing.length > 0 ? "; " : ""
            }${missing.length > 0 ? `missing ${missing.join(", ")}` : ""}`,
          );
        }
        break;
      }
      case "input": {
        const fields = (real as GraphQLInputObjectType).getFields();
        for (const [field, type] of Object.entries(def.fields)) {
          const r = fields[field];
          if (r === undefined) out.push(`input ${name}.${field} does not exist on GitHub`);
          else if (String(r.type) !== type) {
            out.push(`input ${name}.${field} is ${type} in the sandbox, ${String(r.type)} on GitHub`);
          }
        }
        const missing = minus(Object.keys(fields), Object.keys(def.fields));
        if (missing.length > 0) out.push(`input ${name} lacks GitHub's fields: ${missing.join(", ")}`);
        break;
      }
      case "object":
      case "interface": {
        const realType = real as GraphQLObjectType | GraphQLInterfaceType;
        const fields = realType.getFields();
        for (const [field, fd] of Object.entries(def.fields)) {
          const r = fields[field];
          if (r === undefined) {
            out.push(`field ${name}.${field} does not exist on GitHub`);
            continue;
          }
          if (String(r.type) !== fd.type) {
            out.push(`field ${name}.${field} is ${fd.type} in the sandbox, ${String(r.type)} on GitHub`);
          }
          const realArgs = new Map(r.args.map((a) => [a.name, a]));
          for (const [arg, type] of Object.entries(fd.args ?? {})) {
            const ra = realArgs.get(arg);
            if (ra === undefined) out.push(`argument ${name}.${field}(${arg}) does not exist on GitHub`);
            else if (String(ra.type) !== type) {
              out.push(
                `argument ${name}.${field}(${arg}) is ${type} in the sandbox, ${String(ra.type)} on GitHub`,
              );
            }
          }
          for (const ra of r.args) {
            if (
              String(ra.type).endsWith("!") && ra.defaultValue === undefined && !(ra.name in (fd.args ?? {}))
            ) {
              out.push(`argument ${name}.${field}(${ra.name}: ${String(ra.type)}) is required on GitHub`);
            }
          }
        }
        if (def.kind === "object") {
          const real = (realType as GraphQLObjectType).getInterfaces().map((i) => i.name);
          const extra = minus(def.interfaces ?? [], real);
          if (extra.length > 0) out.push(`object ${name} implements ${extra.join(", ")}, not on GitHub`);
        }
        break;
      }
      case "scalar":
        break;
    }
  }
  return out;
}
