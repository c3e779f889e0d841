/**
 * Benchmark worker: forgesync alone in a process (the sandbox forge runs in the parent), importing
 * every issue of a repository. Prints one JSON line: wall time, peak RSS, issues created.
 *
 * @module
 */
import { connectTestClient } from "../src/testing/mcp_client.ts";

const env = {
  MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
  GITHUB_API_URL: Deno.env.get("BENCH_API_URL")!,
  GITHUB_TOKEN: Deno.env.get("BENCH_TOKEN")!,
  FORGESYNC_LOG_LEVEL: "error",
};
let peak = Deno.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, Deno.memoryUsage().rss)), 10);
const client = await connectTestClient(env);
try {
  const configured = await client.call("orchestrator_git_integration", {
    action: "configure",
    platform: "github",
    repository: Deno.env.get("BENCH_REPO")!,
  });
  if (configured.isError) throw new Error(configured.text);
  const started = performance.now();
  const result = await client.call("orchestrator_git_integration", { action: "import_issues" });
  const wall = performance.now() - started;
  if (result.isError) throw new Error(result.text);
  peak = Math.max(peak, Deno.memoryUsage().rss);
  console.log(JSON.stringify({
    wall_ms: Math.round(wall),
    peak_rss_mb: Math.round(peak / 2 ** 20),
    created: result.structured.imported.created,
  }));
} finally {
  clearInterval(sampler);
  await client.close();
}
