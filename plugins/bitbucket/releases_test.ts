import { assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { failure, run, withPlugin } from "./test_support.ts";

Deno.test("createTag() tags a commit by its abbreviated hash and answers the full hash", async () => {
  await withPlugin(async ({ client, repo, sb }) => {
    const hash = sb.state.repo("acme/widgets")!.commits[0]!;
    const tag = await run(client.createTag!(repo, { name: "v1.0.0", target: hash.slice(0, 12) }));
    assertEquals(tag.name, "v1.0.0");
    assertEquals(tag.target, hash);
    assertStringIncludes(tag.url ?? "", "/acme/widgets/commits/tag/v1.0.0");
    assertEquals(sb.state.repo("acme/widgets")!.tags.get("v1.0.0")?.hash, hash);
  });
});

Deno.test("createTag() again on the same commit answers the existing tag (a retried create)", async () => {
  await withPlugin(async ({ client, repo, sb }) => {
    const hash = sb.state.repo("acme/widgets")!.commits[0]!;
    await run(client.createTag!(repo, { name: "v1.0.0", target: hash }));
    const again = await run(client.createTag!(repo, { name: "v1.0.0", target: hash.slice(0, 7) }));
    assertEquals([again.name, again.target], ["v1.0.0", hash]);
    assertEquals(sb.state.repo("acme/widgets")!.tags.size, 1);
  });
});

Deno.test("createTag() fails Invalid for an unknown commit and for a tag on another commit", async () => {
  await withPlugin(async ({ client, repo, sb }) => {
    const unknown = await failure(client.createTag!(repo, { name: "v1.0.0", target: "deadbeefdeadbeef" }));
    assertEquals(unknown.reason, "Invalid");
    assertStringIncludes(unknown.message, "not found");
    const bb = sb.state.repo("acme/widgets")!;
    bb.commits.push("f".repeat(40));
    await run(client.createTag!(repo, { name: "v2.0.0", target: bb.commits[0]! }));
    const elsewhere = await failure(client.createTag!(repo, { name: "v2.0.0", target: "f".repeat(40) }));
    assertEquals(elsewhere.reason, "Invalid");
    assertStringIncludes(elsewhere.message, "another commit");
    assertEquals(bb.tags.get("v2.0.0")?.hash, bb.commits[0]);
  });
});

Deno.test("createTag() with a read-only token fails Forbidden", async () => {
  await withPlugin(async ({ client, repo, sb }) => {
    const hash = sb.state.repo("acme/widgets")!.commits[0]!;
    const error = await failure(client.createTag!(repo, { name: "v1.0.0", target: hash }));
    assertEquals(error.reason, "Forbidden");
    assertEquals(sb.state.repo("acme/widgets")!.tags.size, 0);
  }, "bearer-readonly");
});
