/**
 * Bad input to orchestrator_release_coordinator: each call gets a clear error naming what is wrong,
 * and nothing changes — neither the database (dumped before and after) nor the forge (no write).
 */
import { assertEquals, assertMatch, assertStringIncludes } from "../../../testing/assert.ts";
import { R, withRelease } from "./test_support.ts";

interface Case {
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly code: string;
  /** Parts of the message. */
  readonly says: readonly (string | RegExp)[];
}

Deno.test("bad input gets a clear error and changes nothing, locally or on the forge", () =>
  withRelease("github", async ({ ok, fails, feature, c, sb }) => {
    const a = await feature("Dark mode");
    const rejected =
      (await ok("orchestrator_feature", { action: "propose", title: "Rejected idea" })).feature;
    await ok("orchestrator_feature", {
      action: "set_status",
      feature_id: rejected.feature_id,
      status: "rejected",
    });
    await ok(R, {
      action: "plan_release",
      release_version: "v1.0.0",
      target_date: "2026-09-30",
      included_features: [a.id],
    });
    await ok(R, { action: "plan_release", release_version: "v0.9.0", included_features: [a.id] });
    await ok(R, {
      action: "tag_release",
      release_version: "v0.9.0",
      release_notes_template: "manual",
      release_notes: "Done.",
    });
    await ok(R, { action: "plan_release", release_version: "v0.8.0" });
    await ok(R, { action: "cancel_release", release_version: "v0.8.0" });

    const cases: Case[] = [
      // Unknown releases.
      ...["status", "generate_changelog", "tag_release", "cancel_release"].map((action) => ({
        name: `${action} of an unknown release_version`,
        args: { action, release_version: "v9.9.9" },
        code: "NOT_FOUND",
        says: ['No release "v9.9.9" is planned in github:sandbox-org/widgets'],
      })),
      // Unknown features: all named, nothing planned (no milestone created on the forge either).
      {
        name: "plan_release with unknown features",
        args: {
          action: "plan_release",
          release_version: "v2.0.0",
          included_features: [a.id, "feat_nope", "feat_gone"],
        },
        code: "NOT_FOUND",
        says: ['"feat_nope", "feat_gone"', 'release "v2.0.0" was not planned'],
      },
      {
        name: "plan_release adding an unknown feature to a planned release",
        args: { action: "plan_release", release_version: "v1.0.0", included_features: ["feat_nope"] },
        code: "NOT_FOUND",
        says: ['"feat_nope"'],
      },
      {
        name: "plan_release with a rejected feature",
        args: { action: "plan_release", release_version: "v2.0.0", included_features: [rejected.feature_id] },
        code: "CONFLICT",
        says: ["was rejected"],
      },
      {
        name: "plan_release with a feature id of the wrong form",
        args: { action: "plan_release", release_version: "v2.0.0", included_features: ["task_1"] },
        code: "VALIDATION_ERROR",
        says: ["included_features.0: must be a feature id"],
      },
      // Malformed dates.
      ...["2026-02-30", "2026-13-01", "tomorrow", "30/09/2026", "2026-9-30"].map((date) => ({
        name: `plan_release with target_date ${date}`,
        args: { action: "plan_release", release_version: "v2.0.0", target_date: date },
        code: "VALIDATION_ERROR",
        says: ["target_date"],
      })),
      {
        name: "create_milestone with a malformed due_on",
        args: { action: "create_milestone", title: "v3", due_on: "2026-04-31" },
        code: "VALIDATION_ERROR",
        says: ["due_on: must be a date that exists on the calendar"],
      },
      {
        name: "plan_release moving the target date of a planned release",
        args: { action: "plan_release", release_version: "v1.0.0", target_date: "2026-10-31" },
        code: "CONFLICT",
        says: ["planned for 2026-09-30, not 2026-10-31"],
      },
      // Malformed versions and refs.
      ...["v 1.0", "v1..0", "-v1", "v1.0.", "v1.lock", "", "x".repeat(101)].map((version) => ({
        name: `release_version ${JSON.stringify(version.slice(0, 12))}`,
        args: { action: "plan_release", release_version: version },
        code: "VALIDATION_ERROR",
        says: ["release_version"],
      })),
      {
        name: "tag_release with a ref holding a space",
        args: { action: "tag_release", release_version: "v1.0.0", ref: "main branch" },
        code: "VALIDATION_ERROR",
        says: ["ref: must be a branch name or a commit hash"],
      },
      // Notes that do not fit the template.
      {
        name: "manual notes without release_notes",
        args: { action: "generate_changelog", release_version: "v1.0.0", release_notes_template: "manual" },
        code: "VALIDATION_ERROR",
        says: ['release_notes_template "manual" needs release_notes'],
      },
      {
        name: "tag_release hybrid without release_notes",
        args: { action: "tag_release", release_version: "v1.0.0", release_notes_template: "hybrid" },
        code: "VALIDATION_ERROR",
        says: ['"hybrid" needs release_notes'],
      },
      {
        name: "release_notes with the automated template",
        args: { action: "tag_release", release_version: "v1.0.0", release_notes: "Text." },
        code: "VALIDATION_ERROR",
        says: ['"automated" does not use it'],
      },
      {
        name: "an unknown template",
        args: { action: "generate_changelog", release_version: "v1.0.0", release_notes_template: "auto" },
        code: "VALIDATION_ERROR",
        says: ["release_notes_template"],
      },
      // Final states.
      ...["tag_release", "cancel_release", "plan_release"].map((action) => ({
        name: `${action} of a tagged release`,
        args: { action, release_version: "v0.9.0" },
        code: "CONFLICT",
        says: ['"v0.9.0" was already tagged as "v0.9.0"'],
      })),
      ...["tag_release", "cancel_release", "plan_release"].map((action) => ({
        name: `${action} of a cancelled release`,
        args: { action, release_version: "v0.8.0" },
        code: "CONFLICT",
        says: ['"v0.8.0" was cancelled'],
      })),
      // Unknown actions, extra and ill-typed parameters, repositories not configured.
      {
        name: "an unknown action",
        args: { action: "publish" },
        code: "VALIDATION_ERROR",
        says: ['action "publish" is not an action of orchestrator_release_coordinator'],
      },
      {
        name: "an extra parameter",
        args: { action: "status", release_version: "v1.0.0", feature_id: "feat_x" },
        code: "VALIDATION_ERROR",
        says: ['"feature_id" is not a parameter of action "status"'],
      },
      {
        name: "ill-typed parameters, all listed",
        args: { action: "plan_release", release_version: 1, included_features: "feat_x" },
        code: "VALIDATION_ERROR",
        says: ["release_version", "included_features"],
      },
      {
        name: "a repository that is not configured",
        args: { action: "status", repository: "other/repo", platform: "github" },
        code: "NOT_CONFIGURED",
        says: ["other/repo"],
      },
    ];

    const before = await c.dump();
    const writes = () => sb.log.entries.filter((e) => e.method !== "GET").length;
    const sent = writes();
    for (const k of cases) {
      const error = await fails(R, k.args);
      assertEquals(error.code, k.code, `${k.name}: ${error.message}`);
      for (const part of k.says) {
        if (typeof part === "string") assertStringIncludes(error.message, part, k.name);
        else assertMatch(error.message, part, k.name);
      }
      assertEquals(typeof error.hint === "string" && error.hint.length > 0, true, `${k.name}: a hint`);
      assertEquals(await c.dump(), before, `${k.name} changed the database`);
      assertEquals(writes(), sent, `${k.name} wrote to the forge`);
    }
    assertEquals(sb.repoRec.milestones.some((m) => m.title === "v2.0.0"), false);
  }));

Deno.test("bad input: a forge refusing the milestone (a read-only token) fails with its code and keeps nothing", () =>
  withRelease(
    "github",
    async ({ ok, fails, feature, c, sb }) => {
      const a = await feature("Dark mode");
      // The same repository, now through a token that can only read.
      await ok("orchestrator_git_integration", {
        action: "configure",
        platform: "github",
        repository: sb.repository,
        api_token_name: "READ_ONLY_TOKEN",
      });
      const before = await c.dump();
      const error = await fails(R, {
        action: "plan_release",
        release_version: "v1.0.0",
        included_features: [a.id],
      });
      assertEquals(error.code, "FORBIDDEN");
      assertEquals(await c.dump(), before);
      const made = await fails(R, { action: "create_milestone", title: "v1.0.0" });
      assertEquals(made.code, "FORBIDDEN");
      assertEquals(await c.dump(), before);
      assertEquals(sb.repoRec.milestones.some((m) => m.title === "v1.0.0"), false);
      // Without its variable set, the token is missing: UNAUTHORIZED naming the variable.
      await ok("orchestrator_git_integration", {
        action: "configure",
        platform: "github",
        repository: sb.repository,
        api_token_name: "UNSET_TOKEN",
      });
      const missing = await fails(R, { action: "plan_release", release_version: "v1.0.0" });
      assertEquals(missing.code, "UNAUTHORIZED");
      assertStringIncludes(missing.message, "UNSET_TOKEN");
    },
    (sb) => ({ READ_ONLY_TOKEN: sb.tokens.read, FORGESYNC_TOKEN_VARIABLES: "READ_ONLY_TOKEN,UNSET_TOKEN" }),
  ));
