/**
 * Release writes whose request got no answer (SPEC §12): the client gives up, the forge goes on and
 * makes the milestone or the release. Nothing is sent again at once (it could not make a second
 * one — forges refuse a second milestone of a title or release of a tag — but the call would then
 * fail, and so would every later one); the next call reads the forge and adopts what landed.
 */
import { assertEquals, assertNotEquals } from "../../../testing/assert.ts";
import { connectTestClient } from "../../../testing/mcp_client.ts";
import { quickSettings, SANDBOX_FACTORIES, sandboxEnv, type Sandboxes } from "../../../testing/platforms.ts";

const R = "orchestrator_release_coordinator";
const G = "orchestrator_git_integration";
const TIMEOUT_MS = 300;
/** Longer than the client's timeout: the forge handles the request after the client gave up. */
const LATENCY_MS = 600;

type Forge = "github" | "gitlab";

function milestones(sb: Sandboxes[Forge], title: string): number {
  return "repoRec" in sb
    ? sb.repoRec.milestones.filter((m) => m.title === title).length
    : sb.project.milestones.filter((m) => m.title === title).length;
}

function releases(sb: Sandboxes[Forge], tag: string): number {
  return "repoRec" in sb
    ? sb.repoRec.releases.filter((r) => r.tag_name === tag).length
    : (sb.project.releases.has(tag) ? 1 : 0);
}

for (const platform of ["github", "gitlab"] as const) {
  Deno.test(`${platform}: a milestone and a release whose requests got no answer are adopted by the next call, never made twice`, async () => {
    const sb = await SANDBOX_FACTORIES[platform]() as Sandboxes[Forge];
    const c = await connectTestClient(sandboxEnv(sb), {
      settings: quickSettings({ timeoutMs: TIMEOUT_MS, maxAttempts: 3, maxDelayMs: 2, maxWaitSeconds: 0 }),
    });
    // deno-lint-ignore no-explicit-any
    const ok = async (tool: string, args: Record<string, unknown>): Promise<any> => {
      const r = await c.call(tool, args);
      if (r.isError) throw new Error(`${tool} ${String(args.action)}: ${r.text}`);
      return r.structured;
    };
    try {
      await ok(G, { action: "configure", platform, repository: sb.repository });
      const { feature } = await ok("orchestrator_feature", { action: "propose", title: "Ship it" });
      await ok("orchestrator_feature", { action: "approve", feature_id: feature.feature_id });
      const plan = {
        action: "plan_release",
        release_version: "v2.0.0",
        included_features: [feature.feature_id],
      };

      sb.faults.add({ kind: "latency", ms: LATENCY_MS, method: "POST", path: /\/milestones$/ });
      const first = await c.call(R, plan);
      assertNotEquals(first.structured?.error?.code, "VALIDATION_ERROR", first.text);
      await new Promise((r) => setTimeout(r, LATENCY_MS + 100)); // the forge made it meanwhile
      assertEquals(milestones(sb, "v2.0.0"), 1);
      const again = await ok(R, plan);
      assertEquals(again.release.platform_milestone_id !== null, true, JSON.stringify(again));
      assertEquals(milestones(sb, "v2.0.0"), 1, "adopted, not made twice");

      sb.faults.add({ kind: "latency", ms: LATENCY_MS, method: "POST", path: /\/releases$/ });
      const tag = { action: "tag_release", release_version: "v2.0.0", release_notes_template: "automated" };
      const lost = await c.call(R, tag);
      assertEquals(lost.isError, true, "the forge did not answer: the call says so");
      await new Promise((r) => setTimeout(r, LATENCY_MS + 100));
      assertEquals(releases(sb, "v2.0.0"), 1);
      const tagged = await ok(R, tag);
      assertEquals([tagged.tag.name, tagged.release.status], ["v2.0.0", "completed"]);
      assertNotEquals(tagged.tag.url, null);
      assertEquals(releases(sb, "v2.0.0"), 1, "adopted, not made twice");
    } finally {
      await c.close();
      await sb.close();
    }
  });
}

for (const platform of ["github", "gitlab"] as const) {
  Deno.test(`${platform}: tag_release adopts the release a lost create left on the forge, instead of failing on it forever`, async () => {
    const sb = await SANDBOX_FACTORIES[platform]() as Sandboxes[Forge];
    const c = await connectTestClient(sandboxEnv(sb), { settings: quickSettings({ maxWaitSeconds: 0 }) });
    // deno-lint-ignore no-explicit-any
    const ok = async (tool: string, args: Record<string, unknown>): Promise<any> => {
      const r = await c.call(tool, args);
      if (r.isError) throw new Error(`${tool} ${String(args.action)}: ${r.text}`);
      return r.structured;
    };
    try {
      await ok(G, { action: "configure", platform, repository: sb.repository });
      const { feature } = await ok("orchestrator_feature", { action: "propose", title: "Ship it" });
      await ok("orchestrator_feature", { action: "approve", feature_id: feature.feature_id });
      await ok(R, {
        action: "plan_release",
        release_version: "v3.0.0",
        included_features: [feature.feature_id],
      });
      // An earlier tag_release's create landed after its client gave up: the release exists.
      const made = await fetch(
        platform === "github"
          ? `${sb.apiUrl}/repos/${sb.repository}/releases`
          : `${sb.apiUrl}/projects/${encodeURIComponent(sb.repository)}/releases`,
        {
          method: "POST",
          headers: platform === "github"
            ? { authorization: `token ${sb.token}`, "content-type": "application/json" }
            : { "private-token": sb.token, "content-type": "application/json" },
          body: JSON.stringify(
            platform === "github"
              ? { tag_name: "v3.0.0", name: "v3.0.0" }
              : { tag_name: "v3.0.0", ref: "main" },
          ),
        },
      );
      assertEquals(made.status, 201, await made.text());
      const tagged = await ok(R, { action: "tag_release", release_version: "v3.0.0" });
      assertEquals([tagged.tag.name, tagged.release.status], ["v3.0.0", "completed"]);
      assertEquals(releases(sb, "v3.0.0"), 1);
    } finally {
      await c.close();
      await sb.close();
    }
  });
}
