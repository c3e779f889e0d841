/**
 * A write the forge refuses for good (a 403 on one issue, a read-only token) is parked: reported by
 * `status`, sent again when its item changes or on request, and never holding back the cursor —
 * later passes still cost ⌈changes/100⌉ list requests (SPEC §12).
 */
import { assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { dumpSync, openSession, PLATFORMS, type Session } from "./sync_support.ts";

const ISSUES = 130;
const CHANGES = 120;

/** List requests of the last pass (per-issue paths end with a number). */
async function listRequestsOfPass(s: Session): Promise<{ lists: number; run: Record<string, unknown> }> {
  s.h.log.reset();
  const { run } = await s.git({ action: "sync_status" });
  return {
    lists: s.h.log.entries.filter((e) => e.method === "GET" && /\/issues\/?$/.test(e.path)).length,
    run,
  };
}

for (const pc of PLATFORMS) {
  Deno.test(`${pc.platform}: one write refused for good is parked and reported, and never holds the cursor back`, async () => {
    const s = await openSession(pc);
    try {
      const numbers = await s.h.seedIssues(ISSUES);
      await s.configure();
      await s.git({ action: "import_issues" });
      await s.git({ action: "sync_status" });
      const refused = numbers[0]!;
      const { tasks } = await s.task({ action: "list", limit: 200 });
      const task = tasks.find((t: { title: string }) => s.h.readIssue(refused)!.title === t.title)!;
      // The forge refuses every write to this one issue (a branch protection, a locked issue…).
      s.h.faults.add({
        kind: "status",
        status: 403,
        path: new RegExp(`/issues/${refused}$`),
        times: Infinity,
      });
      await s.task({ action: "update", task_id: task.task_id, title: "Refused on the forge" });
      const first = await s.git({ action: "sync_status" });
      assertEquals([first.run.failed, first.sync_status], [1, "failed"]);

      const status = (await s.git({ action: "status" })).repositories[0];
      assertEquals(status.outbox, { pending: 0, parked: 1 });
      assertEquals(status.parked.length, 1);
      assertEquals([status.parked[0].issue_number, status.parked[0].kind], [refused, "update"]);
      assertStringIncludes(status.parked[0].error, "403");

      // People change 120 other issues, in two bursts a second apart: one pass takes them in
      // ⌈120/100⌉ list requests …
      for (const [i, n] of numbers.slice(1, 1 + CHANGES).entries()) {
        if (i === CHANGES / 2) await new Promise((r) => setTimeout(r, 1100));
        await s.h.remoteEdit(n, { title: `Changed ${n}` });
      }
      const busy = await listRequestsOfPass(s);
      assertEquals([busy.lists, busy.run.pulled, busy.run.status], [
        Math.ceil(CHANGES / 100),
        CHANGES,
        "completed",
      ]);
      // … and then the cursor has moved past them: a pass costs one list request, whether one more
      // issue changed or none did.
      const after = await listRequestsOfPass(s);
      assertEquals([after.lists, after.run.pulled, after.run.status], [1, 0, "completed"]);
      await s.h.remoteEdit(numbers.at(-1)!, { title: "One more change" });
      const one = await listRequestsOfPass(s);
      assertEquals([one.lists, one.run.pulled, one.run.status], [1, 1, "completed"]);
      const idle = await listRequestsOfPass(s);
      assertEquals([idle.lists, idle.run.pulled, idle.run.status], [1, 0, "completed"]);

      // On request (update_issue), once the forge accepts it, the parked write is sent.
      s.h.faults.clear();
      const retried = await s.git({ action: "update_issue", task_id: task.task_id });
      assertEquals(retried.sync_status, "synced");
      assertEquals(s.h.readIssue(refused)!.title, "Refused on the forge");
      const settled = (await s.git({ action: "status" })).repositories[0];
      assertEquals([settled.outbox, settled.parked], [{ pending: 0, parked: 0 }, []]);
    } finally {
      await s.close();
    }
  });
}

Deno.test("github: with a read-only token every write is parked, and passes keep pulling", async () => {
  const s = await openSession(PLATFORMS[0]!);
  try {
    const numbers = await s.h.seedIssues(3);
    await s.configure();
    await s.git({ action: "import_issues" });
    await s.git({ action: "sync_status" });
    const { tasks } = await s.task({ action: "list", limit: 10 });
    // A token that may read but not write: every write answers 403.
    for (const method of ["PATCH", "POST"]) {
      s.h.faults.add({ kind: "status", status: 403, method, times: Infinity });
    }
    for (const t of tasks) {
      await s.task({ action: "update", task_id: t.task_id, description: "Edited locally" });
    }
    const refused = await s.git({ action: "sync_status" });
    assertEquals(refused.run.failed, tasks.length);
    // A person renames an issue: the next pass takes it (and tries its parked write once more).
    await s.h.remoteEdit(numbers[0]!, { title: "Renamed on the forge" });
    const pulled = await s.git({ action: "sync_status" });
    assertEquals(pulled.run.pulled, 1);
    const renamed = await s.task({ action: "list", query: "Renamed on the forge" });
    assertEquals(renamed.tasks.length, 1);
    const status = (await s.git({ action: "status" })).repositories[0];
    assertEquals(status.outbox.parked, tasks.length);
    // With nothing new, a pass writes nothing: the parked writes stay parked as they are.
    const before = await dumpSync(s.c);
    const idle = await s.git({ action: "sync_status" });
    assertEquals([idle.run.status, idle.run.failed, idle.run.requests], ["completed", 0, 1]);
    assertEquals(await dumpSync(s.c), before);
  } finally {
    await s.close();
  }
});
