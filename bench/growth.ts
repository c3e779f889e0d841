/**
 * Benchmarks of what a pass costs as a repository grows (SPEC §11, issue "Passes that cost what
 * changed"): for 1,000 to 100,000 links, the import (wall time, peak RSS), the database size, a
 * no-change pass and a pass after one local change, each forgesync in its own process against the
 * sandbox GitHub; and at 10,000 links, a no-change pass after every link has pushed a write.
 *
 * @module
 */
import { createGitHubSandbox } from "../src/testing/github_sandbox.ts";
import { connectTestClient } from "../src/testing/mcp_client.ts";
import { Effect } from "effect";
import { Db } from "../src/store/db.ts";
import { insertRows } from "../src/store/sql.ts";
import type { BenchRow } from "./row.ts";

/** A result row of bench/run.ts. */
const root = new URL("..", import.meta.url).pathname;

interface Growth {
  readonly links: number;
  readonly import_ms: number;
  readonly import_peak_rss_mb: number;
  readonly peak_rss_mb: number;
  readonly db_mb: number;
  readonly idle_ms: number;
  readonly idle_requests: number;
  readonly one_change_ms: number;
  readonly one_change_requests: number;
  readonly idle_after_outbox_ms?: number;
  readonly idle_after_outbox_requests?: number;
  readonly idle_after_burst_ms?: number;
  readonly idle_after_burst_requests?: number;
}

async function grow(links: number, outbox: boolean): Promise<Growth> {
  const forge = await createGitHubSandbox({ budget: 10_000_000 });
  try {
    await forge.seedIssues(links);
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${root}bench/growth_worker.ts`, ...(outbox ? ["outbox"] : [])],
      env: { BENCH_API_URL: forge.apiUrl, BENCH_TOKEN: forge.token, BENCH_REPO: forge.repository },
      stdout: "piped",
      stderr: "inherit",
    }).output();
    if (!output.success) throw new Error(`the growth worker failed at ${links} links`);
    return JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").at(-1)!);
  } finally {
    await forge.close();
  }
}

/** Runs the growth benchmarks and returns their rows. */
export async function growthBenchmark(log: (message: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const results = new Map<number, Growth>();
  const sizes = (Deno.env.get("BENCH_GROWTH") ?? "1000,5000,10000,50000,100000").split(",").map(Number);
  for (const links of sizes) {
    log(`growth: ${links.toLocaleString("en")} links`);
    const g = await grow(links, false);
    results.set(links, g);
    rows.push({
      scenario: `growth, ${links.toLocaleString("en")} links`,
      measured:
        `import ${(g.import_ms / 1000).toFixed(1)} s, ${g.import_peak_rss_mb} MB peak; db ${g.db_mb} MB; ` +
        `no-change pass ${g.idle_ms} ms; one change ${g.one_change_ms} ms`,
      target: "a pass costs what changed",
      ok: g.links === links && g.idle_requests === 1,
      requests: `${g.idle_requests} per no-change pass, ${g.one_change_requests} with one change`,
      values: { ...g },
    });
  }
  const small = results.get(5_000) ?? results.get(sizes[0]!)!;
  const large = results.get(50_000) ?? results.get(sizes.at(-1)!)!;
  const ratio = large.idle_ms / small.idle_ms;
  rows.push({
    scenario: "no-change pass, 50,000 vs 5,000 links",
    measured: `${large.idle_ms} ms vs ${small.idle_ms} ms (×${ratio.toFixed(2)})`,
    target: "within 2×",
    ok: ratio <= 2,
    values: { ratio, large_ms: large.idle_ms, small_ms: small.idle_ms },
  });
  log("outbox growth: 10,000 links, each pushed once");
  const pushed = await grow(10_000, true);
  const before = (results.get(10_000) ?? results.get(sizes.at(-1)!)!).idle_ms;
  const after = pushed.idle_after_outbox_ms!;
  rows.push({
    scenario: "no-change pass at 10,000 links after 10,000 pushed writes",
    measured: `${after} ms (before any push: ${before} ms, ×${(after / before).toFixed(2)})`,
    target: "within 2× of before",
    ok: after <= 2 * before && pushed.idle_after_outbox_requests === 1,
    requests: `${pushed.idle_after_outbox_requests} per pass`,
    values: { before_ms: before, after_ms: after, ratio: after / before },
  });
  rows.push({
    scenario: "no-change pass right after a burst of 10,000 writes",
    measured: `${pushed.idle_after_burst_ms} ms`,
    target: "(reported) the burst's last second is re-listed until a later change",
    ok: true,
    requests: `${pushed.idle_after_burst_requests} per pass, answered 304`,
    values: { ms: pushed.idle_after_burst_ms!, requests: pushed.idle_after_burst_requests! },
  });
  return rows;
}

/** The size of `status` with 5,000 open conflicts (its answer is bounded: counts plus the newest). */
export async function statusSizeBenchmark(log: (message: string) => void): Promise<BenchRow[]> {
  log("status with 5,000 open conflicts");
  const forge = await createGitHubSandbox();
  const client = await connectTestClient({
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
    GITHUB_API_URL: forge.apiUrl,
    GITHUB_TOKEN: forge.token,
    FORGESYNC_LOG_LEVEL: "error",
  });
  try {
    const configured = await client.call("orchestrator_git_integration", {
      action: "configure",
      platform: "github",
      repository: forge.repository,
      conflict_policy: "manual",
    });
    if (configured.isError) throw new Error(configured.text);
    await client.runtime.runPromise(Db.use((db) =>
      db.transaction(Effect.gen(function* () {
        const now = new Date().toISOString();
        const n = 5_000;
        yield* insertRows(
          "tasks",
          ["task_id", "title", "created_at", "updated_at"],
          Array.from({ length: n }, (_, i) => [`task_${i}`, `Task ${i}`, now, now]),
        );
        yield* insertRows(
          "feature_issue_links",
          [
            "id",
            "task_id",
            "platform",
            "repository",
            "issue_number",
            "sync_status",
            "config_id",
            "created_at",
          ],
          Array.from(
            { length: n },
            (_, i) => [i + 1, `task_${i}`, "github", forge.repository, i + 1, "manual", 1, now],
          ),
        );
        yield* insertRows(
          "sync_conflicts",
          [
            "link_id",
            "field",
            "base_local",
            "base_remote",
            "local_value",
            "remote_value",
            "policy",
            "status",
            "created_at",
          ],
          Array.from({ length: n }, (_, i) => [
            i + 1,
            "title",
            `Task ${i}`,
            `Task ${i}`,
            `Task ${i} as edited here, a title of a usual length`,
            `Task ${i} as edited there, a title of a usual length`,
            "manual",
            "open",
            now,
          ]),
        );
      }))
    ));
    const r = await client.call("orchestrator_git_integration", { action: "status" });
    if (r.isError) throw new Error(r.text);
    const bytes = new TextEncoder().encode(r.text).length;
    const count = r.structured.repositories[0].open_conflict_count as number;
    return [{
      scenario: "status with 5,000 open conflicts",
      measured: `${(bytes / 1024).toFixed(1)} KB (${count} counted, the newest 20 listed)`,
      target: "< 200 KB",
      ok: bytes < 200 * 1024 && count === 5_000,
      values: { bytes, open_conflicts: count },
    }];
  } finally {
    await client.close();
    await forge.close();
  }
}

/**
 * Naive pollers side by side with forgesync at 10,000 linked issues, on the same sandbox: one that
 * GETs every linked issue, one that lists every issue without conditional requests. Counts requests
 * (and the budget they spend) for one poll, against forgesync's no-change pass.
 */
export async function naivePollersBenchmark(
  forge: { apiUrl: string; token: string; repository: string; issueNumbers(): number[] },
  forgesyncRequests: number,
  log: (message: string) => void,
): Promise<BenchRow[]> {
  log("naive pollers: GET every issue; list everything without ETags");
  const headers = { authorization: `token ${forge.token}`, accept: "application/vnd.github+json" };
  const base = `${forge.apiUrl}/repos/${forge.repository}/issues`;
  let listRequests = 0;
  for (let url: string | undefined = `${base}?state=all&per_page=100`; url !== undefined;) {
    const response: Response = await fetch(url, { headers });
    await response.body?.cancel();
    listRequests++;
    url = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get("link") ?? "")?.[1];
  }
  let getRequests = 0;
  for (const n of forge.issueNumbers()) {
    const response = await fetch(`${base}/${n}`, { headers });
    await response.body?.cancel();
    getRequests++;
  }
  const each = getRequests / forgesyncRequests;
  const all = listRequests / forgesyncRequests;
  return [{
    scenario: "naive pollers vs forgesync, 10,000 linked issues, one poll with no change",
    measured: `GET each: ${getRequests} requests (×${each.toFixed(0)}); list all without ETags: ` +
      `${listRequests} (×${all.toFixed(0)}); forgesync: ${forgesyncRequests} (304, no budget)`,
    target: "forgesync far below both",
    ok: forgesyncRequests < listRequests && listRequests < getRequests,
    requests: `${getRequests} / ${listRequests} / ${forgesyncRequests}`,
    values: {
      get_each: getRequests,
      list_all: listRequests,
      forgesync: forgesyncRequests,
      ratio_each: each,
      ratio_all: all,
    },
  }];
}
