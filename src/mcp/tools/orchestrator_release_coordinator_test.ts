/**
 * orchestrator_release_coordinator through the real MCP SDK client against the GitHub and GitLab
 * sandboxes (milestones and releases); Bitbucket (read-only milestones, tags) is in
 * `release/bitbucket_test.ts`, bad input in `release/bad_input_test.ts`, the forge failing, a call
 * resumed after a crash and progress notifications in `release/recovery_test.ts`, cancel_release and
 * create_milestone in `release/milestones_test.ts`.
 */
import { assert, assertEquals, assertStringIncludes } from "../../testing/assert.ts";
import {
  type Ctx,
  type Forge,
  G,
  milestoneOn,
  R,
  type Sandboxes,
  withRelease,
} from "./release/test_support.ts";

/** The release of `tag` on the forge, in common terms. */
function releaseOn(sb: Sandboxes[Forge], tag: string) {
  if ("repoRec" in sb) {
    const r = sb.repoRec.releases.find((x) => x.tag_name === tag);
    return r === undefined ? undefined : { name: r.name, body: r.body ?? "", milestones: [] as string[] };
  }
  const r = sb.project.releases.get(tag);
  return r === undefined ? undefined : {
    name: r.name,
    body: r.description,
    milestones: r.milestone_ids.map((id) => sb.project.milestones.find((m) => m.id === id)!.title),
  };
}

/** Three features (two with issues, one bug-labelled) and a task of the first with its own issue. */
async function seed(ctx: Ctx<Forge>) {
  const a = await ctx.feature("Dark mode", { labels: ["ui"] });
  const b = await ctx.feature("Crash on save", { labels: ["bug"] });
  const c = await ctx.feature("Offline sync", { issue: false });
  const t = await ctx.taskWithIssue(a.id, "Dark palette");
  return { a, b, c, t };
}

for (const platform of ["github", "gitlab"] as const) {
  Deno.test(`${platform}: plan_release creates the milestone and puts the features' issues in it; again is a no-op`, () =>
    withRelease(platform, async (ctx) => {
      const { sb, ok, c } = ctx;
      const { a, b, c: offline, t } = await seed(ctx);
      const planned = await ok(R, {
        action: "plan_release",
        release_version: "v1.0.0",
        target_date: "2026-09-30",
        included_features: [a.id, b.id, offline.id],
        description: "The autumn release.",
      });
      assertEquals(planned.release.status, "active");
      assertEquals(planned.release.included_features, [a.id, b.id, offline.id]);
      assertEquals(planned.release.target_date, "2026-09-30");
      assertEquals(planned.already_planned, false);
      assertEquals(planned.sync_status, "synced");
      assertEquals(planned.without_issue, [offline.id]);
      assertEquals(
        planned.issues.map((i: { issue_number: number; assigned: boolean }) => [i.issue_number, i.assigned]),
        // Feature by feature, in the order of the plan: a feature's own issue, then its tasks'.
        [a.issue!, t.issue, b.issue!].map((n) => [n, true]),
      );
      assertEquals(planned.release.assigned_issues, [a.issue!, b.issue!, t.issue].sort((x, y) => x - y));
      assertEquals(milestoneOn(sb, "v1.0.0"), { open: true, due: "2026-09-30", count: 1 });
      for (const n of [a.issue!, b.issue!, t.issue]) assertEquals(sb.readIssue(n)!.milestone, "v1.0.0");
      assert(planned.release.platform_milestone_id !== null);

      // Idempotent: the same call changes nothing, locally or on the forge, and sends no request.
      const before = await c.dump();
      const requests = sb.log.entries.length;
      const again = await ok(R, {
        action: "plan_release",
        release_version: "v1.0.0",
        target_date: "2026-09-30",
        included_features: [a.id, b.id, offline.id],
      });
      assertEquals(again.already_planned, true);
      assertEquals(again.release, planned.release);
      assertEquals(await c.dump(), before);
      assertEquals(sb.log.entries.length, requests);
      assertEquals(milestoneOn(sb, "v1.0.0")!.count, 1);

      // A feature that got its issue since, and a new feature: only their issues are sent.
      const { link } = await ok(G, { action: "create_issue", feature_id: offline.id });
      const d = await ctx.feature("Export to PDF");
      const more = await ok(R, {
        action: "plan_release",
        release_version: "v1.0.0",
        included_features: [d.id],
      });
      assertEquals(more.release.included_features, [a.id, b.id, offline.id, d.id]);
      assertEquals(more.without_issue, []);
      assertEquals(sb.readIssue(link.issue_number)!.milestone, "v1.0.0");
      assertEquals(sb.readIssue(d.issue!)!.milestone, "v1.0.0");
      assertEquals(more.release.assigned_issues.length, 5);
    }));

  Deno.test(`${platform}: status reports progress per feature from its status and tasks, and overall`, () =>
    withRelease(platform, async (ctx) => {
      const { ok } = ctx;
      const { a, b, c: offline, t } = await seed(ctx);
      await ok(R, {
        action: "plan_release",
        release_version: "v1.0.0",
        included_features: [a.id, b.id, offline.id],
      });
      const { task: extra } = await ok("orchestrator_task", {
        action: "create",
        title: "Docs",
        feature_id: a.id,
      });
      await ok("orchestrator_task", { action: "update", task_id: t.id, status: "in_progress" });
      await ok("orchestrator_task", { action: "update", task_id: t.id, status: "completed" });
      await ok("orchestrator_feature", { action: "set_status", feature_id: b.id, status: "completed" });
      const status = await ok(R, { action: "status", release_version: "v1.0.0" });
      const byId = new Map(status.features.map((f: { feature_id: string }) => [f.feature_id, f]));
      // deno-lint-ignore no-explicit-any
      const fa = byId.get(a.id) as any;
      assertEquals([fa.progress, fa.tasks.total, fa.tasks.completed, fa.done], [0.5, 2, 1, false]);
      assertEquals(
        fa.issues.map((i: { issue_number: number }) => i.issue_number).sort(),
        [a.issue, t.issue].sort(),
      );
      // deno-lint-ignore no-explicit-any
      assertEquals([(byId.get(b.id) as any).progress, (byId.get(b.id) as any).done], [1, true]);
      // deno-lint-ignore no-explicit-any
      assertEquals((byId.get(offline.id) as any).progress, 0);
      assertEquals(status.progress, {
        features_total: 3,
        features_completed: 1,
        tasks_total: 2,
        tasks_completed: 1,
        progress: 0.5,
        percent: 50,
      });
      assertEquals(status.without_issue, [offline.id]);
      assert(extra.task_id);

      const all = await ok(R, { action: "status" });
      assertEquals(
        all.releases.map((r: { release: { release_version: string } }) => r.release.release_version),
        [
          "v1.0.0",
        ],
      );
      assertEquals(all.releases[0].progress.percent, 50);
    }));

  Deno.test(`${platform}: generate_changelog renders automated, manual and hybrid notes without creating anything`, () =>
    withRelease(platform, async (ctx) => {
      const { ok, sb, c } = ctx;
      const { a, b, c: offline, t } = await seed(ctx);
      await ok(R, {
        action: "plan_release",
        release_version: "v1.0.0",
        target_date: "2026-09-30",
        included_features: [a.id, b.id, offline.id],
      });
      const before = await c.dump();
      const writes = sb.log.entries.filter((e) =>
        e.method !== "GET" && !e.path.endsWith("/generate-notes")
      ).length;
      const auto = await ok(R, { action: "generate_changelog", release_version: "v1.0.0" });
      const md: string = auto.changelog.markdown;
      assertStringIncludes(md, "## v1.0.0 (2026-09-30)\n\n### Features\n\n");
      assertStringIncludes(md, `- Dark mode ([#${a.issue}](`);
      assertStringIncludes(md, `- Offline sync\n`);
      assertStringIncludes(md, `### Fixes\n\n- Crash on save ([#${b.issue}](`);
      assertStringIncludes(md, `### Other\n\n- Dark palette ([#${t.issue}](`);
      assert(
        md.indexOf("### Features") < md.indexOf("### Fixes") &&
          md.indexOf("### Fixes") < md.indexOf("### Other"),
      );
      if (platform === "github") {
        // GitHub's generate-notes is used where it exists: its "Full Changelog" line is there.
        assertEquals(auto.changelog.forge_notes, true);
        assertStringIncludes(md, "**Full Changelog**:");
        assertStringIncludes(md, "### What's Changed");
      } else {
        assertEquals(auto.changelog.forge_notes, false);
        assertEquals(auto.warnings, undefined);
      }
      const manual = await ok(R, {
        action: "generate_changelog",
        release_version: "v1.0.0",
        release_notes_template: "manual",
        release_notes: "Hand-written highlights.",
      });
      assertEquals(manual.changelog.markdown, "## v1.0.0 (2026-09-30)\n\nHand-written highlights.\n");
      const hybrid = await ok(R, {
        action: "generate_changelog",
        release_version: "v1.0.0",
        release_notes_template: "hybrid",
        release_notes: "Hand-written highlights.",
      });
      assertStringIncludes(hybrid.changelog.markdown, "Hand-written highlights.\n\n### Features");
      // Nothing was created: no write reached the forge, the database is as it was.
      assertEquals(
        sb.log.entries.filter((e) => e.method !== "GET" && !e.path.endsWith("/generate-notes")).length,
        writes,
      );
      assertEquals(await c.dump(), before);
    }));

  Deno.test(`${platform}: tag_release creates the release with its notes, closes the milestone, completes the features`, () =>
    withRelease(platform, async (ctx) => {
      const { ok, fails, sb } = ctx;
      const { a, b, c: offline } = await seed(ctx);
      const proposed =
        (await ok("orchestrator_feature", { action: "propose", title: "Maybe later" })).feature;
      await ok(R, {
        action: "plan_release",
        release_version: "v1.0.0",
        included_features: [a.id, b.id, offline.id, proposed.feature_id],
      });
      const tagged = await ok(R, {
        action: "tag_release",
        release_version: "v1.0.0",
        release_notes_template: "hybrid",
        release_notes: "Highlights first.",
        name: "Autumn release",
      });
      assertEquals(tagged.tag.name, "v1.0.0");
      assertEquals(tagged.tag.kind, "release");
      assert(tagged.tag.url !== null);
      assertEquals(tagged.milestone_closed, true);
      assertEquals(tagged.completed_features, [a.id, b.id, offline.id]);
      assertEquals(tagged.skipped_features.map((s: { feature_id: string }) => s.feature_id), [
        proposed.feature_id,
      ]);
      assertEquals(tagged.sync_status, "synced");
      assertEquals(tagged.release.status, "completed");
      assertEquals(tagged.release.tag_name, "v1.0.0");
      assert(tagged.release.tagged_at !== null);

      const release = releaseOn(sb, "v1.0.0")!;
      assertEquals(release.name, "Autumn release");
      assertStringIncludes(release.body, "Highlights first.\n\n### Features");
      assertStringIncludes(release.body, `Dark mode ([#${a.issue}]`);
      assert(!release.body.startsWith("## v1.0.0"), "a release body has no version heading");
      if (platform === "gitlab") assertEquals(release.milestones, ["v1.0.0"]);
      assertEquals(tagged.release.notes, release.body);
      assertEquals(milestoneOn(sb, "v1.0.0")!.open, false);

      // Features completed locally; the pass closed their issues.
      for (const f of [a, b]) {
        const { feature } = await ok("orchestrator_feature", { action: "get", feature_id: f.id });
        assertEquals(feature.status, "completed");
        assertEquals(sb.readIssue(f.issue!)!.status, "completed");
      }
      const { feature: still } = await ok("orchestrator_feature", {
        action: "get",
        feature_id: proposed.feature_id,
      });
      assertEquals(still.status, "proposed");

      // Tagged is final.
      const twice = await fails(R, { action: "tag_release", release_version: "v1.0.0" });
      assertEquals(twice.code, "CONFLICT");
      assertStringIncludes(twice.message, "already tagged");
      assertEquals(
        (await fails(R, { action: "cancel_release", release_version: "v1.0.0" })).code,
        "CONFLICT",
      );
      assertEquals(
        (await fails(R, { action: "plan_release", release_version: "v1.0.0", included_features: [a.id] }))
          .code,
        "CONFLICT",
      );
    }));
}
