/**
 * orchestrator_release_coordinator on Bitbucket: milestones are read-only (created on the website,
 * adopted by title; creating one is UNSUPPORTED), releases are tags on a commit.
 */
import { assert, assertEquals, assertStringIncludes } from "../../../testing/assert.ts";
import { R, withRelease } from "./test_support.ts";

Deno.test("bitbucket: create_milestone and plan_release of a milestone that does not exist are UNSUPPORTED, changing nothing", () =>
  withRelease("bitbucket", async ({ ok, fails, feature, c, sb }) => {
    const a = await feature("Dark mode");
    const before = await c.dump();
    const made = await fails(R, { action: "create_milestone", title: "v9.0" });
    assertEquals(made.code, "UNSUPPORTED");
    assertStringIncludes(made.message, "Bitbucket does not support creating milestones");
    assertStringIncludes(made.hint, "read-only");
    const planned = await fails(R, {
      action: "plan_release",
      release_version: "v9.0",
      included_features: [a.id],
    });
    assertEquals(planned.code, "UNSUPPORTED");
    assertStringIncludes(planned.message, "read-only");
    assertStringIncludes(planned.message, '"v1.0"');
    assertStringIncludes(planned.hint, "Bitbucket website");
    assertStringIncludes(planned.hint, "plan_release again");
    assertEquals(await c.dump(), before);
    assertEquals(sb.readIssue(a.issue!)!.milestone, null);
    assertEquals(sb.log.count({ method: "PUT" }) + sb.log.count({ method: "POST", path: /milestones/ }), 0);
    // Nothing is planned: status says so.
    assertEquals((await ok(R, { action: "status" })).releases, []);
  }));

Deno.test("bitbucket: plan_release adopts an existing milestone and puts the issues in it; status and changelog", () =>
  withRelease("bitbucket", async ({ ok, feature, taskWithIssue, sb, c }) => {
    const a = await feature("Dark mode");
    const b = await feature("Crash on save");
    const t = await taskWithIssue(b.id, "Fix the save path");
    const planned = await ok(R, {
      action: "plan_release",
      release_version: "v1.0",
      target_date: "2026-10-01",
      included_features: [a.id, b.id],
    });
    assertEquals(planned.release.status, "active");
    assertEquals(planned.sync_status, "synced");
    assertEquals(planned.release.milestone_name, "v1.0");
    assert(planned.release.platform_milestone_id !== null);
    for (const n of [a.issue!, b.issue!, t.issue]) assertEquals(sb.readIssue(n)!.milestone, "v1.0");
    // Idempotent.
    const before = await c.dump();
    const requests = sb.log.entries.length;
    assertEquals((await ok(R, { action: "plan_release", release_version: "v1.0" })).already_planned, true);
    assertEquals(await c.dump(), before);
    assertEquals(sb.log.entries.length, requests);

    await ok("orchestrator_task", { action: "update", task_id: t.id, status: "in_progress" });
    const status = await ok(R, { action: "status", release_version: "v1.0" });
    assertEquals(status.progress.features_total, 2);
    assertEquals(status.progress.tasks_total, 1);
    assertEquals(status.features[1].tasks.in_progress, 1);

    // No generated notes on Bitbucket: local rendering, without a warning.
    const notes = await ok(R, { action: "generate_changelog", release_version: "v1.0" });
    assertEquals(notes.changelog.forge_notes, false);
    assertEquals(notes.warnings, undefined);
    assertStringIncludes(notes.changelog.markdown, `- Dark mode ([#${a.issue}](`);
    assertStringIncludes(notes.changelog.markdown, `### Other\n\n- Fix the save path ([#${t.issue}](`);
  }));

Deno.test("bitbucket: tag_release tags the commit ref, leaves the read-only milestone and completes the features", () =>
  withRelease("bitbucket", async ({ ok, fails, feature, sb, c }) => {
    const a = await feature("Dark mode");
    await ok(R, { action: "plan_release", release_version: "v1.1", included_features: [a.id] });
    const hash = sb.state.repo("acme/widgets")!.commits[0]!;

    const before = await c.dump();
    const noRef = await fails(R, { action: "tag_release", release_version: "v1.1" });
    assertEquals(noRef.code, "VALIDATION_ERROR");
    assertStringIncludes(noRef.message, "Bitbucket has no releases");
    assertStringIncludes(noRef.hint, "commit hash");
    const branch = await fails(R, { action: "tag_release", release_version: "v1.1", ref: "main" });
    assertEquals(branch.code, "VALIDATION_ERROR");
    assertStringIncludes(branch.message, '"main" is not a commit hash');
    const unknown = await fails(R, {
      action: "tag_release",
      release_version: "v1.1",
      ref: "0123456789abcdef",
    });
    assertEquals(unknown.code, "VALIDATION_ERROR");
    assertStringIncludes(unknown.message, "not found");
    assertEquals(await c.dump(), before);
    assertEquals(sb.state.repo("acme/widgets")!.tags.size, 0);

    const tagged = await ok(R, { action: "tag_release", release_version: "v1.1", ref: hash.slice(0, 12) });
    assertEquals(tagged.tag.kind, "tag");
    assertEquals(tagged.tag.name, "v1.1");
    assertStringIncludes(tagged.tag.url, "/commits/tag/v1.1");
    assertEquals(sb.state.repo("acme/widgets")!.tags.get("v1.1")?.hash, hash);
    assertEquals(tagged.milestone_closed, false);
    assertStringIncludes(tagged.milestone_reason, "read-only");
    assertEquals(tagged.completed_features, [a.id]);
    assertEquals(tagged.release.status, "completed");
    assertStringIncludes(tagged.release.notes, "- Dark mode");
    assertEquals(tagged.sync_status, "synced");
    // The pass resolved the feature's issue.
    assertEquals(sb.readIssue(a.issue!)!.status, "completed");
  }));

Deno.test("bitbucket: cancel_release cancels locally and says the milestone stays as it is", () =>
  withRelease("bitbucket", async ({ ok, feature }) => {
    const a = await feature("Dark mode");
    await ok(R, { action: "plan_release", release_version: "v2.0", included_features: [a.id] });
    const cancelled = await ok(R, { action: "cancel_release", release_version: "v2.0" });
    assertEquals(cancelled.release.status, "cancelled");
    assertEquals(cancelled.milestone_closed, false);
    assertStringIncludes(cancelled.milestone_reason, "read-only");
    const { feature: after } = await ok("orchestrator_feature", { action: "get", feature_id: a.id });
    assertEquals(after.status, "approved");
  }));
