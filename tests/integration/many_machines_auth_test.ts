/**
 * (g) JWT authentication against a real sqld started with `--auth-jwt-key-file`: machines with the
 * token work (replica and remote mode); a missing or wrong FORGESYNC_DB_AUTH_TOKEN stops the start
 * with one clear line on stderr, no stack trace, and the token never printed.
 */
import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { eventually, runMachineToEnd, startMachine } from "./machine_process.ts";
import { replicaEnv, startPrimary } from "./sqld_support.ts";

const T = "orchestrator_task";

Deno.test({
  name: "(g) a primary that requires JWTs",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const primary = await startPrimary({ jwt: true });
    const address = `127.0.0.1:${primary.port}`;
    try {
      await t.step("machines with the token work on replicas and in remote mode", async () => {
        const a = await startMachine("jwt-a", replicaEnv(primary, "jwt-a"));
        const remote = await startMachine("jwt-remote", {
          FORGESYNC_DB_URL: primary.url,
          FORGESYNC_DB_AUTH_TOKEN: primary.token!,
        });
        try {
          const { task } = await a.ok(T, { action: "create", title: "Signed in" });
          await eventually("the remote machine reads it", 5000, async () => {
            const r = await remote.call(T, { action: "get", task_id: task.task_id });
            return r.isError ? undefined : r.structured.task;
          });
          await remote.ok(T, { action: "create", title: "Remote, signed in" });
          for (const m of [a, remote]) {
            assert(!m.stderr.some((l) => l.includes(primary.token!)), "the token is never printed");
          }
        } finally {
          for (const m of [a, remote]) {
            await m.closeInput();
            await m.status;
          }
        }
      });

      const cases: ReadonlyArray<readonly [string, Record<string, string>]> = [
        ["a replica without a token", replicaEnv(primary, "no-token", { FORGESYNC_DB_AUTH_TOKEN: "" })],
        [
          "a replica with a wrong token",
          replicaEnv(primary, "wrong", { FORGESYNC_DB_AUTH_TOKEN: primary.wrongToken! }),
        ],
        ["remote mode without a token", { FORGESYNC_DB_URL: primary.url }],
        ["remote mode with a wrong token", {
          FORGESYNC_DB_URL: primary.url,
          FORGESYNC_DB_AUTH_TOKEN: primary.wrongToken!,
        }],
      ];
      for (const [label, env] of cases) {
        await t.step(
          `${label}: one clear line at start-up, no stack trace, the token not printed`,
          async () => {
            const { code, stderr } = await runMachineToEnd(env);
            assert(code !== 0, "the start-up fails");
            assertEquals(stderr.length, 1, `one line:\n${stderr.join("\n")}`);
            assertStringIncludes(stderr[0]!, "FORGESYNC_DB_AUTH_TOKEN");
            assertStringIncludes(stderr[0]!, address);
            assert(!stderr[0]!.includes(primary.wrongToken!) && !stderr[0]!.includes(primary.token!));
          },
        );
      }
    } finally {
      await primary.dispose();
    }
  },
});
