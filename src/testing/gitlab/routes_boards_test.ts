import { assertEquals } from "../assert.ts";
import { createGitLabSandbox, type GitLabSandbox } from "../gitlab_sandbox.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

async function call(
  gl: GitLabSandbox,
  method: string,
  path: string,
  body?: Record<string, unknown>,
  token = gl.token,
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${gl.apiUrl}/projects/${encodeURIComponent(gl.repository)}${path}`, {
    method,
    headers: { "PRIVATE-TOKEN": token, ...(body ? { "content-type": "application/json" } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

Deno.test("GitLab sandbox: boards, label lists and labels answer as GitLab does", async () => {
  const gl = await createGitLabSandbox();
  try {
    const label = await call(gl, "POST", "/labels", { name: "Doing", color: "#F0AD4E" });
    assertEquals([label.status, label.body.name, label.body.color], [201, "Doing", "#F0AD4E"]);
    assertEquals((await call(gl, "POST", "/labels", { name: "Doing", color: "#000000" })).status, 409);
    assertEquals((await call(gl, "POST", "/labels", { name: "X", color: "red" })).body, {
      message: { color: ["must be a valid color code"] },
    });
    assertEquals((await call(gl, "POST", "/labels", { name: "X" })).body, { error: "color is missing" });

    const board = await call(gl, "POST", "/boards", { name: "Sprint" });
    assertEquals([board.status, board.body.name, board.body.lists], [201, "Sprint", []]);
    const id = board.body.id;
    const list = await call(gl, "POST", `/boards/${id}/lists`, { label_id: label.body.id });
    assertEquals([list.status, list.body.label.name, list.body.position], [201, "Doing", 0]);
    assertEquals((await call(gl, "POST", `/boards/${id}/lists`, { label_id: label.body.id })).body, {
      message: { label: ["has already been taken"] },
    });
    assertEquals((await call(gl, "POST", `/boards/${id}/lists`, { label_id: 1 })).body, {
      message: "404 Label Not Found",
    });
    assertEquals((await call(gl, "POST", `/boards/${id}/lists`, {})).status, 400);
    assertEquals((await call(gl, "POST", `/boards/${id}/lists`, { milestone_id: 1 })).status, 400);
    const shown = await call(gl, "GET", `/boards/${id}`);
    assertEquals(shown.body.lists.map((l: Json) => l.label.name), ["Doing"]);
    assertEquals((await call(gl, "GET", `/boards/${id}/lists`)).body.length, 1);
    assertEquals((await call(gl, "GET", "/boards")).body.map((b: Json) => b.id), [id]);
    assertEquals((await call(gl, "GET", "/boards/1")).body, { message: "404 Board Not Found" });
    assertEquals((await call(gl, "POST", "/boards", { name: "No" }, gl.tokens.read)).status, 403);
    assertEquals((await call(gl, "GET", "/boards", undefined, gl.tokens.none)).status, 404);
  } finally {
    await gl.close();
  }
});
