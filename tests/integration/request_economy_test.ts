/**
 * Request economy (SPEC §11, asserted as request counts, never as times): 1,000 linked issues.
 *
 * GitHub: once the cursor has settled, a pass with no change costs exactly one conditional request,
 * answered 304, and spends none of the rate-limit budget; 30 remote changes cost one list request
 * and no per-issue read. GitLab and Bitbucket have no conditional requests: a pass with no change
 * costs one list request (one unit of budget), and 30 changes cost one list request and no reads.
 */
import { assert, assertEquals } from "../../src/testing/assert.ts";
import { dumpSync, openSession, PLATFORMS, type Session, writes } from "./sync_support.ts";

const ISSUES = 1000;
const CHANGES = 30;

/** Seeds the issues, imports them and lets the cursor settle (the first pass lists everything). */
async function importAll(s: Session): Promise<number[]> {
  const numbers = await s.h.seedIssues(ISSUES);
  await s.configure();
  const { imported } = await s.git({ action: "import_issues" });
  assertEquals(imported.created, ISSUES);
  // import_issues does not move the cursor (links made earlier were not reconciled by it): the first
  // pass lists every issue once, comparing each with its base, and changes nothing.
  const before = await dumpSync(s.c);
  const first = await s.git({ action: "sync_status" });
  assertEquals([first.run.status, first.run.pulled, first.run.pushed], ["completed", 0, 0]);
  const settled = await dumpSync(s.c);
  assertEquals({ ...settled, sync_cursors: [] }, { ...before, sync_cursors: [] });
  return numbers;
}

/** Runs a pass and returns it with what the sandbox saw. */
// deno-lint-ignore no-explicit-any
async function measuredPass(s: Session): Promise<{ run: any; budget: number | undefined; spent: number }> {
  s.h.log.reset();
  const before = s.h.budget?.().remaining;
  const { run } = await s.git({ action: "sync_status" });
  const after = s.h.budget?.().remaining;
  return { run, budget: after, spent: before === undefined || after === undefined ? 0 : before - after };
}

const perIssueReads = (s: Session) =>
  s.h.log.entries.filter((e) => e.method === "GET" && /\/issues\/\d+$/.test(e.path));

for (const pc of PLATFORMS) {
  Deno.test(`${pc.platform}: ${ISSUES} linked issues — a pass with no change costs one request; ${CHANGES} changes cost one list request and no reads`, async () => {
    const s = await openSession(pc);
    try {
      const numbers = await importAll(s);

      // A pass with nothing new.
      const dump = await dumpSync(s.c);
      const idle = await measuredPass(s);
      assertEquals(idle.run.status, "completed");
      assertEquals(idle.run.requests, 1);
      assertEquals(s.h.log.entries.length, 1, JSON.stringify(s.h.log.entries));
      assertEquals(s.h.log.entries[0]!.method, "GET");
      if (pc.platform === "github") {
        assertEquals(s.h.log.entries[0]!.status, 304, "answered from the cache: not modified");
        assertEquals(idle.spent, 0, "a 304 spends no rate-limit budget");
      } else {
        assertEquals(s.h.log.entries[0]!.status, 200);
      }
      assertEquals(await dumpSync(s.c), dump);
      assertEquals(writes(s.h), 0);

      // 30 changes made by people on the forge.
      const changed = numbers.filter((_, i) => i % Math.floor(ISSUES / CHANGES) === 0).slice(0, CHANGES);
      assertEquals(changed.length, CHANGES);
      for (const [i, n] of changed.entries()) await s.h.remoteEdit(n, { title: `Changed on the forge ${i}` });
      const busy = await measuredPass(s);
      assertEquals(busy.run.status, "completed");
      assertEquals(busy.run.pulled, CHANGES);
      assertEquals(busy.run.requests, 1);
      const lists = s.h.log.entries.filter((e) => e.method === "GET" && /\/issues$/.test(e.path));
      assertEquals(lists.length, 1, JSON.stringify(s.h.log.entries));
      assertEquals(perIssueReads(s), []);
      assertEquals(writes(s.h), 0, "taking remote changes writes nothing to the forge");
      const titles = await s.task({ action: "list", query: "Changed on the forge", limit: 100 });
      assertEquals(titles.tasks.length, CHANGES);

      // And steady again.
      const after = await measuredPass(s);
      assertEquals([after.run.requests, after.run.pulled, after.run.pushed], [1, 0, 0]);
      if (pc.platform === "github") assert(after.spent === 0 && s.h.log.entries[0]!.status === 304);
    } finally {
      await s.close();
    }
  });
}

const BURST = 700;

for (const pc of PLATFORMS) {
  Deno.test(`${pc.platform}: after a burst of ${BURST} pushed writes, passes settle back to one request`, async () => {
    const s = await openSession(pc);
    try {
      await s.h.seedIssues(BURST);
      await s.configure();
      await s.git({ action: "import_issues" });
      await s.git({ action: "sync_status" });
      // Every link pushes one write in one pass: the forge stamps hundreds of issues in each second,
      // so a listing of them follows the link pages (more pages than the answer cache keeps a path).
      for (let cursor: string | null = null;;) {
        const page: { tasks: Array<{ task_id: string }>; next_cursor: string | null } = await s.task({
          action: "list",
          limit: 200,
          ...(cursor === null ? {} : { cursor }),
        });
        for (const t of page.tasks) {
          await s.task({ action: "update", task_id: t.task_id, description: "pushed once" });
        }
        if ((cursor = page.next_cursor) === null) break;
      }
      const pushed = await s.git({ action: "sync_status" });
      assertEquals(pushed.run.pushed, BURST);
      for (let i = 0; i < 3; i++) await s.git({ action: "sync_status" });
      // A later change moves the cursor past the burst's last second.
      await new Promise((r) => setTimeout(r, 1100));
      const { tasks } = await s.task({ action: "list", limit: 1 });
      await s.task({ action: "update", task_id: tasks[0].task_id, title: "A later change" });
      const requests: number[] = [];
      for (let i = 0; i < 5; i++) requests.push((await measuredPass(s)).run.requests);
      assertEquals(requests.slice(-2), [1, 1], `requests of the passes after the later change: ${requests}`);
    } finally {
      await s.close();
    }
  });
}
