import { assertEquals } from "../../assert.ts";
import { Executor, GraphQLFieldError, type SchemaDef } from "./execute.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const pets = [
  { __typename: "Dog", name: "Rex", barks: true },
  { __typename: "Cat", name: "Tom", lives: 9 },
];

const schema: SchemaDef<{ log: string[] }> = {
  query: "Query",
  mutation: "Mutation",
  types: {
    Color: { kind: "enum", values: ["RED", "GREEN"] },
    Pet: { kind: "interface", fields: { name: { type: "String!" } } },
    Dog: {
      kind: "object",
      interfaces: ["Pet"],
      fields: { name: { type: "String!" }, barks: { type: "Boolean!" } },
    },
    Cat: {
      kind: "object",
      interfaces: ["Pet"],
      fields: { name: { type: "String!" }, lives: { type: "Int!" } },
    },
    Anything: { kind: "union", types: ["Dog", "Cat"] },
    Filter: { kind: "input", fields: { name: "String!", colors: "[Color!]", limit: "Int" } },
    Query: {
      kind: "object",
      fields: {
        pets: {
          type: "[Pet!]!",
          args: { filter: "Filter" },
          resolve: (_p, a) => a.filter === undefined ? pets : pets.filter((p) => p.name === a.filter.name),
        },
        any: { type: "[Anything]", resolve: () => pets },
        echo: {
          type: "String",
          args: { text: "String!", times: "Int", color: "Color", ids: "[ID!]" },
          resolve: (_p, a) => `${a.text.repeat(a.times ?? 1)}${a.color ?? ""}${(a.ids ?? []).join("+")}`,
        },
        boom: {
          type: "String",
          resolve: () => {
            throw new GraphQLFieldError("no such thing", "NOT_FOUND");
          },
        },
      },
    },
    Mutation: {
      kind: "object",
      fields: {
        record: {
          type: "Int!",
          args: { what: "String!" },
          resolve: (_p, a, ctx) => {
            ctx.log.push(a.what);
            return ctx.log.length;
          },
        },
      },
    },
  },
};

function run(query: string, variables: Record<string, unknown> = {}, operationName?: string): Json {
  return new Executor(schema).run({ query, variables, operationName }, { log: [] });
}

Deno.test("Executor: aliases, fragments on interfaces and unions, named fragments, @include and @skip", () => {
  const result = run(
    `query($yes: Boolean!) {
      a: pets { __typename ...Named ... on Dog { barks } ... on Cat @skip(if: $yes) { lives } }
      any { ... on Cat { lives } }
      e: echo(text: "x", times: 2, color: RED, ids: 7) @include(if: $yes)
      f: echo(text: "y") @include(if: false)
    }
    fragment Named on Pet { name }`,
    { yes: true },
  );
  assertEquals(result, {
    data: {
      a: [{ __typename: "Dog", name: "Rex", barks: true }, { __typename: "Cat", name: "Tom" }],
      any: [{}, { lives: 9 }],
      e: "xxRED7",
    },
  });
});

Deno.test("Executor: input objects and lists are coerced from variables and literals", () => {
  assertEquals(run(`{ pets(filter: {name: "Tom", colors: [GREEN]}) { name } }`).data, {
    pets: [{ name: "Tom" }],
  });
  assertEquals(
    run(`query($f: Filter) { pets(filter: $f) { name } }`, { f: { name: "Rex", colors: "RED" } }).data,
    {
      pets: [{ name: "Rex" }],
    },
  );
  const unknownField = run(`query($f: Filter) { pets(filter: $f) { name } }`, {
    f: { name: "Rex", size: 3 },
  });
  assertEquals(unknownField.errors[0].message, "Variable $f of type Filter was provided invalid value");
  assertEquals(
    unknownField.errors[0].extensions.problems[0].explanation,
    "Field is not defined on Filter: size",
  );
  const missing = run(`query($f: Filter) { pets(filter: $f) { name } }`, { f: { colors: ["RED"] } });
  assertEquals(missing.errors[0].extensions.problems[0].explanation, "name: Expected value to not be null");
  const badEnum = run(`query($c: Color) { echo(text: "a", color: $c) }`, { c: "BLUE" });
  assertEquals(badEnum.errors[0].message, "Variable $c of type Color was provided invalid value");
  assertEquals(run(`query($t: String = "d") { echo(text: $t) }`).data, { echo: "d" });
  const absent = run(`query($t: String!) { echo(text: $t) }`);
  assertEquals(absent.errors[0].message, "Variable $t of type String! was provided invalid value");
});

Deno.test("Executor: validation refuses bad selections, arguments, literals, fragments and types — all listed", () => {
  const result = run(`{
    pets { name { first } }
    any
    echo(text: 5, loud: true)
    x: pets(filter: {name: "a", other: 1}) { ...Missing ... on Nope { name } }
    y: any { name }
  }`);
  assertEquals(result.data, undefined);
  assertEquals(result.errors.map((e: Json) => e.extensions?.code ?? e.message), [
    "selectionMismatch",
    "selectionMismatch",
    "argumentLiteralsIncompatible",
    "argumentNotAccepted",
    "argumentLiteralsIncompatible",
    "undefinedFragment",
    "undefinedType",
    "undefinedField",
  ]);
  assertEquals(
    result.errors[2].message,
    "Argument 'text' on Field 'echo' has an invalid value (5). Expected type 'String!'.",
  );
  assertEquals(
    run(`query($x: Nope) { any { __typename } }`).errors[0].extensions.code,
    "variableRequiresValidType",
  );
  assertEquals(run(`{ echo(text: "a") @later }`).errors[0].extensions.code, "undefinedDirective");
});

Deno.test("Executor: operations are chosen by name; mutations run in order; field errors sit beside data", () => {
  const doc = `query A { echo(text: "a") } query B { echo(text: "b") }`;
  assertEquals(run(doc, {}, "B").data, { echo: "b" });
  assertEquals(
    run(doc).errors[0].message,
    "An operation name is required when the document holds several operations.",
  );
  assertEquals(run(doc, {}, "C").errors[0].message, 'No operation named "C"');
  assertEquals(run(`subscription { echo(text: "a") }`).errors[0].message, "Subscriptions are not supported.");
  const context = { log: [] as string[] };
  const done = new Executor(schema).run(
    { query: `mutation { one: record(what: "a") two: record(what: "b") }` },
    context,
  );
  assertEquals([done.data, context.log], [{ one: 1, two: 2 }, ["a", "b"]]);
  assertEquals(run(`{ boom echo(text: "ok") }`), {
    data: { boom: null, echo: "ok" },
    errors: [{
      type: "NOT_FOUND",
      path: ["boom"],
      locations: [{ line: 1, column: 3 }],
      message: "no such thing",
    }],
  });
  assertEquals(
    new Executor(schema).run({ query: 5 }, { log: [] }).errors![0]!.message.includes("query attribute"),
    true,
  );
});
