/**
 * orchestrator_release_coordinator when the forge fails or an earlier call stopped half-way — the
 * plan kept and finished by the next call, the release not tagged twice — and its progress
 * notifications, through the real MCP SDK client against the sandboxes.
 */
import { assertEquals, assertStringIncludes } from "../../../testing/assert.ts";
import { Db } from "../../../store/db.ts";
import { R, withRelease } from "./test_support.ts";

Deno.test("github: plan_release with the forge down keeps the plan (planning, pending); the next call finishes it", () =>
  withRelease("github", async (ctx) => {
    const { ok, sb } = ctx;
    const a = await ctx.feature("Dark mode");
    sb.faults.add({ kind: "status", status: 503, times: 1000 });
    const offline = await ok(R, {
      action: "plan_release",
      release_version: "v1.0.0",
      target_date: "2026-09-30",
      description: "Planned offline.",
      included_features: [a.id],
    });
    assertEquals(offline.release.status, "planning");
    assertEquals(offline.release.platform_milestone_id, null);
    assertEquals(offline.sync_status, "pending");
    assertStringIncludes(offline.reason, "call plan_release again");
    assertEquals(offline.issues[0].assigned, false);
    // Local answers still work offline.
    const status = await ok(R, { action: "status", release_version: "v1.0.0" });
    assertEquals(status.progress.features_total, 1);
    sb.faults.clear();
    const online = await ok(R, { action: "plan_release", release_version: "v1.0.0" });
    assertEquals(online.release.status, "active");
    assertEquals(online.sync_status, "synced");
    assertEquals(online.already_planned, true);
    assertEquals(sb.readIssue(a.issue!)!.milestone, "v1.0.0");
    // The milestone made later carries what the first call was given.
    const m = sb.repoRec.milestones.find((x) => x.title === "v1.0.0")!;
    assertEquals([m.description, new Date(m.due_on!).toISOString().slice(0, 10)], [
      "Planned offline.",
      "2026-09-30",
    ]);
  }));

Deno.test("github: the forge failing while the issues are assigned leaves the rest for the next call", () =>
  withRelease("github", async (ctx) => {
    const { ok, sb } = ctx;
    const a = await ctx.feature("Dark mode");
    const b = await ctx.feature("Light mode");
    // Milestones answer (REST); issue writes, batched through GraphQL, fail.
    sb.faults.add({ kind: "status", status: 502, method: "POST", path: "/api/graphql", times: 1000 });
    const first = await ok(R, {
      action: "plan_release",
      release_version: "v1.0.0",
      included_features: [a.id, b.id],
    });
    assertEquals(first.release.status, "active");
    assertEquals(first.sync_status, "pending");
    assertEquals(first.release.assigned_issues, []);
    assertEquals(first.issues.map((i: { assigned: boolean }) => i.assigned), [false, false]);
    // One batch, sent twice (the core's retry of an answered 5xx, quick settings), no issue-by-issue PATCH.
    assertEquals([sb.log.count({ path: "/api/graphql" }), sb.log.count({ method: "PATCH" })], [2, 0]);
    sb.faults.clear();
    const second = await ok(R, { action: "plan_release", release_version: "v1.0.0" });
    assertEquals(second.sync_status, "synced");
    assertEquals(second.release.assigned_issues, [a.issue, b.issue]);
    // The resumed plan read the issues first, looked up the recorded milestone's node id, then sent
    // the batch: three more requests.
    assertEquals(sb.log.count({ path: "/api/graphql" }), 5);
    assertEquals(sb.repoRec.milestones.filter((m) => m.title === "v1.0.0").length, 1);
  }));

Deno.test("github: generate_changelog falls back to local notes, with a warning, when generate-notes fails", () =>
  withRelease("github", async (ctx) => {
    const { ok, sb } = ctx;
    const a = await ctx.feature("Dark mode");
    await ok(R, { action: "plan_release", release_version: "v1.0.0", included_features: [a.id] });
    sb.faults.add({ kind: "status", status: 500, path: /generate-notes$/, times: 10 });
    const out = await ok(R, { action: "generate_changelog", release_version: "v1.0.0" });
    assertEquals(out.changelog.forge_notes, false);
    assertStringIncludes(out.changelog.markdown, "- Dark mode");
    assertEquals(out.warnings.length, 1);
    assertStringIncludes(out.warnings[0], "generated notes are left out");
  }));

Deno.test("github: tag_release with tag_name and ref; a milestone that cannot be closed is reported, not fatal", () =>
  withRelease("github", async (ctx) => {
    const { ok, fails, sb } = ctx;
    const a = await ctx.feature("Dark mode");
    await ok(R, { action: "plan_release", release_version: "v1.0.0", included_features: [a.id] });
    sb.faults.add({ kind: "status", status: 422, method: "PATCH", path: /\/milestones\//, times: 10 });
    const tagged = await ok(R, {
      action: "tag_release",
      release_version: "v1.0.0",
      tag_name: "release-1.0.0",
      ref: "main",
      release_notes_template: "manual",
      release_notes: "Notes.",
    });
    assertEquals(tagged.milestone_closed, false);
    assertStringIncludes(tagged.milestone_reason, "left open");
    assertEquals(tagged.release.status, "completed");
    assertEquals([tagged.release.tag_name, tagged.release.tag_ref], ["release-1.0.0", "main"]);
    const rec = sb.repoRec.releases.find((r) => r.tag_name === "release-1.0.0")!;
    assertEquals([rec.target_commitish, rec.body, rec.name], ["main", "Notes.\n", "v1.0.0"]);
    assertEquals(sb.repoRec.milestones.find((m) => m.title === "v1.0.0")!.state, "open");
    assertEquals((await fails(R, { action: "tag_release", release_version: "v1.0.0" })).code, "CONFLICT");
  }));

Deno.test("github: tag_release after a crash past the recorded tag finishes without tagging twice", () =>
  withRelease("github", async (ctx) => {
    const { ok, sb, c } = ctx;
    const a = await ctx.feature("Dark mode");
    await ok(R, { action: "plan_release", release_version: "v1.0.0", included_features: [a.id] });
    // What an earlier call left when it stopped right after the forge made the release.
    await c.runtime.runPromise(Db.use((db) =>
      db.batch([{
        sql:
          "UPDATE release_milestones SET tag_name = 'v1.0.0', release_url = 'https://x/r', notes = 'Earlier.'",
      }])
    ));
    const tagged = await ok(R, { action: "tag_release", release_version: "v1.0.0" });
    assertEquals(sb.repoRec.releases.length, 0);
    assertEquals([tagged.tag.name, tagged.tag.url, tagged.release.notes], [
      "v1.0.0",
      "https://x/r",
      "Earlier.",
    ]);
    assertEquals(tagged.release.status, "completed");
    assertEquals(tagged.milestone_closed, true);
    assertEquals(tagged.completed_features, [a.id]);
  }));

for (const platform of ["github", "gitlab"] as const) {
  Deno.test(`${platform}: plan_release reports progress (GitHub per batch, GitLab per issue) when the caller sends a progress token`, () =>
    withRelease(platform, async (ctx) => {
      const a = await ctx.feature("Dark mode");
      const b = await ctx.feature("Light mode");
      const t = await ctx.taskWithIssue(a.id, "Palette");
      const seen: Array<{ progress: number; total?: number; message?: string }> = [];
      const result = await ctx.c.client.callTool(
        {
          name: R,
          arguments: { action: "plan_release", release_version: "v1.0.0", included_features: [a.id, b.id] },
        },
        undefined,
        { onprogress: (p: { progress: number; total?: number; message?: string }) => seen.push(p) },
      );
      assertEquals(result.isError ?? false, false);
      assertEquals(
        seen.map((p) => [p.progress, p.total, p.message]),
        platform === "github"
          // GitHub takes the three issues in one batch.
          ? [[3, 3, `issues #${a.issue}–#${b.issue}`]]
          : [[1, 3, `issue #${a.issue}`], [2, 3, `issue #${t.issue}`], [3, 3, `issue #${b.issue}`]],
      );
    }));
}
