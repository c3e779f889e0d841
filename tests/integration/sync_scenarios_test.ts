/**
 * The reconciliation scenarios (SPEC §7, §12), through the MCP tools, on each platform's sandbox:
 * remote changes reach local items, local changes reach the forge, a pass after a clean pass plans
 * and writes nothing (and `dry_run` never writes), conflicts are settled by the configured policy
 * and always recorded, bad input changes nothing, and faults never duplicate an issue.
 *
 * One table of platforms drives every scenario; capabilities are respected (Bitbucket: no labels,
 * one assignee, `failed` reads back as `cancelled`; GitLab: no close reason).
 */
import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import {
  dumpSync,
  issuesWithMarker,
  openSession,
  pause,
  PLATFORMS,
  query,
  type Session,
  taskBody,
  taskMarker,
  taskWithIssue,
  writes,
} from "./sync_support.ts";

const G = "orchestrator_git_integration";

async function withSession(
  pc: (typeof PLATFORMS)[number],
  f: (s: Session) => Promise<void>,
  options: Parameters<typeof openSession>[1] = {},
): Promise<void> {
  const s = await openSession(pc, options);
  try {
    await f(s);
  } finally {
    await s.close();
  }
}

for (const pc of PLATFORMS) {
  const P = pc.platform;

  Deno.test(`${P}: a person closes the feature's issue on the forge; sync_status completes the feature`, () =>
    withSession(pc, async (s) => {
      await s.configure();
      const { feature } = await s.feature({
        action: "propose",
        title: "Dark mode",
        specification: "Follow the system setting.",
      });
      await s.feature({ action: "approve", feature_id: feature.feature_id });
      const created = await s.git({ action: "create_issue", feature_id: feature.feature_id });
      assertEquals(created.sync_status, "synced");
      const number = created.link.issue_number as number;
      const onForge = s.h.readIssue(number)!;
      assertEquals(onForge.title, "Dark mode");
      assertEquals(onForge.status, "open");
      assertStringIncludes(onForge.body, "Follow the system setting.");
      assertStringIncludes(onForge.body, `<!-- forgesync:feature=${feature.feature_id} -->`);

      await s.h.remoteEdit(number, { status: "completed" });
      const { run } = await s.git({ action: "sync_status" });
      assertEquals(run.status, "completed");
      assertEquals(run.pulled, 1);
      const after = await s.feature({ action: "get", feature_id: feature.feature_id });
      assertEquals(after.feature.status, "completed");
      assertEquals(s.h.readIssue(number)!.status, "completed");
    }));

  Deno.test(`${P}: a task edited locally reaches its issue on sync_status`, () =>
    withSession(pc, async (s) => {
      await s.configure();
      const labels = pc.labels ? ["docs"] : [];
      const { task_id, number } = await taskWithIssue(s, { title: "Write docs", labels });
      assertEquals(s.h.readIssue(number)!.labels, labels);

      const newLabels = pc.labels ? ["docs", "ui"] : [];
      await s.task({
        action: "update",
        task_id,
        title: "Write the dark-mode docs",
        description: "Screenshots included.",
        status: "in_progress",
        ...(pc.labels ? { labels: newLabels } : {}),
      });
      const { run } = await s.git({ action: "sync_status" });
      assertEquals(run.status, "completed");
      assertEquals(run.pushed, 1);
      const issue = s.h.readIssue(number)!;
      assertEquals(issue.title, "Write the dark-mode docs");
      assertEquals(issue.body, taskBody(task_id, "Screenshots included."));
      assertEquals(issue.status, "in_progress");
      assertEquals([...issue.labels].sort(), newLabels);
      // The local side is untouched by its own push.
      const { task } = await s.task({ action: "get", task_id });
      assertEquals(task.title, "Write the dark-mode docs");
      assertEquals(task.status, "in_progress");
    }));

  Deno.test(`${P}: a pass right after a clean pass plans nothing and writes nothing; dry_run never writes`, () =>
    withSession(pc, async (s) => {
      await s.configure();
      const { task_id, number } = await taskWithIssue(s, { title: "Steady" });
      await s.task({ action: "update", task_id, status: "in_progress" });
      await s.h.remoteEdit(number, { body: `Edited remotely.\n\n${taskMarker(task_id)}` });
      const first = await s.git({ action: "sync_status" });
      assertEquals(first.run.status, "completed");

      const before = await dumpSync(s.c);
      const writesBefore = writes(s.h);
      const again = await s.git({ action: "sync_status" });
      assertEquals(again.run.status, "completed");
      assertEquals([again.run.pulled, again.run.pushed, again.run.created, again.run.conflicts], [
        0,
        0,
        0,
        0,
      ]);
      assertEquals(await dumpSync(s.c), before);
      assertEquals(writes(s.h), writesBefore);

      // dry_run with nothing to do: an empty plan, nothing written.
      const dryEmpty = await s.git({ action: "sync_status", dry_run: true });
      assertEquals(dryEmpty.plan, []);
      assertEquals(await dumpSync(s.c), before);
      assertEquals(writes(s.h), writesBefore);

      // dry_run with something to do: the plan, and still nothing written on either side.
      await s.task({ action: "update", task_id, title: "Steady, renamed" });
      await s.h.remoteEdit(number, { status: "blocked" });
      const planned = await dumpSync(s.c);
      const dry = await s.git({ action: "sync_status", dry_run: true });
      assertEquals(dry.run.dry_run, true);
      assertEquals(dry.plan.length, 1);
      assertEquals(dry.plan[0].issue_number, number);
      assertEquals(dry.plan[0].remote.title, "Steady, renamed");
      assertEquals(dry.plan[0].local.status, "blocked");
      assertEquals(await dumpSync(s.c), planned);
      assertEquals(writes(s.h), writesBefore);
      assertEquals(s.h.readIssue(number)!.title, "Steady");
      assertEquals((await s.task({ action: "get", task_id })).task.status, "in_progress");

      // The real pass then does what the plan said.
      const real = await s.git({ action: "sync_status" });
      assertEquals(real.run.status, "completed");
      assertEquals(s.h.readIssue(number)!.title, "Steady, renamed");
      assertEquals((await s.task({ action: "get", task_id })).task.status, "blocked");
    }));

  // Conflict policies: both sides change the title between two passes.
  for (const policy of ["newest_wins", "local_wins", "remote_wins", "manual"] as const) {
    Deno.test(`${P}: conflict policy ${policy} settles a title changed on both sides and records it`, () =>
      withSession(pc, async (s) => {
        await s.configure(policy === "newest_wins" ? {} : { conflict_policy: policy });
        const a = await taskWithIssue(s, { title: "Base A" });
        const b = await taskWithIssue(s, { title: "Base B" });
        // Link a: the local edit is the older one; link b: the remote edit is the older one.
        await s.task({ action: "update", task_id: a.task_id, title: "A local" });
        await s.h.remoteEdit(b.number, { title: "B remote" });
        await pause(1100); // timestamps on the forge have one-second resolution
        await s.h.remoteEdit(a.number, { title: "A remote" });
        await s.task({ action: "update", task_id: b.task_id, title: "B local" });

        const { run } = await s.git({ action: "sync_status" });
        assertEquals(run.status, "completed");
        assertEquals(run.conflicts, 2);

        const winner = (side: "a" | "b") => {
          const local = side === "a" ? "A local" : "B local";
          const remote = side === "a" ? "A remote" : "B remote";
          if (policy === "local_wins") return local;
          if (policy === "remote_wins") return remote;
          // newest_wins: a's remote edit and b's local edit came last.
          return side === "a" ? remote : local;
        };
        const rows = await query<Record<string, string>>(
          s.c,
          `SELECT c.*, l.task_id FROM sync_conflicts c JOIN feature_issue_links l ON l.id = c.link_id ORDER BY c.id`,
        );
        assertEquals(rows.length, 2);
        for (const [side, link] of [["a", a], ["b", b]] as const) {
          const row = rows.find((r) => r.task_id === link.task_id)!;
          const base = side === "a" ? "Base A" : "Base B";
          assertEquals(
            [row.field, row.base_local, row.base_remote, row.local_value, row.remote_value, row.policy],
            ["title", base, base, `${side.toUpperCase()} local`, `${side.toUpperCase()} remote`, policy],
          );
          const task = (await s.task({ action: "get", task_id: link.task_id })).task;
          const issue = s.h.readIssue(link.number)!;
          if (policy === "manual") {
            assertEquals([row.status, row.resolution], ["open", null]);
            // Both sides keep their value until someone decides.
            assertEquals(task.title, `${side.toUpperCase()} local`);
            assertEquals(issue.title, `${side.toUpperCase()} remote`);
          } else {
            const expected = winner(side);
            assertEquals(row.status, "resolved");
            assertEquals(row.resolution, expected.endsWith("local") ? "local" : "remote");
            assertEquals(task.title, expected);
            assertEquals(issue.title, expected);
          }
        }

        const status = await s.git({ action: "status" });
        const open = status.repositories[0].open_conflicts;
        if (policy !== "manual") {
          assertEquals(open, []);
          return;
        }
        assertEquals(open.length, 2);
        // A pass with nothing new records nothing twice and writes nothing.
        const writesBefore = writes(s.h);
        await s.git({ action: "sync_status" });
        assertEquals((await query(s.c, "SELECT id FROM sync_conflicts")).length, 2);
        assertEquals(writes(s.h), writesBefore);

        // Resolve a's conflict with the local value, b's with the remote value.
        const ca = open.find((c: { local_value: string }) => c.local_value === "A local");
        const cb = open.find((c: { local_value: string }) => c.local_value === "B local");
        const ra = await s.git({
          action: "resolve_conflict",
          conflict_id: ca.conflict_id,
          resolution: "local",
        });
        assertEquals([ra.conflict.status, ra.conflict.resolution, ra.sync_status], [
          "resolved",
          "local",
          "synced",
        ]);
        const rb = await s.git({
          action: "resolve_conflict",
          conflict_id: cb.conflict_id,
          resolution: "remote",
        });
        assertEquals([rb.conflict.status, rb.conflict.resolution], ["resolved", "remote"]);
        assertEquals(s.h.readIssue(a.number)!.title, "A local");
        assertEquals((await s.task({ action: "get", task_id: a.task_id })).task.title, "A local");
        assertEquals(s.h.readIssue(b.number)!.title, "B remote");
        assertEquals((await s.task({ action: "get", task_id: b.task_id })).task.title, "B remote");
        assertEquals((await s.git({ action: "status" })).repositories[0].open_conflicts, []);

        // Resolved: the next passes converge to a steady state without new conflicts.
        await s.git({ action: "sync_status" });
        const settled = await dumpSync(s.c);
        const writesSettled = writes(s.h);
        const last = await s.git({ action: "sync_status" });
        assertEquals([last.run.pushed, last.run.pulled, last.run.conflicts], [0, 0, 0]);
        assertEquals(await dumpSync(s.c), settled);
        assertEquals(writes(s.h), writesSettled);
        assertEquals(s.h.readIssue(a.number)!.title, "A local");
        assertEquals(s.h.readIssue(b.number)!.title, "B remote");
      }));
  }

  // Faults.
  Deno.test(`${P}: a create answered 502 after the write, then retried, makes exactly one issue`, () =>
    withSession(pc, async (s) => {
      await s.configure();
      const { task } = await s.task({ action: "create", title: "Lost answer" });
      s.h.faults.add({ kind: "fail_after", method: "POST", path: /\/issues$/ });
      const created = await s.git({ action: "create_issue", task_id: task.task_id });
      assertEquals(created.sync_status, "synced");
      assertEquals(s.h.faults.pending, 0);
      const found = issuesWithMarker(s.h, taskMarker(task.task_id));
      assertEquals(found, [created.link.issue_number]);
      // Later passes never create it again.
      await s.git({ action: "sync_status" });
      assertEquals(issuesWithMarker(s.h, taskMarker(task.task_id)).length, 1);
    }));

  Deno.test(`${P}: with the forge down create_issue answers pending; the next sync creates one issue`, () =>
    withSession(pc, async (s) => {
      await s.configure();
      const { task } = await s.task({ action: "create", title: "While down" });
      const issuesBefore = s.h.issueNumbers().length;
      s.h.faults.add({ kind: "status", status: 503, times: 1000 });
      const created = await s.git({ action: "create_issue", task_id: task.task_id });
      assertEquals(created.sync_status, "pending");
      assert(typeof created.reason === "string" && created.reason.length > 0, "a pending create says why");
      assertEquals(created.link.sync_status, "pending");
      assertEquals(created.link.issue_number, null);
      // Still down: a pass keeps it queued.
      const down = await s.git({ action: "sync_status" });
      assertEquals(down.run.status, "failed");
      assertEquals(down.sync_status, "pending");
      assertStringIncludes(down.reason, "503");
      assertEquals(s.h.issueNumbers().length, issuesBefore);

      s.h.faults.clear();
      const { run, sync_status } = await s.git({ action: "sync_status" });
      assertEquals(run.status, "completed");
      assertEquals(sync_status, "synced");
      assertEquals(run.created, 1);
      const found = issuesWithMarker(s.h, taskMarker(task.task_id));
      assertEquals(found.length, 1);
      assertEquals(s.h.issueNumbers().length, issuesBefore + 1);
      const status = await s.git({ action: "status" });
      assertEquals(status.repositories[0].links.synced, 1);
      assertEquals(status.repositories[0].outbox, { pending: 0, parked: 0 });
      await s.git({ action: "sync_status" });
      assertEquals(issuesWithMarker(s.h, taskMarker(task.task_id)).length, 1);
    }));

  // Bad input: a clear error, and nothing changed on either side.
  Deno.test(`${P}: bad input gets a clear error and changes nothing`, () =>
    withSession(pc, async (s) => {
      await s.configure();
      const { task } = await s.task({ action: "create", title: "Victim" });
      const linked = await taskWithIssue(s, { title: "Linked" });
      const { feature } = await s.feature({ action: "propose", title: "Unapproved", specification: "x" });

      const expectError = async (
        args: Record<string, unknown>,
        code: string,
        names: readonly string[],
      ) => {
        const before = await dumpSync(s.c);
        const writesBefore = writes(s.h);
        const r = await s.call(G, args);
        assert(r.isError, `${JSON.stringify(args)} should fail, got ${r.text}`);
        assertEquals(r.structured.error.code, code, `${JSON.stringify(args)}: ${r.text}`);
        const said = `${r.structured.error.message} ${r.structured.error.hint}`;
        for (const name of names) assertStringIncludes(r.structured.error.message, name);
        assert(!said.includes(s.h.token), "no token value in an error");
        assertEquals(await dumpSync(s.c), before, `${JSON.stringify(args)} changed the database`);
        assertEquals(writes(s.h), writesBefore, `${JSON.stringify(args)} wrote to the forge`);
        return r.structured.error as { code: string; message: string; hint: string };
      };

      // Unknown repository, unconfigured platform, unknown platform.
      await expectError(
        { action: "create_issue", task_id: task.task_id, repository: "nobody/nothing" },
        "NOT_CONFIGURED",
        ["nobody/nothing"],
      );
      await expectError({ action: "sync_status", repository: "nobody/nothing" }, "NOT_CONFIGURED", [
        "nobody/nothing",
      ]);
      const other = PLATFORMS.find((p) => p.platform !== P)!.platform;
      await expectError({ action: "sync_status", platform: other }, "NOT_CONFIGURED", [other]);
      await expectError(
        { action: "create_issue", task_id: task.task_id, platform: other },
        "NOT_CONFIGURED",
        [other],
      );
      await expectError(
        { action: "configure", platform: "gitea", repository: "acme/widgets" },
        "NOT_CONFIGURED",
        ["gitea"],
      );

      // An unknown issue number.
      await expectError(
        { action: "link_task", task_id: task.task_id, issue_number: 9999 },
        "NOT_FOUND",
        ["9999"],
      );
      // Linking a task already linked, or an issue already linked.
      await expectError(
        { action: "link_task", task_id: linked.task_id, issue_number: linked.number },
        "CONFLICT",
        [`#${linked.number}`],
      );
      await expectError(
        { action: "link_task", task_id: task.task_id, issue_number: linked.number },
        "CONFLICT",
        [`#${linked.number}`],
      );
      // Unknown ids.
      await expectError(
        { action: "resolve_conflict", conflict_id: 424242, resolution: "local" },
        "NOT_FOUND",
        [
          "424242",
        ],
      );
      await expectError(
        { action: "create_issue", task_id: "task_01ARZ3NDEKTSV4RRFFQ69G5FAV" },
        "NOT_FOUND",
        ["task_01ARZ3NDEKTSV4RRFFQ69G5FAV"],
      );
      await expectError({ action: "update_issue", task_id: task.task_id }, "NOT_FOUND", [task.task_id]);
      // An unapproved feature is refused unless forced.
      const refused = await expectError(
        { action: "create_issue", feature_id: feature.feature_id },
        "CONFLICT",
        [feature.feature_id, "proposed"],
      );
      assertStringIncludes(refused.hint, "force");
      const forced = await s.git({ action: "create_issue", feature_id: feature.feature_id, force: true });
      assertEquals(forced.sync_status, "synced");
      assertEquals(s.h.readIssue(forced.link.issue_number)!.title, "Unapproved");
    }));

  Deno.test(`${P}: a missing token variable is named, never a token, and nothing changes`, () =>
    withSession(pc, async (s) => {
      await s.configure({ api_token_name: "MISSING_TOKEN_VAR" });
      const { task } = await s.task({ action: "create", title: "No token" });
      const before = await dumpSync(s.c);
      const writesBefore = writes(s.h);
      const r = await s.call(G, { action: "create_issue", task_id: task.task_id });
      assert(r.isError, r.text);
      assertEquals(r.structured.error.code, "UNAUTHORIZED");
      assertStringIncludes(r.structured.error.message, "MISSING_TOKEN_VAR");
      assert(!r.text.includes(s.h.token), "the token never appears");
      assertEquals(await dumpSync(s.c), before);
      assertEquals(writes(s.h), writesBefore);
      assertEquals(s.h.log.entries.length, 0, "nothing was sent without a token");
    }, { env: { FORGESYNC_TOKEN_VARIABLES: "MISSING_TOKEN_VAR" } }));

  Deno.test(`${P}: malformed repository strings are refused with an example of the right form`, () =>
    withSession(pc, async (s) => {
      const bad = P === "gitlab"
        ? ["widgets", "group//project", "https://github.com/acme/widgets", "-bad/x"]
        : P === "github"
        ? ["widgets", "a/b/c", "https://github.com/acme", "acme/wid gets"]
        : ["widgets", "a/b/c", "https://github.com/acme/widgets", "ac me/widgets"];
      for (const repository of bad) {
        const before = await dumpSync(s.c);
        const r = await s.call(G, { action: "configure", platform: P, repository });
        assert(r.isError, `${repository} should be refused: ${r.text}`);
        assertEquals(r.structured.error.code, "VALIDATION_ERROR", r.text);
        assertStringIncludes(r.structured.error.message, repository);
        // An example of the right form: "owner/repo"-like text in the message or the hint.
        const said = `${r.structured.error.message} ${r.structured.error.hint}`;
        assert(/[\w-]+\/[\w-]+/.test(said.replaceAll(repository, "")), `an example in: ${said}`);
        assertEquals(await dumpSync(s.c), before);
      }
      assertEquals(writes(s.h), 0);
    }));
}

// Repository forms that must work end to end.
const gitlab = PLATFORMS.find((p) => p.platform === "gitlab")!;
const bitbucket = PLATFORMS.find((p) => p.platform === "bitbucket")!;

async function roundTrip(s: Session, repository?: string): Promise<void> {
  const { task } = await s.task({ action: "create", title: "Form check", description: "x" });
  const created = await s.git({
    action: "create_issue",
    task_id: task.task_id,
    ...(repository === undefined ? {} : { repository }),
  });
  assertEquals(created.sync_status, "synced");
  const number = created.link.issue_number as number;
  assertEquals(s.h.readIssue(number)!.title, "Form check");
  await s.h.remoteEdit(number, { title: "Renamed on the forge" });
  const { run } = await s.git({ action: "sync_status", ...(repository === undefined ? {} : { repository }) });
  assertEquals(run.status, "completed");
  assertEquals((await s.task({ action: "get", task_id: task.task_id })).task.title, "Renamed on the forge");
}

Deno.test("gitlab: a project in nested groups works end to end", () =>
  withSession(gitlab, async (s) => {
    assertEquals(s.h.repository.split("/").length, 3, "the sandbox project is in a nested group");
    const { config } = await s.configure();
    assertEquals(config.repository, s.h.repository);
    await roundTrip(s, s.h.repository);
  }));

Deno.test("gitlab: a numeric project id works end to end", () =>
  withSession(gitlab, async (s) => {
    const id = String((s.h as unknown as { project: { id: number } }).project.id);
    const { config } = await s.git({ action: "configure", platform: "gitlab", repository: id });
    assertEquals(config.repository, id);
    await roundTrip(s, id);
  }));

Deno.test("gitlab: a self-hosted base URL given as api_url works end to end", () =>
  withSession(gitlab, async (s) => {
    const { config } = await s.configure({ api_url: s.h.apiUrl });
    assertEquals(config.api_url, s.h.apiUrl);
    await roundTrip(s);
  }, { withoutApiUrl: true, env: (h) => ({ FORGESYNC_ALLOWED_API_HOSTS: new URL(h.apiUrl).origin }) }));

Deno.test("gitlab: a self-hosted base URL given as GITLAB_API_URL works end to end", () =>
  withSession(gitlab, async (s) => {
    // The sandbox URL is a self-hosted instance at http://127.0.0.1:PORT/api/v4.
    assert(s.h.apiUrl.startsWith("http://127.0.0.1:"));
    await s.configure({ repository: `${s.h.apiUrl.replace(/\/api\/v4$/, "")}/${s.h.repository}` });
    await roundTrip(s);
  }));

Deno.test("bitbucket: a repository given as a URL works end to end", () =>
  withSession(bitbucket, async (s) => {
    const url = `https://bitbucket.org/${s.h.repository}`;
    const { config } = await s.git({ action: "configure", platform: "bitbucket", repository: url });
    assertEquals(config.repository, s.h.repository);
    await roundTrip(s, url);
  }));
