import { assertEquals, assertStringIncludes } from "../assert.ts";
import { checkGraphqlRequest, checkGraphqlResponse } from "./graphql_check.ts";
import { githubPublicSchema } from "./github_graphql_schema.ts";
import { schemaDifferences } from "./schema_diff.ts";
import { GITHUB_SCHEMA } from "../github/graphql/schema.ts";

const schema = githubPublicSchema();

const MOVE = `mutation($project: ID!, $item: ID!, $field: ID!, $option: String!) {
  updateProjectV2ItemFieldValue(input: {projectId: $project, itemId: $item, fieldId: $field,
    value: {singleSelectOptionId: $option}}) { projectV2Item { id } } }`;
const VARS = { project: "PVT_1", item: "PVTI_1", field: "PVTSSF_1", option: "abc" };

Deno.test("checkGraphqlRequest() accepts a document GitHub's schema validates", () => {
  assertEquals(checkGraphqlRequest(schema, { query: MOVE, variables: VARS }), []);
});

Deno.test("checkGraphqlRequest() refuses a misspelled field, argument or input field", () => {
  const field = checkGraphqlRequest(schema, {
    query: MOVE.replace("projectV2Item { id }", "projectV2Item { idd }"),
  });
  assertStringIncludes(field.join("\n"), `Cannot query field "idd" on type "ProjectV2Item"`);
  const input = checkGraphqlRequest(schema, {
    query: MOVE.replace("singleSelectOptionId", "singleSelectOptionID"),
  });
  assertStringIncludes(input.join("\n"), "singleSelectOptionID");
  const mutation = checkGraphqlRequest(schema, {
    query: MOVE.replace("updateProjectV2ItemFieldValue", "updateProjectV2ItemFieldValues"),
  });
  assertStringIncludes(mutation.join("\n"), "updateProjectV2ItemFieldValues");
});

Deno.test("checkGraphqlRequest() refuses variables that do not coerce (a misspelled input field in a variable)", () => {
  const query = `mutation($field: ID!, $options: [ProjectV2SingleSelectFieldOptionInput!]) {
    updateProjectV2Field(input: {fieldId: $field, singleSelectOptions: $options}) { clientMutationId } }`;
  assertEquals(
    checkGraphqlRequest(schema, {
      query,
      variables: { field: "F", options: [{ name: "Done", color: "GREEN", description: "" }] },
    }),
    [],
  );
  const problems = checkGraphqlRequest(schema, {
    query,
    variables: { field: "F", options: [{ name: "Done", colour: "GREEN", description: "" }] },
  });
  assertStringIncludes(problems.join("\n"), "colour");
  const bad = checkGraphqlRequest(schema, {
    query,
    variables: { field: "F", options: [{ name: "Done", color: "TEAL", description: "" }] },
  });
  assertStringIncludes(bad.join("\n"), "TEAL");
});

Deno.test("checkGraphqlRequest() refuses a body that is not a GraphQL request or does not parse", () => {
  assertEquals(checkGraphqlRequest(schema, { q: "{ viewer { login } }" }).length, 1);
  assertStringIncludes(
    checkGraphqlRequest(schema, { query: "{ viewer { login }" }).join(""),
    "does not parse",
  );
});

Deno.test("checkGraphqlResponse() checks the answer's shape against the selection", () => {
  const query = `query($id: ID!) { node(id: $id) { ... on ProjectV2 { number title
    field(name: "Status") { __typename ... on ProjectV2SingleSelectField { id options { id name color } } } } } }`;
  const request = { query, variables: { id: "PVT_1" } };
  const good = {
    data: {
      node: {
        number: 1,
        title: "Board",
        field: {
          __typename: "ProjectV2SingleSelectField",
          id: "F",
          options: [{ id: "o", name: "Done", color: "GREEN" }],
        },
      },
    },
  };
  assertEquals(checkGraphqlResponse(schema, request, good), []);
  const wrong = structuredClone(good);
  wrong.data.node.number = "1" as unknown as number;
  (wrong.data.node.field.options[0] as Record<string, unknown>).color = "TEAL";
  (wrong.data.node as Record<string, unknown>).extra = true;
  const problems = checkGraphqlResponse(schema, request, wrong).join("\n");
  assertStringIncludes(problems, 'data.node.number is "1", not an Int');
  assertStringIncludes(problems, "not a value of ProjectV2SingleSelectFieldOptionColor");
  assertStringIncludes(problems, "data.node.extra was not selected");
  const missing = { data: { node: { number: 1, field: null } } };
  assertStringIncludes(
    checkGraphqlResponse(schema, request, missing).join("\n"),
    "data.node.title is missing",
  );
  const nonNull = { data: { node: { number: null, title: "x", field: null } } };
  assertStringIncludes(checkGraphqlResponse(schema, request, nonNull).join("\n"), "is non-null");
});

Deno.test("the sandbox's GraphQL schema declares nothing differently from GitHub's public schema", () => {
  assertEquals(schemaDifferences(GITHUB_SCHEMA, schema), []);
});

Deno.test("schemaDifferences() reports an extra enum value, a nullability change and a smaller union", () => {
  const types = { ...GITHUB_SCHEMA.types };
  types.ProjectV2FieldType = { kind: "enum", values: ["TEXT", "ISSUE_TYPE_X"] };
  types.ProjectV2FieldConfiguration = { kind: "union", types: ["ProjectV2Field"] };
  const project = GITHUB_SCHEMA.types.ProjectV2!;
  if (project.kind !== "object") throw new Error("ProjectV2 is an object");
  types.ProjectV2 = { ...project, fields: { ...project.fields, databaseId: { type: "Int!" } } };
  const found = schemaDifferences({ ...GITHUB_SCHEMA, types }, schema).join("\n");
  assertStringIncludes(found, "enum ProjectV2FieldType has values GitHub lacks: ISSUE_TYPE_X");
  assertStringIncludes(found, "field ProjectV2.databaseId is Int! in the sandbox, Int on GitHub");
  assertStringIncludes(found, "union ProjectV2FieldConfiguration differs");
});
