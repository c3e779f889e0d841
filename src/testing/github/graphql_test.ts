import { graphql, GraphqlResponseError } from "@octokit/graphql";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import { createGitHubSandbox, type GitHubSandbox } from "./sandbox.ts";
import { parseDocument } from "./graphql/parse.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

async function post(
  gh: GitHubSandbox,
  query: string,
  variables: Record<string, unknown> = {},
  token: string | null = gh.token,
): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(gh.graphqlUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token === null ? {} : { authorization: `bearer ${token}` }),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

async function withSandbox(f: (gh: GitHubSandbox) => Promise<void>, basePath?: string): Promise<void> {
  const gh = await createGitHubSandbox(basePath === undefined ? {} : { basePath });
  try {
    await f(gh);
  } finally {
    await gh.close();
  }
}

const OWNER = `query($login: String!, $repo: String!) {
  repositoryOwner(login: $login) { __typename id login }
  repository(owner: $login, name: $repo) { id nameWithOwner }
}`;

const CREATE = `mutation($owner: ID!, $title: String!, $repo: ID) {
  createProjectV2(input: {ownerId: $owner, title: $title, repositoryId: $repo}) {
    projectV2 {
      id number title url
      field(name: "Status") { __typename ... on ProjectV2SingleSelectField { id options { id name color } } }
    }
  }
}`;

async function newProject(gh: GitHubSandbox, title = "Board"): Promise<Json> {
  const [login, repo] = gh.repository.split("/");
  const owner = await post(gh, OWNER, { login, repo });
  const created = await post(gh, CREATE, {
    owner: owner.body.data.repositoryOwner.id,
    title,
    repo: owner.body.data.repository.id,
  });
  assertEquals(created.body.errors, undefined, JSON.stringify(created.body));
  return created.body.data.createProjectV2.projectV2;
}

const ISSUE_ID =
  `query($o: String!, $r: String!, $n: Int!) { repository(owner: $o, name: $r) { issue(number: $n) { id } } }`;

async function issueId(gh: GitHubSandbox, number: number): Promise<string> {
  const [o, r] = gh.repository.split("/");
  return (await post(gh, ISSUE_ID, { o, r, n: number })).body.data.repository.issue.id;
}

const ADD =
  `mutation($p: ID!, $c: ID!) { addProjectV2ItemById(input: {projectId: $p, contentId: $c}) { item { id } } }`;
const SET = `mutation($p: ID!, $i: ID!, $f: ID!, $o: String!) {
  updateProjectV2ItemFieldValue(input: {projectId: $p, itemId: $i, fieldId: $f, value: {singleSelectOptionId: $o}}) {
    projectV2Item { id fieldValueByName(name: "Status") { ... on ProjectV2ItemFieldSingleSelectValue { name optionId } } }
  }
}`;
const ITEMS_OF_ISSUE = `query($o: String!, $r: String!, $n: Int!) {
  repository(owner: $o, name: $r) { issue(number: $n) {
    projectItems(first: 20) { nodes { id project { id number }
      fieldValueByName(name: "Status") { ... on ProjectV2ItemFieldSingleSelectValue { name optionId } } } }
  } }
}`;

Deno.test("parseDocument() reads operations, variables, aliases, fragments and every literal", () => {
  const doc = parseDocument(`
    # a comment
    query Q($a: [Int!]! = [1, 2], $b: String) @x {
      first: node(id: "x\\u0041") { ...F ... on Issue @include(if: true) { n: number } }
      other(obj: {k: ENUM, f: 1.5, n: null, s: """ block """, b: false, v: $b})
    }
    fragment F on Node { id }
  `);
  assertEquals(doc.operations.length, 1);
  const op = doc.operations[0]!;
  assertEquals([op.name, op.variables.map((v) => v.name)], ["Q", ["a", "b"]]);
  const first = op.selections[0]!;
  assert(first.kind === "Field");
  assertEquals([first.alias, first.name, first.args[0]!.value], ["first", "node", {
    kind: "String",
    value: "xA",
    loc: first.args[0]!.value.loc,
  }]);
  assertEquals([...doc.fragments.keys()], ["F"]);
});

Deno.test("GraphQL: a syntax error answers graphql-ruby's parse error with its location and no data", async () => {
  await withSandbox(async (gh) => {
    const { status, body } = await post(gh, 'query { repository(owner: "a" name: "b") { id }');
    assertEquals(status, 200);
    assertEquals(Object.keys(body), ["errors"]);
    assertEquals(body.errors[0].message, "Unexpected end of document");
    const bad = await post(gh, "query { viewer { login } } }");
    assertEquals(bad.body.errors[0].message, 'Parse error on "}" (RCURLY) at [1, 28]');
    assertEquals(bad.body.errors[0].locations, [{ line: 1, column: 28 }]);
  });
});

Deno.test("GraphQL: validation errors (unknown field, missing argument, undeclared variable) come alone, all of them", async () => {
  await withSandbox(async (gh) => {
    const { body } = await post(
      gh,
      'query { viewer { login nope } organization { id } repository(owner: $o, name: "x") { id } }',
    );
    assertEquals(body.data, undefined);
    const codes = body.errors.map((e: Json) => e.extensions?.code);
    assertEquals(codes, ["undefinedField", "missingRequiredArguments", "variableNotDefined"]);
    assertEquals(body.errors[0].message, "Field 'nope' doesn't exist on type 'User'");
    assertEquals(body.errors[0].path, ["query", "viewer", "nope"]);
    assertEquals(body.errors[1].message, "Field 'organization' is missing required arguments: login");
  });
});

Deno.test("GraphQL: a variable of the wrong type is refused before anything runs", async () => {
  await withSandbox(async (gh) => {
    const [o, r] = gh.repository.split("/");
    const { body } = await post(gh, ISSUE_ID, { o, r, n: "seven" });
    assertEquals(body.errors[0].message, "Variable $n of type Int! was provided invalid value");
    assertEquals(body.data, undefined);
  });
});

Deno.test("GraphQL: a missing issue is a NOT_FOUND error beside partial data, with its path", async () => {
  await withSandbox(async (gh) => {
    const [o, r] = gh.repository.split("/");
    const { body } = await post(gh, ISSUE_ID, { o, r, n: 999 });
    assertEquals(body.data, { repository: { issue: null } });
    assertEquals(body.errors, [{
      type: "NOT_FOUND",
      path: ["repository", "issue"],
      locations: [{ line: 1, column: 79 }],
      message: "Could not resolve to an Issue with the number of 999.",
    }]);
  });
});

Deno.test("GraphQL: createProjectV2 makes a project with the default Status options, numbered per owner", async () => {
  await withSandbox(async (gh) => {
    const a = await newProject(gh, "One");
    const b = await newProject(gh, "Two");
    assertEquals([a.number, b.number], [1, 2]);
    assertEquals(a.field.__typename, "ProjectV2SingleSelectField");
    assertEquals(a.field.options.map((o: Json) => o.name), ["Todo", "In Progress", "Done"]);
    assertMatch(a.field.options[0].id, /^[0-9a-f]{8}$/);
    assertEquals(a.url, `${gh.url}/orgs/sandbox-org/projects/1`);
    const found = await post(
      gh,
      `{ organization(login: "sandbox-org") { projectV2(number: 2) { title } missing: projectV2(number: 9) { id } } }`,
    );
    assertEquals(found.body.data.organization.projectV2.title, "Two");
    assertEquals(found.body.errors[0].type, "NOT_FOUND");
    assertEquals(found.body.errors[0].message, "Could not resolve to a ProjectV2 with the number 9.");
  });
});

Deno.test("GraphQL: addProjectV2ItemById is idempotent; a value set reads back through the issue's projectItems", async () => {
  await withSandbox(async (gh) => {
    const project = await newProject(gh);
    const [n] = await gh.seedIssues(1);
    const content = await issueId(gh, n!);
    const first = await post(gh, ADD, { p: project.id, c: content });
    const again = await post(gh, ADD, { p: project.id, c: content });
    assertEquals(first.body.data.addProjectV2ItemById.item.id, again.body.data.addProjectV2ItemById.item.id);
    assertEquals(gh.projects.byId.get(project.id)!.items.length, 1);
    const itemId = first.body.data.addProjectV2ItemById.item.id;
    const done = project.field.options.find((o: Json) => o.name === "Done");
    const set = await post(gh, SET, { p: project.id, i: itemId, f: project.field.id, o: done.id });
    assertEquals(set.body.data.updateProjectV2ItemFieldValue.projectV2Item.fieldValueByName, {
      name: "Done",
      optionId: done.id,
    });
    const [o, r] = gh.repository.split("/");
    const read = await post(gh, ITEMS_OF_ISSUE, { o, r, n });
    assertEquals(read.body.data.repository.issue.projectItems.nodes, [{
      id: itemId,
      project: { id: project.id, number: 1 },
      fieldValueByName: { name: "Done", optionId: done.id },
    }]);
    const wrong = await post(gh, SET, { p: project.id, i: itemId, f: project.field.id, o: "deadbeef" });
    assertEquals(wrong.body.errors[0].message, "The single select option Id does not belong to the field");
    assertEquals(wrong.body.data, { updateProjectV2ItemFieldValue: null });
  });
});

Deno.test("GraphQL: updateProjectV2Field replaces the options with new ids and clears the items' values, as GitHub does", async () => {
  await withSandbox(async (gh) => {
    const project = await newProject(gh);
    const [n] = await gh.seedIssues(1);
    const item = (await post(gh, ADD, { p: project.id, c: await issueId(gh, n!) })).body.data
      .addProjectV2ItemById.item.id;
    await post(gh, SET, { p: project.id, i: item, f: project.field.id, o: project.field.options[0].id });
    const { body } = await post(
      gh,
      `mutation($f: ID!) { updateProjectV2Field(input: {fieldId: $f, singleSelectOptions: [
        {name: "Todo", color: GREEN, description: ""}, {name: "Blocked", color: RED, description: "stuck"}]}) {
        projectV2Field { ... on ProjectV2SingleSelectField { options { id name } } } } }`,
      { f: project.field.id },
    );
    const options = body.data.updateProjectV2Field.projectV2Field.options;
    assertEquals(options.map((o: Json) => o.name), ["Todo", "Blocked"]);
    assert(options[0].id !== project.field.options[0].id, "the kept option got a new id");
    assertEquals(gh.projects.itemsById.get(item)!.values.size, 0);
    const dup = await post(
      gh,
      `mutation($f: ID!) { updateProjectV2Field(input: {fieldId: $f, singleSelectOptions: [
        {name: "A", color: GRAY, description: ""}, {name: "a", color: GRAY, description: ""}]}) { clientMutationId } }`,
      { f: project.field.id },
    );
    assertEquals(dup.body.errors[0].type, "UNPROCESSABLE");
  });
});

Deno.test("GraphQL: connections need first (≤ 100) and page with endCursor", async () => {
  await withSandbox(async (gh) => {
    const project = await newProject(gh);
    for (const n of await gh.seedIssues(3)) await post(gh, ADD, { p: project.id, c: await issueId(gh, n) });
    const page = (after: string | null) =>
      post(
        gh,
        `query($id: ID!, $after: String) { node(id: $id) { ... on ProjectV2 {
          items(first: 2, after: $after) { totalCount nodes { content { ... on Issue { number } } } pageInfo { hasNextPage endCursor } } } } }`,
        { id: project.id, after },
      );
    const one = (await page(null)).body.data.node.items;
    assertEquals([one.totalCount, one.nodes.length, one.pageInfo.hasNextPage], [3, 2, true]);
    const two = (await page(one.pageInfo.endCursor)).body.data.node.items;
    assertEquals([two.nodes.length, two.pageInfo.hasNextPage], [1, false]);
    const none = await post(
      gh,
      `query($id: ID!) { node(id: $id) { ... on ProjectV2 { items { totalCount } } } }`,
      {
        id: project.id,
      },
    );
    assertEquals(none.body.errors[0].type, "MISSING_PAGINATION_BOUNDARIES");
    const big = await post(
      gh,
      `query($id: ID!) { node(id: $id) { ... on ProjectV2 { items(first: 101) { totalCount } } } }`,
      {
        id: project.id,
      },
    );
    assertEquals(big.body.errors[0].type, "EXCESSIVE_PAGINATION");
  });
});

Deno.test("GraphQL: a read-only token cannot change projects; a token without access cannot see them", async () => {
  await withSandbox(async (gh) => {
    const project = await newProject(gh);
    const [n] = await gh.seedIssues(1);
    const content = await issueId(gh, n!);
    const read = await post(gh, ADD, { p: project.id, c: content }, gh.tokens.read);
    assertEquals(read.body.errors[0].type, "FORBIDDEN");
    const none = await post(gh, ADD, { p: project.id, c: content }, gh.tokens.none);
    assertEquals(none.body.errors[0].type, "NOT_FOUND");
    assertEquals(gh.projects.byId.get(project.id)!.items.length, 0);
  });
});

Deno.test("GraphQL: no token is a 401, a body that is not JSON a 400", async () => {
  await withSandbox(async (gh) => {
    const anonymous = await post(gh, "{ viewer { login } }", {}, null);
    assertEquals(anonymous.status, 401);
    assertStringIncludes(anonymous.body.message, "requires you to be authenticated");
    const bad = await post(gh, "{ viewer { login } }", {}, "ghp_wrong");
    assertEquals([bad.status, bad.body.message], [401, "Bad credentials"]);
    const res = await fetch(gh.graphqlUrl, {
      method: "POST",
      headers: { authorization: `bearer ${gh.token}` },
      body: "{not json",
    });
    assertEquals([res.status, (await res.json()).message], [400, "Problems parsing JSON"]);
  });
});

Deno.test("GraphQL: the graphql budget counts down in the headers and, once spent, answers RATE_LIMITED", async () => {
  await withSandbox(async (gh) => {
    const first = await post(gh, "{ viewer { login } }");
    assertEquals(first.headers.get("x-ratelimit-resource"), "graphql");
    assertEquals(first.headers.get("x-ratelimit-remaining"), "4999");
    assertEquals(first.body.data.viewer.login, "sandbox-bot");
    gh.setGraphqlBudget(0);
    const limited = await post(gh, "{ viewer { login } }");
    assertEquals(limited.status, 200);
    assertEquals(limited.body.errors[0].type, "RATE_LIMITED");
    assertEquals(limited.headers.get("x-ratelimit-remaining"), "0");
  });
});

Deno.test("GraphQL: scripted faults apply to the GraphQL endpoint too", async () => {
  await withSandbox(async (gh) => {
    gh.faults.add({ kind: "status", status: 502, path: "/api/graphql" });
    const res = await post(gh, "{ viewer { login } }");
    assertEquals(res.status, 502);
    assertEquals(gh.log.count({ path: "/api/graphql", status: 502 }), 1);
    // `after`: a fault in the middle of a run, once the first requests got through.
    gh.faults.add({ kind: "status", status: 503, path: "/api/graphql", after: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(gh, "{ viewer { login } }")).status);
    assertEquals(statuses, [200, 200, 503, 200]);
  });
});

Deno.test("GraphQL: @octokit/graphql reaches /api/graphql from a GHES base URL and /graphql from an api.github.com-like one", async () => {
  for (const basePath of ["/api/v3", ""]) {
    await withSandbox(async (gh) => {
      const client = graphql.defaults({
        baseUrl: gh.apiUrl,
        headers: { authorization: `token ${gh.token}` },
      });
      const data = await client<{ viewer: { login: string } }>("{ viewer { login } }");
      assertEquals(data.viewer.login, "sandbox-bot");
      try {
        await client(`{ organization(login: "nobody") { id } }`);
        throw new Error("expected a failure");
      } catch (error) {
        assert(error instanceof GraphqlResponseError, String(error));
        assertEquals(error.errors?.[0]?.type, "NOT_FOUND");
      }
    }, basePath);
  }
});

const SET_MILESTONE = `mutation($m: ID, $a: ID!, $b: ID!) {
  a: updateIssue(input: {id: $a, milestoneId: $m}) { issue { number milestone { number title } } }
  b: updateIssue(input: {id: $b, milestoneId: $m}) { issue { number milestone { number title } } }
}`;

Deno.test("GraphQL: aliased updateIssue mutations set milestones by node id like PATCH does; a deleted issue is refused alone", async () => {
  await withSandbox(async (gh) => {
    const [a, b] = await gh.seedIssues(2, (i) => ({ title: `Issue ${i}`, milestone: null }));
    const issueA = gh.repoRec.issues[a! - 1]!;
    const issueB = gh.repoRec.issues[b! - 1]!;
    const m = gh.repoRec.milestones[0]!;
    const before = issueA.updated_at;
    const set = await post(gh, SET_MILESTONE, { m: m.node_id, a: issueA.node_id, b: issueB.node_id });
    assertEquals(set.body.errors, undefined, JSON.stringify(set.body));
    assertEquals(set.body.data.a.issue.milestone, { number: m.number, title: m.title });
    assertEquals([issueA.milestone, issueB.milestone], [m.number, m.number]);
    assert(issueA.updated_at >= before);
    const [login, repo] = gh.repository.split("/");
    const read = await post(
      gh,
      `query($o: String!, $r: String!) { repository(owner: $o, name: $r) { m: milestone(number: ${m.number}) { id number } none: milestone(number: 99) { id } } }`,
      { o: login, r: repo },
    );
    assertEquals(read.body.data.repository, { m: { id: m.node_id, number: m.number }, none: null });

    gh.state.deleteIssue(gh.repoRec, b!);
    const cleared = await post(gh, SET_MILESTONE, { m: null, a: issueA.node_id, b: issueB.node_id });
    assertEquals(cleared.body.data.a.issue.milestone, null);
    assertEquals(cleared.body.data.b, null);
    assertEquals(cleared.body.errors.map((e: Json) => [e.type, e.path]), [["NOT_FOUND", ["b"]]]);
    assertEquals(issueA.milestone, null);

    const wrong = await post(gh, SET_MILESTONE, { m: issueA.node_id, a: issueA.node_id, b: issueA.node_id });
    assertEquals(wrong.body.errors.map((e: Json) => e.type), ["NOT_FOUND", "NOT_FOUND"]);
    const reader = await post(
      gh,
      SET_MILESTONE,
      { m: m.node_id, a: issueA.node_id, b: issueA.node_id },
      gh.tokens.read,
    );
    assertEquals(reader.body.errors.map((e: Json) => e.type), ["FORBIDDEN", "FORBIDDEN"]);
    assertEquals(issueA.milestone, null, "nothing written by the refused mutations");
  });
});
