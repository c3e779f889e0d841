/**
 * Black box (SPEC §12): two real server processes on one database, 500 linked issues, the assistant
 * editing titles and descriptions through both while their background loops and explicit
 * `sync_status` calls reconcile the same repository — and people editing titles and labels of the
 * same issues on the forge. Once the edits stop and two clean passes have run, both sides agree and
 * every local edit is there or recorded as a conflict: not one overwritten by a pass without a
 * trace, not one forgotten (left locally, never pushed). A local title that a later edit on the
 * forge replaced is no loss, and is not counted.
 */
import { Effect } from "effect";
import { assert, assertEquals } from "../../src/testing/assert.ts";
import { makeDb } from "../../src/store/db.ts";
import { sandboxEnv } from "../../src/testing/platforms.ts";
import { PLATFORMS, taskBody } from "./sync_support.ts";
import { type ServerProcess, startServer } from "./server_processes.ts";

const G = "orchestrator_git_integration";
const LINKS = 500;
const MINIMUM_EDITS = 500;
const DURATION_MS = 6_000;
const IN_FLIGHT = 10;
/** Edits land on the first HOT tasks, so that both sides touch the same items often. */
const HOT = 400;

/** Rows of a query on a database file (opened and closed around it). */
async function rowsOf<T>(dbUrl: string, sql: string): Promise<T[]> {
  const db = await Effect.runPromise(makeDb({ url: dbUrl }));
  try {
    return await Effect.runPromise(db.query<T>(sql));
  } finally {
    await Effect.runPromise(db.close);
  }
}

Deno.test(`github: two server processes, ${LINKS} links, ${MINIMUM_EDITS}+ local edits while passes run and people edit the forge — none lost, none left unpushed`, async () => {
  const pc = PLATFORMS[0]!;
  const h = await pc.factory();
  const dir = await Deno.makeTempDir({ prefix: "forgesync_edits_" });
  const dbUrl = `file:${dir}/forgesync.db`;
  const env = { ...sandboxEnv(h), FORGESYNC_DB_URL: dbUrl, FORGESYNC_SYNC_INTERVAL: "1" };
  let a: ServerProcess | undefined;
  let b: ServerProcess | undefined;
  try {
    await h.seedIssues(LINKS);
    a = await startServer(env);
    await a.ok(G, { action: "configure", platform: "github", repository: h.repository });
    let created = 0;
    while (created < LINKS) {
      created += (await a.ok(G, { action: "import_issues", limit: 200 })).imported.created;
    }
    assertEquals(created, LINKS);
    await a.ok(G, { action: "sync_status" });
    b = await startServer(env);
    const servers = [a, b];
    const tasks: Array<{ task_id: string }> = [];
    for (let cursor: string | null = null;;) {
      const page: { tasks: Array<{ task_id: string }>; next_cursor: string | null } = await a.ok(
        "orchestrator_task",
        { action: "list", limit: 200, ...(cursor === null ? {} : { cursor }) },
      );
      tasks.push(...page.tasks);
      if ((cursor = page.next_cursor) === null) break;
    }
    assertEquals(tasks.length, LINKS);
    const issueOf = new Map<string, number>();
    for (const task of tasks.slice(0, HOT)) {
      const { task: full } = await a.ok("orchestrator_task", { action: "get", task_id: task.task_id });
      issueOf.set(task.task_id, full.links[0].issue_number);
    }

    // The last acknowledged value of each edited field, and when; one edit at a time per task, so
    // "last" is well defined, and many tasks at once, through both processes, while passes run.
    const last = new Map<string, { title?: [string, number]; description?: [string, number] }>();
    const forgeTitleEdited = new Map<number, number>(); // issue number → when a person last renamed it
    const busy = new Set<string>();
    let made = 0;
    let passes = 0;
    const passesBefore =
      (await rowsOf<{ n: number }>(dbUrl, "SELECT COUNT(*) AS n FROM sync_status_logs"))[0]!.n;
    const end = Date.now() + DURATION_MS;
    const editor = async (lane: number) => {
      while (Date.now() < end) {
        await new Promise((r) => setTimeout(r, 5));
        const n = made++;
        const task = tasks[(n * 7919 + lane) % HOT]!;
        if (busy.has(task.task_id)) continue;
        busy.add(task.task_id);
        const field = n % 2 === 0 ? "title" : "description";
        const value = `${field} edit ${n} through ${n % 2 === 0 ? "A" : "B"}`;
        await servers[n % 2]!.ok("orchestrator_task", {
          action: "update",
          task_id: task.task_id,
          [field]: value,
        });
        last.set(task.task_id, { ...last.get(task.task_id), [field]: [value, Date.now()] });
        busy.delete(task.task_id);
      }
    };
    const person = async () => {
      for (let n = 0; Date.now() < end; n++) {
        await new Promise((r) => setTimeout(r, 4));
        const number = issueOf.get(tasks[(n * 104_729) % HOT]!.task_id)!;
        if (n % 3 === 0) {
          forgeTitleEdited.set(number, Date.now());
          await h.remoteEdit(number, { title: `Renamed on the forge ${n}` });
        } else {
          await h.remoteEdit(number, { labels: [`label-${n % 5}`] });
        }
      }
    };
    const syncing = async () => {
      while (Date.now() < end) await servers[passes++ % 2]!.ok(G, { action: "sync_status" });
    };
    await Promise.all([...Array.from({ length: IN_FLIGHT }, (_, i) => editor(i)), person(), syncing()]);
    const ran = (await rowsOf<{ n: number }>(dbUrl, "SELECT COUNT(*) AS n FROM sync_status_logs"))[0]!.n -
      passesBefore;
    assert(ran >= 2, `passes ran while editing (background loops and sync_status): ${ran}`);
    assert(made >= MINIMUM_EDITS, `edits made: ${made}`);

    // The edits stop; two clean passes.
    for (const server of [a, b]) {
      const { run } = await server.ok(G, { action: "sync_status" });
      assertEquals(run.status, "completed", JSON.stringify(run));
    }
    const { run } = await a.ok(G, { action: "sync_status" });
    assertEquals([run.status, run.pushed, run.pulled], ["completed", 0, 0], JSON.stringify(run));

    const conflicts = await rowsOf<{ task_id: string; field: string; local_value: string }>(
      dbUrl,
      "SELECT l.task_id, c.field, c.local_value FROM sync_conflicts c JOIN feature_issue_links l ON l.id = c.link_id",
    );
    let overwritten = 0;
    let unpushed = 0;
    const problems: string[] = [];
    for (const task of tasks.slice(0, HOT)) {
      const edits = last.get(task.task_id);
      if (edits === undefined) continue;
      const { task: local } = await a.ok("orchestrator_task", { action: "get", task_id: task.task_id });
      const issue = h.readIssue(issueOf.get(task.task_id)!)!;
      const sameBody = issue.body === taskBody(task.task_id, local.description) ||
        issue.body === local.description;
      if (issue.title !== local.title || !sameBody) {
        unpushed++;
        problems.push(
          `${task.task_id}: the forge has ${JSON.stringify([issue.title, issue.body])}, locally ${
            JSON.stringify([local.title, local.description])
          }`,
        );
        continue;
      }
      for (const field of ["title", "description"] as const) {
        const edit = edits[field];
        if (edit === undefined) continue;
        const [want, at] = edit;
        // A person renaming the issue after (or about when) the edit may rightly replace it.
        if (field === "title" && (forgeTitleEdited.get(issue.number) ?? 0) > at - 1000) continue;
        const recorded = conflicts.some((c) =>
          c.task_id === task.task_id && c.field === (field === "title" ? "title" : "body") &&
          c.local_value === want
        );
        if (local[field] !== want && !recorded) {
          overwritten++;
          problems.push(
            `${task.task_id} ${field}: local "${local[field]}", last edit "${want}", no conflict`,
          );
        }
      }
    }
    assertEquals(
      { overwritten, unpushed },
      { overwritten: 0, unpushed: 0 },
      problems.slice(0, 10).join("\n"),
    );
  } finally {
    await a?.close();
    await b?.close();
    await h.close();
    await Deno.remove(dir, { recursive: true }).catch(() => undefined);
  }
});
