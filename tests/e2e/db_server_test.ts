/**
 * `deno task db-server` as a user runs it: a local primary from the npm package, the URL (and with
 * `--new-key`, a token) printed for each machine, a forgesync machine syncing through it, a clean
 * stop on SIGTERM; and the refusal to listen beyond loopback without a key.
 */
import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { LineReader, ROOT } from "./helpers.ts";
import { startMachine } from "../integration/machine_process.ts";

const denoJson = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`)) as { tasks: Record<string, string> };
const ARGS = denoJson.tasks["db-server"]!.split(/\s+/).slice(1);

Deno.test({
  name: "db-server starts a primary with a new key, prints what machines need, and stops on SIGTERM",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "forgesync_dbserver_" });
    const child = new Deno.Command(Deno.execPath(), {
      args: [...ARGS, "--data", `${dir}/primary`, "--port", "0", "--new-key"],
      cwd: ROOT,
      stdin: "null",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const out = new LineReader(child.stdout);
    try {
      await out.until(/^Stop with/);
      const text = out.lines.join("\n");
      const url = /FORGESYNC_DB_SYNC_URL=(\S+)/.exec(text)?.[1];
      const token = /FORGESYNC_DB_AUTH_TOKEN=(\S+)/.exec(text)?.[1];
      assert(url !== undefined && token !== undefined, text);
      assert(
        (await Deno.stat(`${dir}/primary.jwt.key`)).mode! % 0o1000 === 0o600,
        "the private key is yours only",
      );

      const env = { FORGESYNC_DB_URL: `file:${dir}/machine.db`, FORGESYNC_DB_SYNC_URL: url };
      const machine = await startMachine("db-server", { ...env, FORGESYNC_DB_AUTH_TOKEN: token });
      try {
        const { task } = await machine.ok("orchestrator_task", {
          action: "create",
          title: "Through db-server",
        });
        assertEquals(task.title, "Through db-server");
      } finally {
        await machine.closeInput();
        await machine.status;
      }
      const refused = await fetch(`${url}/v2/pipeline`, { method: "POST", body: '{"requests":[]}' });
      await refused.body?.cancel();
      assertEquals(refused.status, 401, "no token, no access");

      child.kill("SIGTERM");
      assertEquals((await child.status).code, 0);
      const gone = await fetch(`${url}/health`).then((r) => r.body?.cancel().then(() => false), () => true);
      assert(gone, "sqld stopped with it");
    } finally {
      try {
        child.kill("SIGKILL");
      } catch {
        // already stopped
      }
      await child.status;
      await out.cancel();
      await Deno.remove(dir, { recursive: true }).catch(() => undefined);
    }
  },
});

Deno.test("db-server refuses to listen beyond loopback without a JWT key, naming the fix", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [...ARGS, "--host", "0.0.0.0", "--data", "/nonexistent/never-created"],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr).trim();
  assert(output.code !== 0);
  assertEquals(stderr.split("\n").length, 1, stderr);
  assertStringIncludes(stderr, "--new-key");
});
