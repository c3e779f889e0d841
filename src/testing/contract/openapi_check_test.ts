import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import type { RecordedExchange } from "../sandbox.ts";
import { githubRestChecker } from "./github.ts";
import { OpenApiChecker } from "./openapi_check.ts";
import { checkValue, TypeResolver } from "./ts_check.ts";
import { parseType, TsDefs } from "./ts_defs.ts";

function exchange(fields: Partial<RecordedExchange> & { method: string; path: string }): RecordedExchange {
  return {
    query: "",
    status: 200,
    faulted: false,
    requestType: "application/json",
    requestBody: "",
    responseType: "application/json",
    responseBody: "",
    ...fields,
  };
}

const ISSUE_ANSWER = await (async () => {
  const { createGitHubSandbox } = await import("../github_sandbox.ts");
  const gh = await createGitHubSandbox();
  try {
    const res = await fetch(`${gh.apiUrl}/repos/${gh.repository}/issues`, {
      method: "POST",
      headers: { authorization: `token ${gh.token}`, "content-type": "application/json" },
      body: JSON.stringify({ title: "An issue" }),
    });
    return await res.text();
  } finally {
    await gh.close();
  }
})();

Deno.test("TsDefs reads interfaces, aliases, literals, optional and index members, indexed access", () => {
  const defs = new TsDefs(
    `export interface paths {\n  "/a/{id}": { get: operations["get-a"] };\n}\n` +
      `export interface components {\n  schemas: { a: { id: number; name?: string | null; kind: "x" | "y"; tags: string[] } & Readonly<Record<string, unknown>> };\n}\n` +
      `export interface operations {\n  "get-a": { responses: { 200: { content: { "application/json": components["schemas"]["a"] } } } };\n}\n` +
      `interface Base extends Record<string, unknown> {\n  id: number;\n}\n` +
      `interface Child extends Base {\n  title: string;\n}\n` +
      `type Options = {\n  perPage?: number;\n};\n`,
    "inline",
  );
  const r = new TypeResolver(defs);
  const a = parseType(`components["schemas"]["a"]`);
  assertEquals(checkValue(r, { id: 1, kind: "x", tags: [] }, a, "a", { mode: "response" }), []);
  assertEquals(checkValue(r, { id: 1, kind: "x", tags: [], more: 1 }, a, "a", { mode: "response" }), []);
  assertEquals(checkValue(r, { id: 1, kind: "x", tags: [], more: 1 }, a, "a", { mode: "request" }), [
    "a.more is not a field the definition names",
  ]);
  assertEquals(checkValue(r, { id: "1", kind: "z", tags: [3] }, a, "a", { mode: "response" }), [
    'a.id is "1", not a number',
    'a.kind is "z", not one of "x", "y"',
    "a.tags[0] is 3, not a string",
  ]);
  assertEquals(checkValue(r, { title: "t" }, parseType("Child"), "c", { mode: "response" }), [
    "c.id is missing",
  ]);
  assertEquals(
    checkValue(r, { id: null, title: "t" }, parseType("Child"), "c", { mode: "response", nullable: true }),
    [],
  );
  assertEquals(checkValue(r, { per_page: 1 }, parseType("Options"), "o", { mode: "request" }), [
    "o.per_page is not in the definition",
  ]);
  const checker = new OpenApiChecker({ defs, basePath: "" });
  assertEquals(checker.template("/a/7"), "/a/{id}");
  assertEquals(checker.template("/b"), undefined);
});

Deno.test("the GitHub checker refuses a misspelled REST body field, query parameter, method or path", async () => {
  const checker = await githubRestChecker();
  const create = (body: unknown) =>
    exchange({
      method: "POST",
      path: "/api/v3/repos/o/r/issues",
      status: 201,
      requestBody: JSON.stringify(body),
      responseBody: ISSUE_ANSWER,
    });
  assertEquals(checker.checkOne(create({ title: "t", labels: ["a"], assignees: ["x"], milestone: 1 })), []);
  const misspelled = checker.checkOne(create({ title: "t", lables: ["a"] }));
  assertEquals(misspelled.map((p) => p.problem), ["body.lables is not in the definition"]);
  assertEquals(misspelled[0]!.template, "/repos/{owner}/{repo}/issues");
  const wrongType = checker.checkOne(create({ title: "t", milestone: { number: 1 } }));
  assert(wrongType.length > 0, "a milestone object is not a number, string or null");
  const missing = checker.checkOne(create({ body: "no title" }));
  assertEquals(missing.map((p) => p.problem), ["body.title is missing"]);
  const query = checker.checkOne(
    exchange({ method: "GET", path: "/api/v3/repos/o/r/issues", query: "?stat=all" }),
  );
  assertStringIncludes(query.map((p) => p.problem).join("\n"), `query parameter "stat" is not documented`);
  const value = checker.checkOne(
    exchange({ method: "GET", path: "/api/v3/repos/o/r/issues", query: "?state=any" }),
  );
  assertStringIncludes(value.map((p) => p.problem).join("\n"), `query parameter "state" is "any"`);
  assertEquals(
    checker.checkOne(exchange({ method: "PUT", path: "/api/v3/repos/o/r/issues/1" })).map((p) => p.problem),
    ["PUT is not documented for /repos/{owner}/{repo}/issues/{issue_number}"],
  );
  assertEquals(
    checker.checkOne(exchange({ method: "GET", path: "/api/v3/repos/o/r/isues" })).map((p) => p.problem),
    ["no documented path matches"],
  );
});

Deno.test("the GitHub checker refuses a sandbox answer missing a field or with a wrong type", async () => {
  const checker = await githubRestChecker();
  const answer = JSON.parse(ISSUE_ANSWER);
  delete answer.node_id;
  answer.number = String(answer.number);
  const problems = checker.checkOne(exchange({
    method: "POST",
    path: "/api/v3/repos/o/r/issues",
    status: 201,
    requestBody: `{"title":"t"}`,
    responseBody: JSON.stringify(answer),
  })).map((p) => p.problem);
  assertStringIncludes(problems.join("\n"), "answer 201.node_id is missing");
  assertStringIncludes(problems.join("\n"), "answer 201.number is");
  const undocumented = checker.checkOne(exchange({
    method: "POST",
    path: "/api/v3/repos/o/r/issues",
    status: 418,
    requestBody: `{"title":"t"}`,
    responseBody: "{}",
  }));
  assertEquals(undocumented.map((p) => p.problem), ["status 418 is not documented"]);
});

Deno.test("the Bitbucket checker refuses a misspelled body field though Bitbucket's schemas admit extra fields", async () => {
  const { bitbucketChecker } = await import("./bitbucket.ts");
  const checker = await bitbucketChecker();
  const create = (body: unknown) =>
    checker.checkOne(exchange({
      method: "POST",
      path: "/2.0/repositories/w/r/issues",
      status: 0,
      requestBody: JSON.stringify(body),
    })).map((p) => p.problem);
  assertEquals(create({ title: "t", content: { raw: "b" }, kind: "bug", assignee: { account_id: "1" } }), []);
  assertEquals(create({ title: "t", content: { raw: "b" }, kindd: "bug" }), [
    "body.kindd is not a field the definition names",
  ]);
  assertEquals(create({ title: "t", content: { raw: "b" }, kind: "feature" }).length > 0, true);
});

Deno.test("the GitLab checker refuses a misspelled body field, an ill-typed one and an undefined endpoint", async () => {
  const { checkGitLabExchanges } = await import("./gitlab.ts");
  const edit = (body: unknown) =>
    checkGitLabExchanges([exchange({
      method: "PUT",
      path: "/api/v4/projects/a%2Fb/issues/3",
      status: 0,
      requestBody: JSON.stringify(body),
    })]).then((ps) => ps.map((p) => p.problem));
  assertEquals(await edit({ title: "t", assignee_ids: [1, 2], add_labels: "a", state_event: "close" }), []);
  assertEquals(await edit({ title: "t", asignee_ids: [1] }), ["body.asigneeIds is not in the definition"]);
  assertEquals(await edit({ assignee_ids: "1" }), ['body.assigneeIds is "1", not a list']);
  const query = await checkGitLabExchanges([exchange({
    method: "GET",
    path: "/api/v4/projects/a%2Fb/milestones",
    query: "?include_ancestors=true&titel=v1",
    status: 0,
  })]);
  assertEquals(query.map((p) => p.problem), ["query.titel is not in the definition"]);
  const unknown = await checkGitLabExchanges([
    exchange({ method: "GET", path: "/api/v4/projects/a%2Fb/wikis" }),
  ]);
  assertEquals(unknown.map((p) => p.problem), ["no Gitbeaker definition covers this endpoint"]);
});
