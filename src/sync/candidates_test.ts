/**
 * What a pass selects: the links changed locally (marked by triggers on every version change),
 * those of listed issues and those with a queued update — and nothing else, however many are linked.
 */
import { Effect } from "effect";
import { assertEquals } from "../testing/assert.ts";
import { Db } from "../store/db.ts";
import { Configs } from "../store/configs.ts";
import { openSession, PLATFORMS, query } from "../../tests/integration/sync_support.ts";
import { selectCandidates } from "./candidates.ts";

Deno.test("selectCandidates() picks the links changed locally, listed or queued — not the rest", async () => {
  const s = await openSession(PLATFORMS[0]!);
  try {
    await s.h.seedIssues(60);
    await s.configure();
    await s.git({ action: "import_issues" });
    await s.git({ action: "sync_status" });
    const select = (listed: number[]) =>
      s.c.runtime.runPromise(Effect.gen(function* () {
        const db = yield* Db;
        const cfg = (yield* Configs.use((c) => c.list()))[0]!;
        return (yield* db.reading(selectCandidates(cfg, listed))).sort((a, b) => a - b);
      }));
    const links = await query<{ id: number; task_id: string; issue_number: number }>(
      s.c,
      "SELECT id, task_id, issue_number FROM feature_issue_links ORDER BY id",
    );
    assertEquals(links.length, 60);
    assertEquals(await select([]), [], "after a clean pass nothing is changed");
    assertEquals(await query(s.c, "SELECT * FROM sync_dirty"), []);

    // Two local edits, one unlinked task edited too: exactly the two links.
    await s.task({ action: "update", task_id: links[3]!.task_id, title: "Changed here" });
    await s.task({ action: "update", task_id: links[40]!.task_id, description: "And here" });
    const { task } = await s.task({ action: "create", title: "Not linked" });
    await s.task({ action: "update", task_id: task.task_id, title: "Still not linked" });
    assertEquals(await select([]), [links[3]!.id, links[40]!.id]);
    // Listed issues add their links (unknown numbers nothing).
    assertEquals(await select([links[7]!.issue_number, 99_999]), [links[3]!.id, links[7]!.id, links[40]!.id]);

    // The pass sends them; its apply leaves nothing changed.
    const { run } = await s.git({ action: "sync_status" });
    assertEquals(run.pushed, 2);
    assertEquals(await select([]), []);
    assertEquals(await query(s.c, "SELECT * FROM sync_dirty"), []);
  } finally {
    await s.close();
  }
});
