import { assertEquals } from "../../src/testing/assert.ts";
import { loadPlugin } from "../../src/platform/registry.ts";
import gitlab, { GITLAB_CAPABILITIES } from "./mod.ts";

Deno.test("the registry loads the GitLab plugin and accepts its shape", async () => {
  const loaded = await loadPlugin(new URL("./mod.ts", import.meta.url).href);
  assertEquals(loaded, gitlab);
  assertEquals(
    [gitlab.id, gitlab.name, gitlab.defaultTokenVariable, gitlab.apiUrlVariable, gitlab.defaultApiUrl],
    ["gitlab", "GitLab", "GITLAB_TOKEN", "GITLAB_API_URL", "https://gitlab.com/api/v4"],
  );
  assertEquals(GITLAB_CAPABILITIES, {
    boards: true,
    releases: true,
    milestones: true,
    milestones_write: true,
    webhooks: true,
    conditional_requests: false,
    labels: true,
    multiple_assignees: true,
    close_reason: false,
  });
  assertEquals(gitlab.statusAliases, undefined, "GitLab holds every status");
});
