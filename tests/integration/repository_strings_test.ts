/**
 * Hostile repository strings and addresses (issue 9, findings 2 and 3), on each platform's sandbox:
 * - a string carrying credentials (`https://user:token@host/…`, a token-shaped part) is refused
 *   with VALIDATION_ERROR and is never stored, echoed or written to the database file or its WAL;
 * - a malformed percent-escape (`%ZZ`) is VALIDATION_ERROR naming the value, never INTERNAL;
 * - tool results pass through the same redaction as logs.
 */
import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { dumpSync, openSession, PLATFORMS, type Session } from "./sync_support.ts";
import { assertNotInDatabaseFiles, walSize } from "./secret_support.ts";

const G = "orchestrator_git_integration";
const B = "orchestrator_project_board_manager";

async function withSession(
  pc: (typeof PLATFORMS)[number],
  f: (s: Session) => Promise<void>,
  env: Record<string, string> = {},
): Promise<void> {
  const s = await openSession(pc, { env });
  try {
    await f(s);
  } finally {
    await s.close();
  }
}

/** A secret that no redaction pattern recognises by its shape: only its position says it is one. */
const PLAIN_SECRET = "s3cr3tPassw0rdWithNoShape";
const GITHUB_SHAPED = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
const GITLAB_SHAPED = "glpat-" + "Zz9Yy8Xx7Ww6Vv5Uu4Tt";

const HOSTS = { github: "github.com", gitlab: "gitlab.com", bitbucket: "bitbucket.org" } as const;

for (const pc of PLATFORMS) {
  const P = pc.platform;
  const host = HOSTS[P];

  Deno.test(`${P}: a repository string carrying credentials is refused, never stored, echoed or logged to the database files`, () =>
    withSession(pc, async (s) => {
      await s.configure();
      const path = s.h.repository;
      const hostile = [
        `https://x-access-token:${GITHUB_SHAPED}@${host}/${path}.git`,
        `https://oauth2:${GITLAB_SHAPED}@${host}/${path}.git`,
        `https://someone:${PLAIN_SECRET}@${host}/${path}`,
        `https://${GITHUB_SHAPED}@${host}/${path}`,
        `ssh://git:${PLAIN_SECRET}@${host}/${path}.git`,
      ];
      const secrets = [GITHUB_SHAPED, GITLAB_SHAPED, PLAIN_SECRET];
      for (const repository of hostile) {
        const before = await dumpSync(s.c);
        for (
          const args of [
            { action: "configure", platform: P, repository },
            { action: "sync_status", repository },
            { action: "status", repository },
            {
              action: "link_task",
              task_id: "task_01ARZ3NDEKTSV4RRFFQ69G5FAV",
              issue_url: `${repository}/issues/1`,
            },
          ]
        ) {
          const r = await s.call(G, args);
          assert(r.isError, `${args.action} with ${repository} should be refused: ${r.text}`);
          assertEquals(r.structured.error.code, "VALIDATION_ERROR", r.text);
          assertStringIncludes(r.structured.error.message, "credentials");
          for (const secret of secrets) {
            assert(!r.text.includes(secret), `${args.action} echoed ${secret}: ${r.text}`);
          }
        }
        assertEquals(await dumpSync(s.c), before, `${repository} changed the database`);
      }
      const status = await s.git({ action: "status" });
      for (const secret of secrets) assert(!JSON.stringify(status).includes(secret));
      assert(await walSize(s.c.dbUrl) > 0, "the WAL holds frames, so checking it means something");
      await assertNotInDatabaseFiles(s.c.dbUrl, [...secrets, s.h.token]);
    }));

  Deno.test(`${P}: a repository URL with a user name and no password is kept without the user name`, () =>
    withSession(pc, async (s) => {
      const { config } = await s.git({
        action: "configure",
        platform: P,
        repository: `https://someone@${host}/${s.h.repository}.git`,
      });
      assertEquals(config.repository, s.h.repository);
      assert(!config.repository_url.includes("someone"), config.repository_url);
      await assertNotInDatabaseFiles(s.c.dbUrl, ["someone@"]);
    }));

  Deno.test(`${P}: a malformed percent-escape is VALIDATION_ERROR naming the value, never INTERNAL`, () =>
    withSession(pc, async (s) => {
      await s.configure();
      const bad = [
        `https://${host}/o/%ZZ`,
        `https://${host}/%E0%A4%A/r`,
        ...(P === "gitlab" ? [`https://${host}/api/v4/projects/%ZZ`] : []),
      ];
      for (const repository of bad) {
        const before = await dumpSync(s.c);
        const r = await s.call(G, { action: "configure", platform: P, repository });
        assert(r.isError, r.text);
        assertEquals(r.structured.error.code, "VALIDATION_ERROR", `${repository}: ${r.text}`);
        assertStringIncludes(r.structured.error.message, repository);
        const linked = await s.call(G, {
          action: "link_task",
          task_id: "task_01ARZ3NDEKTSV4RRFFQ69G5FAV",
          issue_url: `${repository}/issues/3`,
        });
        assert(linked.isError, linked.text);
        assert(linked.structured.error.code !== "INTERNAL", `link_task ${repository}: ${linked.text}`);
        assertEquals(await dumpSync(s.c), before);
      }
      if (P !== "bitbucket") {
        const boardUrl = P === "github"
          ? `https://github.com/orgs/%ZZ/projects/1`
          : `https://gitlab.com/%ZZ/-/boards/1`;
        const r = await s.call(B, { action: "create_board", board_url: boardUrl });
        assert(r.isError, r.text);
        assert(r.structured.error.code !== "INTERNAL", `create_board ${boardUrl}: ${r.text}`);
      }
    }));
}

Deno.test("tool results pass through the same redaction as logs", () =>
  withSession(PLATFORMS[0]!, async (s) => {
    const { task } = await s.task({
      action: "create",
      title: "Rotate the token",
      description: `The old one was ${GITHUB_SHAPED}; the value of GITHUB_TOKEN is ${s.h.token}.`,
    });
    assert(!JSON.stringify(task).includes(GITHUB_SHAPED), JSON.stringify(task));
    assert(!JSON.stringify(task).includes(s.h.token), "the value of a token variable is redacted");
    assertStringIncludes(task.description, "[REDACTED]");
    const listed = await s.call("orchestrator_task", { action: "list" });
    assert(!listed.text.includes(GITHUB_SHAPED) && !listed.text.includes(s.h.token), listed.text);
  }));
