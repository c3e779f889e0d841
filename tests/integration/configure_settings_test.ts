/**
 * `configure` on an existing repository changes only the settings it is given, and `null` clears
 * one (issue 9, finding 6; SPEC §12); without `platform` it means GitHub for a new repository and
 * the repository's own platform for an existing one.
 */
import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { dumpSync, openSession, PLATFORMS, type Session, taskWithIssue } from "./sync_support.ts";

const G = "orchestrator_git_integration";

async function withSession(
  pc: (typeof PLATFORMS)[number],
  f: (s: Session) => Promise<void>,
): Promise<void> {
  const s = await openSession(pc, {
    env: (h) => ({
      FORGESYNC_TOKEN_VARIABLES: "ACME_TOKEN",
      ACME_TOKEN: h.token,
      ACME_WEBHOOK_SECRET: "webhook-secret-value",
      FORGESYNC_ALLOWED_API_HOSTS: new URL(h.apiUrl).origin,
    }),
  });
  try {
    await f(s);
  } finally {
    await s.close();
  }
}

/** The settings of a configuration, without its id and timestamps. */
function settingsOf(config: Record<string, unknown>): Record<string, unknown> {
  const { config_id: _, created_at: __, updated_at: ___, ...rest } = config;
  return rest;
}

for (const pc of PLATFORMS.filter((p) => p.labels)) {
  const P = pc.platform;

  Deno.test(`${P}: configure with one setting changes only that setting; null clears one`, () =>
    withSession(pc, async (s) => {
      const full = {
        api_token_name: "ACME_TOKEN",
        webhook_secret_name: "ACME_WEBHOOK_SECRET",
        default_labels: ["forgesync"],
        issue_template: "{{body}}\n\n(from forgesync)",
        status_mapping: { in_progress: "doing", blocked: "stuck" },
        api_url: s.h.apiUrl,
        auto_sync_enabled: false,
        conflict_policy: "local_wins",
      };
      const first = (await s.configure(full)).config;
      for (const [key, value] of Object.entries(full)) assertEquals(first[key], value, key);

      const { config: second } = await s.configure({ conflict_policy: "remote_wins" });
      assertEquals(settingsOf(second), { ...settingsOf(first), conflict_policy: "remote_wins" });
      assertEquals(second.config_id, first.config_id);

      const { config: third } = await s.configure({ issue_template: null, status_mapping: null });
      assertEquals(settingsOf(third), {
        ...settingsOf(second),
        issue_template: null,
        status_mapping: null,
      });

      // null sets the others back to their defaults.
      const { config: cleared } = await s.configure({
        api_token_name: null,
        webhook_secret_name: null,
        default_labels: null,
        api_url: null,
        auto_sync_enabled: null,
        conflict_policy: null,
      });
      assertEquals(cleared.api_token_name, null);
      assertEquals(cleared.webhook_secret_name, null);
      assertEquals(cleared.default_labels, []);
      assertEquals(cleared.api_url, null);
      assertEquals(cleared.auto_sync_enabled, true);
      assertEquals(cleared.conflict_policy, "newest_wins");
    }));

  Deno.test(`${P}: re-configuring only conflict_policy keeps a custom status mapping, so a sync keeps in-progress tasks`, () =>
    withSession(pc, async (s) => {
      await s.configure({ status_mapping: { in_progress: "doing" } });
      const { task_id, number } = await taskWithIssue(s, { title: "Keep me in progress" });
      await s.task({ action: "update", task_id, status: "in_progress" });
      assertEquals((await s.git({ action: "sync_status" })).run.status, "completed");
      assert(s.h.readIssue(number)!.labels.includes("doing"), JSON.stringify(s.h.readIssue(number)));

      await s.configure({ conflict_policy: "remote_wins" });
      await s.h.remoteEdit(number, { title: "Renamed on the forge" });
      const { run } = await s.git({ action: "sync_status" });
      assertEquals(run.status, "completed");
      const { task } = await s.task({ action: "get", task_id });
      assertEquals(task.title, "Renamed on the forge");
      assertEquals(task.status, "in_progress", "the task did not move back to pending");
    }));
}

Deno.test("configure without platform means github for a new repository", () =>
  withSession(PLATFORMS[0]!, async (s) => {
    const { config } = await s.git({ action: "configure", repository: s.h.repository });
    assertEquals(config.platform, "github");
    assertEquals(config.repository, s.h.repository);
  }));

Deno.test("configure without platform keeps an existing repository's platform and settings", () =>
  withSession(PLATFORMS.find((p) => p.platform === "gitlab")!, async (s) => {
    const { config: first } = await s.configure({ default_labels: ["kept"] });
    assertEquals(first.platform, "gitlab");
    const { config } = await s.git({
      action: "configure",
      repository: s.h.repository,
      auto_sync_enabled: false,
    });
    assertEquals(config.platform, "gitlab");
    assertEquals(config.config_id, first.config_id);
    assertEquals(config.default_labels, ["kept"]);
    assertEquals(config.auto_sync_enabled, false);
  }));

Deno.test("configure refusing a merged setting (a forbidden token variable) changes nothing", () =>
  withSession(PLATFORMS[0]!, async (s) => {
    await s.configure({ default_labels: ["kept"] });
    const before = await dumpSync(s.c);
    const r = await s.call(G, {
      action: "configure",
      repository: s.h.repository,
      conflict_policy: "manual",
      api_token_name: "HOME",
    });
    assert(r.isError, r.text);
    assertEquals(r.structured.error.code, "FORBIDDEN");
    assertStringIncludes(r.structured.error.hint, "FORGESYNC_TOKEN_VARIABLES");
    assertEquals(await dumpSync(s.c), before);
  }));
