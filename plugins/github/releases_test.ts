/**
 * The GitHub plugin's operations with the real Octokit against the GitHub sandbox.
 */
import { assertEquals, assertMatch, assertStringIncludes } from "../../src/testing/assert.ts";
import { createGitHubSandbox } from "../../src/testing/github_sandbox.ts";
import { connectTo, run } from "./test_helpers.ts";

Deno.test("releases and generated notes", async () => {
  const gh = await createGitHubSandbox({ pullRequests: 2 });
  try {
    const { client, repo } = await connectTo(gh);
    const notes = await run(client.generateNotes!(repo, { tag: "v1.0.0" }));
    assertStringIncludes(notes, "Sandbox pull request 2");
    const release = await run(
      client.createRelease!(repo, { tag: "v1.0.0", name: "One", body: notes, ref: "main" }),
    );
    assertEquals([release.tag, release.name, release.body], ["v1.0.0", "One", notes]);
    assertMatch(release.url ?? "", /\/releases\/tag\/v1\.0\.0$/);
    // The tag's release already exists (422 already_exists): it is that release, read back — a create
    // whose answer was lost landed — not a refusal that every later call would meet again.
    const again = await run(client.createRelease!(repo, { tag: "v1.0.0", name: "", body: "" }));
    assertEquals([again.tag, again.name, again.url], ["v1.0.0", "One", release.url]);
    assertEquals(gh.repoRec.releases.length, 1);
    const next = await run(client.generateNotes!(repo, { tag: "v1.1.0", previous_tag: "v1.0.0" }));
    assertStringIncludes(next, "compare/v1.0.0...v1.1.0");
  } finally {
    await gh.close();
  }
});
