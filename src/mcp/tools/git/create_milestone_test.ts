import { createGitHubSandbox } from "../../../testing/github_sandbox.ts";
import { createBitbucketSandbox } from "../../../testing/bitbucket_sandbox.ts";
import { connectTestClient } from "../../../testing/mcp_client.ts";
import { assert, assertEquals } from "../../../testing/assert.ts";

Deno.test("create_milestone makes one milestone that plan_release then adopts", async () => {
  const forge = await createGitHubSandbox();
  const client = await connectTestClient({
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
    GITHUB_API_URL: forge.apiUrl,
    GITHUB_TOKEN: forge.token,
  });
  try {
    await client.call("orchestrator_git_integration", {
      action: "configure",
      platform: "github",
      repository: forge.repository,
    });
    const before = forge.repoRec.milestones.length;
    const made = await client.call("orchestrator_git_integration", {
      action: "create_milestone",
      title: "v9.9",
      due_on: "2027-03-01",
    });
    assert(!made.isError, made.text);
    assertEquals(made.structured.milestone.title, "v9.9");
    assertEquals(forge.repoRec.milestones.length, before + 1);
    const planned = await client.call("orchestrator_release_coordinator", {
      action: "plan_release",
      release_version: "v9.9",
      target_date: "2027-03-01",
      included_features: [],
    });
    assert(!planned.isError, planned.text);
    assertEquals(forge.repoRec.milestones.length, before + 1, "the milestone is adopted, not made twice");
  } finally {
    await client.close();
    await forge.close();
  }
});

Deno.test("create_milestone on Bitbucket is UNSUPPORTED with a hint and records nothing", async () => {
  const forge = await createBitbucketSandbox();
  const client = await connectTestClient({
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
    BITBUCKET_API_URL: forge.apiUrl,
    BITBUCKET_TOKEN: forge.token,
    ...forge.env,
  });
  try {
    await client.call("orchestrator_git_integration", {
      action: "configure",
      platform: "bitbucket",
      repository: forge.repository,
    });
    const before = await client.dump();
    const result = await client.call("orchestrator_git_integration", {
      action: "create_milestone",
      title: "v1",
    });
    assert(result.isError);
    assertEquals(result.structured.error.code, "UNSUPPORTED");
    assert(result.structured.error.hint.length > 0);
    assertEquals(await client.dump(), before);
  } finally {
    await client.close();
    await forge.close();
  }
});
