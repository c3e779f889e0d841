/**
 * The official MCP conformance suite (`@modelcontextprotocol/conformance`, run with Deno) against the
 * real HTTP server, for the scenarios that apply to forgesync: the others test the suite's own sample
 * server (its `test_simple_text` tools, prompts, resources, completions). `logging-set-level` passes
 * since the server declares the `logging` capability.
 */
import { assert, assertEquals } from "../../src/testing/assert.ts";
import { ROOT, startHttpServer, withTempDir } from "./helpers.ts";

/** The scenarios of the suite that apply to a server with tools, logging and Streamable HTTP. */
const APPLICABLE = [
  "server-initialize",
  "logging-set-level",
  "ping",
  "tools-list",
  "server-sse-multiple-streams",
  "dns-rebinding-protection",
] as const;

interface Check {
  readonly id: string;
  readonly status: "SUCCESS" | "FAILURE" | "WARNING" | "INFO";
  readonly errorMessage?: string;
}

Deno.test("the MCP conformance suite passes every scenario that applies, logging-set-level included", async () => {
  await withTempDir(async (dir) => {
    const server = await startHttpServer({
      FORGESYNC_DB_URL: `file:${dir}/conformance.db`,
      MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
      FORGESYNC_SYNC_INTERVAL: "3600",
    });
    try {
      for (const scenario of APPLICABLE) {
        const out = `${dir}/${scenario}`;
        const run = await new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "--quiet",
            "-A",
            "--config=deno.test.json",
            "npm:@modelcontextprotocol/conformance@0.1.16",
            "server",
            "--url",
            `${server.url.replace("127.0.0.1", "localhost")}/mcp`,
            "--scenario",
            scenario,
            "-o",
            out,
          ],
          cwd: ROOT,
          stdout: "piped",
          stderr: "piped",
        }).output();
        const text = new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr);
        const [folder] = [...Deno.readDirSync(out)].filter((e) => e.isDirectory).map((e) => e.name);
        assert(folder !== undefined, `${scenario}: no results written\n${text}`);
        const checks = JSON.parse(await Deno.readTextFile(`${out}/${folder}/checks.json`)) as Check[];
        const failed = checks.filter((c) => c.status === "FAILURE");
        assertEquals(failed, [], `${scenario} failed:\n${text}`);
        assert(checks.some((c) => c.status === "SUCCESS"), `${scenario}: no check succeeded\n${text}`);
      }
    } finally {
      await server.stop();
    }
  });
});
