import { Effect } from "effect";
import { assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { fail, run, withRig } from "./test_support.ts";

Deno.test("createRelease() tags the default branch unless a ref is given, with its milestone", () =>
  withRig(async ({ sandbox, client, repo }) => {
    const release = await run(client.createRelease!(repo, {
      tag: "v1.0.0",
      name: "One",
      body: "Notes",
      milestone: "v1.0",
    }));
    assertEquals(release, {
      tag: "v1.0.0",
      name: "One",
      body: "Notes",
      url: `${sandbox.url}/forgesync/platform/widgets/-/releases/v1.0.0`,
    });
    const stored = sandbox.project.releases.get("v1.0.0")!;
    assertEquals(stored.milestone_ids, [sandbox.state.milestoneByTitle(sandbox.project, "v1.0")!.id]);
    // The tag's release already exists (GitLab answers 409): it is that release, read back — a create
    // whose answer was lost landed — not a refusal that every later call would meet again.
    const again = await Effect.runPromise(
      client.createRelease!(repo, { tag: "v1.0.0", name: "Again", body: "", ref: "main" }),
    );
    assertEquals([again.tag, again.name, again.body], ["v1.0.0", "One", "Notes"]);
    assertEquals(sandbox.project.releases.size, 1);
    const missing = await fail(
      client.createRelease!(repo, { tag: "v2", name: "", body: "", milestone: "v9" }),
    );
    assertEquals(missing.reason, "Invalid");
    assertStringIncludes(missing.message, "Milestone(s) not found: v9");
  }));
