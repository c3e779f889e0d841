/**
 * orchestrator_release_coordinator's milestones on GitHub and GitLab: cancel_release closes the
 * release's milestone and leaves its features as they are; create_milestone makes a milestone that
 * a later plan_release of that title adopts.
 */
import { assert, assertEquals, assertStringIncludes } from "../../../testing/assert.ts";
import { milestoneOn, R, withRelease } from "./test_support.ts";

for (const platform of ["github", "gitlab"] as const) {
  Deno.test(`${platform}: cancel_release closes the milestone and leaves the features as they are`, () =>
    withRelease(platform, async (ctx) => {
      const { ok, fails, sb } = ctx;
      const a = await ctx.feature("Dark mode");
      await ok(R, { action: "plan_release", release_version: "v1.1.0", included_features: [a.id] });
      const cancelled = await ok(R, { action: "cancel_release", release_version: "v1.1.0" });
      assertEquals(cancelled.release.status, "cancelled");
      assert(cancelled.release.cancelled_at !== null);
      assertEquals(cancelled.milestone_closed, true);
      assertEquals(milestoneOn(sb, "v1.1.0")!.open, false);
      const { feature } = await ok("orchestrator_feature", { action: "get", feature_id: a.id });
      assertEquals(feature.status, "approved");
      assertEquals(sb.readIssue(a.issue!)!.status, "open");
      const again = await fails(R, { action: "cancel_release", release_version: "v1.1.0" });
      assertEquals(again.code, "CONFLICT");
      assertStringIncludes(again.message, "cancelled");
      assertEquals((await fails(R, { action: "tag_release", release_version: "v1.1.0" })).code, "CONFLICT");
    }));

  Deno.test(`${platform}: create_milestone creates it on the forge; plan_release of that title adopts it`, () =>
    withRelease(platform, async (ctx) => {
      const { ok, sb, c } = ctx;
      const made = await ok(R, {
        action: "create_milestone",
        title: "v2.0.0",
        description: "Next year.",
        due_on: "2027-01-15",
      });
      assertEquals([made.milestone.title, made.milestone.state, made.milestone.due_on], [
        "v2.0.0",
        "open",
        "2027-01-15",
      ]);
      assertEquals(milestoneOn(sb, "v2.0.0"), { open: true, due: "2027-01-15", count: 1 });
      const rows = (await c.dump()).release_milestones as { release_version: string | null }[];
      assertEquals(rows.map((r) => r.release_version), [null]);

      const a = await ctx.feature("Dark mode");
      const planned = await ok(R, {
        action: "plan_release",
        release_version: "v2.0.0",
        included_features: [a.id],
      });
      assertEquals(planned.release.platform_milestone_id, made.milestone.id);
      assertEquals(planned.release.target_date, "2027-01-15");
      assertEquals(milestoneOn(sb, "v2.0.0")!.count, 1);
      assertEquals(sb.readIssue(a.issue!)!.milestone, "v2.0.0");
      // The bare milestone's row became the release's: still one row.
      const after = (await c.dump()).release_milestones as { release_version: string | null }[];
      assertEquals(after.map((r) => r.release_version), ["v2.0.0"]);
    }));
}
