/**
 * Model-based property test of the reconciliation (SPEC §12), per platform: random interleavings
 * of local edits (through the MCP tools, following valid status transitions) — some made inside a
 * pass, between its pull and its apply —, remote edits made directly in the sandbox as a person
 * would, new issues, faults (5xx, 429 with retry-after, timeouts, lost answers after a write,
 * connection resets, malformed bodies, slow answers, and one issue refusing every write for good),
 * crashes, and sync passes by two processes on one database: A, and B, whose lease is short and
 * never renewed, so that when both ask at once B loses its lease in the middle of a send and A takes
 * over. Once the faults stop and the refused (parked) writes are asked for again, at most two clean
 * passes must converge:
 *
 * - every mapped field agrees on both sides (title; body through the template; status through the
 *   status map and the platform's aliases; labels where the platform has them);
 * - no duplicate issues: each hidden marker is in exactly one sandbox issue;
 * - nothing is lost silently: the last local edit of each field that had not reached the forge, and
 *   the last remote edit that had not reached the local item, is either the value both sides hold
 *   now or recorded in `sync_conflicts` as the losing side;
 * - a third pass writes nothing.
 *
 * Crashes. A crash is simulated inside this test process, faithfully to what a killed process
 * leaves behind: the `fetch` under the forge clients (ForgeSettings) is armed to "die" on the next
 * write request, either before forwarding it (crash between the outbox write and the send) or
 * after the sandbox handled it (crash between the send and the record). From that moment every
 * request of that runtime hangs forever, so nothing after the crash point runs — no error handling,
 * no bookkeeping, no further database write, exactly like a dead process. The test then closes the
 * client, disposes the runtime (closing its database connection) and starts a new runtime and
 * client on the same database file: the next "process" must finish the work from what is durable,
 * and resolve a lost create by its hidden marker. (The lease the dead process held carries this
 * test process's holder id, so the new runtime takes it over at once instead of waiting for it to
 * expire as a separate process would.)
 *
 * Requests delayed past the client's timeout. The forge still handles such a request when it
 * arrives, and a write already on the wire can land after anything that happens meanwhile: after a
 * person's edit (which it then overwrites at the forge, where no client can prevent it) or after
 * a restart. So once a run has armed a latency fault, the people in it edit the forge, and a
 * crashed process is restarted, only after any delayed request has landed — as happens when
 * people and restarts are slower than a request. The engine's own writes get no such help: a
 * write or create that got no answer must not be followed by another before it has surely ended.
 *
 * Replay a failure with FORGESYNC_FC_SEED=<seed> FORGESYNC_FC_PATH=<path> (fast-check prints both);
 * FORGESYNC_FC_RUNS changes the number of runs.
 */
import fc from "fast-check";
import { assert, assertEquals } from "../../src/testing/assert.ts";
import { connectTestClient, type TestClient } from "../../src/testing/mcp_client.ts";
import type { PassProbe } from "../../src/sync/reconcile.ts";
import { DEFAULT_SYNC, type SyncOptions } from "../../src/sync/service.ts";
import type { SandboxHarness } from "../../src/testing/harness.ts";
import type { Fault } from "../../src/testing/sandbox.ts";
import { allowedTaskTransitions, type TaskStatus } from "../../src/domain/task.ts";
import { taskToRemote } from "../../src/domain/status_map.ts";
import { REMOTE_STATUSES, type RemoteStatus } from "../../src/platform/types.ts";
import type { Snapshot } from "../../src/domain/merge.ts";
import {
  issuesWithMarker,
  pause,
  type PlatformCase,
  PLATFORMS,
  query,
  shortSettings,
  taskBody,
  taskMarker,
} from "../integration/sync_support.ts";

const NUM_RUNS = Number(Deno.env.get("FORGESYNC_FC_RUNS") ?? 25);
const SEED = Deno.env.get("FORGESYNC_FC_SEED");
const PATH = Deno.env.get("FORGESYNC_FC_PATH");
const TIMEOUT_MS = 300;
/** Longer than the timeout: the client gives up, the forge still handles the request. */
const LATENCY_MS = TIMEOUT_MS + 200;
/** Slower than process B's lease (never renewed), faster than the timeout: B loses its lease mid-send. */
const SLOW_MS = 250;
const B_LEASE_MS = 150;
const LABEL_POOL = ["bug", "docs", "ui"] as const;
const WORDS = ["Alpha", "Ünïcødé ✓", 'it\'s "quoted"', "a  b", "<b>x</b>", "x'; DROP TABLE tasks;--"];

type Policy = "newest_wins" | "local_wins" | "remote_wins";
type Scalar = "title" | "body" | "status";

type Command =
  | {
    readonly k: "local";
    readonly t: number;
    readonly title: number | null;
    readonly body: number | null;
    readonly status: number | null;
    readonly labels: readonly string[] | null;
    /** Made inside the next pass, between its pull and its apply, rather than now. */
    readonly during?: boolean;
  }
  | {
    readonly k: "remote";
    readonly t: number;
    readonly title: number | null;
    readonly body: number | null;
    readonly status: RemoteStatus | null;
    readonly labels: readonly string[] | null;
  }
  | { readonly k: "new"; readonly word: number }
  | {
    readonly k: "sync";
    /** Which process asks: A, B (whose lease, never renewed, expires mid-pass), or both at once. */
    readonly by?: "A" | "B" | "both";
  }
  | {
    readonly k: "fault";
    readonly fault: FaultKind;
    readonly times: number;
    readonly on: FaultTarget;
    /** For `refuse`: the task whose issue refuses every write until the faults stop. */
    readonly t?: number;
  }
  | { readonly k: "crash"; readonly mode: "before_send" | "after_send" };

type FaultKind = "5xx" | "429" | "timeout" | "fail_after" | "reset" | "malformed" | "slow" | "refuse";
/** Which requests a fault waits for: the next one, the next read, or the next write of each method. */
type FaultTarget = "any" | "read" | "write";

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 2 });

function commandArb(labels: boolean): fc.Arbitrary<Command> {
  const labelSet = labels ? maybe(fc.subarray([...LABEL_POOL])) : fc.constant(null);
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        k: fc.constant("local" as const),
        t: fc.nat(),
        title: maybe(fc.nat(WORDS.length - 1)),
        body: maybe(fc.nat(WORDS.length - 1)),
        status: maybe(fc.nat()),
        labels: labelSet,
        during: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        k: fc.constant("remote" as const),
        t: fc.nat(),
        title: maybe(fc.nat(WORDS.length - 1)),
        body: maybe(fc.nat(WORDS.length - 1)),
        status: maybe(fc.constantFrom(...REMOTE_STATUSES)),
        labels: labelSet,
      }),
    },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("new" as const), word: fc.nat(WORDS.length - 1) }) },
    {
      weight: 3,
      arbitrary: fc.record({
        k: fc.constant("sync" as const),
        by: fc.constantFrom<"A" | "B" | "both">("A", "A", "B", "both"),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        k: fc.constant("fault" as const),
        fault: fc.constantFrom<FaultKind>(
          "5xx",
          "429",
          "timeout",
          "fail_after",
          "reset",
          "malformed",
          "slow",
          "refuse",
        ),
        times: fc.integer({ min: 1, max: 4 }),
        on: fc.constantFrom<FaultTarget>("any", "read", "write"),
        t: fc.nat(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        k: fc.constant("crash" as const),
        mode: fc.constantFrom<"before_send" | "after_send">("before_send", "after_send"),
      }),
    },
  );
}

const WRITE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The forge side of one or more "processes" sharing a database: crashes are armed here. */
class Processes {
  #generation = 0;
  #dead = new Set<number>();
  #armed: "before_send" | "after_send" | null = null;
  #fired = Promise.withResolvers<void>();
  /** Set when the armed crash happened and the test has not restarted yet. */
  #crashed = false;

  /** The fetch of the next process. */
  next(): typeof fetch {
    const generation = ++this.#generation;
    return async (input, init) => {
      if (this.#dead.has(generation)) return await new Promise<Response>(() => {});
      const request = new Request(input, init);
      if (this.#armed !== null && WRITE.has(request.method)) {
        const mode = this.#armed;
        this.#armed = null;
        this.#dead.add(generation);
        if (mode === "after_send") {
          // Sent: whatever the answer (even a timeout), the process dies before reading it.
          await fetch(request).then((r) => r.body?.cancel(), () => undefined);
        }
        this.#crashed = true;
        this.#fired.resolve();
        return await new Promise<Response>(() => {});
      }
      return await fetch(request);
    };
  }

  arm(mode: "before_send" | "after_send"): void {
    this.#armed = mode;
  }

  disarm(): void {
    this.#armed = null;
  }

  /** Resolves when the armed crash happens. */
  get fired(): Promise<void> {
    return this.#fired.promise;
  }

  /** Whether a crash happened since the last {@link Processes.restarted}. */
  get crashed(): boolean {
    return this.#crashed;
  }

  /** The test started the next process. */
  restarted(): void {
    this.#crashed = false;
    this.#fired = Promise.withResolvers<void>();
  }
}

/** What the model remembers of one task. */
interface Tracked {
  readonly id: string;
  /** Last local value of a field that had not been seen on the forge (status in local terms). */
  readonly local: Partial<Record<Scalar, string>>;
  /** Last remote value of a field not yet seen locally (body: the text; status: remote terms). */
  readonly remote: Partial<Record<Scalar, string>>;
  readonly localAdds: Set<string>;
  readonly localRemoves: Set<string>;
  readonly remoteAdds: Set<string>;
  readonly remoteRemoves: Set<string>;
}

function faultsFor(kind: FaultKind, times: number, on: FaultTarget): Fault[] {
  const one = ((): Fault => {
    switch (kind) {
      case "5xx":
        return { kind: "status", status: [500, 502, 503, 504][times - 1]!, times };
      case "429":
        return { kind: "rate_limit", status: 429, retryAfter: 1, times: Math.min(times, 2) };
      case "timeout":
        return { kind: "latency", ms: LATENCY_MS, times: 1 };
      case "fail_after":
        return { kind: "fail_after", times: 1 };
      case "reset":
        return { kind: "reset", times };
      case "malformed":
        return { kind: "malformed", times: 1 };
      case "slow":
        return { kind: "latency", ms: SLOW_MS, times };
      case "refuse":
        throw new Error("refusals are armed per issue");
    }
  })();
  if (on === "any") return [one];
  if (on === "read") return [{ ...one, method: "GET" }];
  return ["POST", "PUT", "PATCH"].map((method) => ({ ...one, method }));
}

async function runScenario(pc: PlatformCase, policy: Policy, commands: readonly Command[]): Promise<void> {
  const h = await pc.factory();
  const dir = await Deno.makeTempDir({ prefix: "forgesync_model_" });
  const dbUrl = `file:${dir}/forgesync.db`;
  const env = pc.env(h);
  const processes = new Processes();
  // A rate limit answers at once (the write stays queued) instead of waiting out retry-after.
  const settings = () => shortSettings(processes.next(), TIMEOUT_MS, 0);
  // A local edit made inside the next pass of either process, between its pull and its apply.
  let during: (() => Promise<void>) | undefined;
  const probe: PassProbe = {
    beforeApply: async () => {
      const edit = during;
      during = undefined;
      await edit?.();
    },
  };
  const syncA: SyncOptions = { ...DEFAULT_SYNC, probe };
  let c: TestClient = await connectTestClient(env, { dbUrl, settings: settings(), sync: syncA });
  // Process B on the same database: its lease is short and never renewed, so a pass of B that takes
  // longer loses it mid-send whenever A asks for the repository meanwhile.
  const b: TestClient = await connectTestClient(env, {
    dbUrl,
    settings: shortSettings(undefined, TIMEOUT_MS, 0),
    sync: { leaseTtlMs: B_LEASE_MS, leaseWaitMs: 30_000, heartbeatMs: 0, probe },
  });
  let counter = 0;
  const tracked: Tracked[] = [];
  const log: string[] = [];

  /** Whether a latency fault was armed: a delayed request may be on its way to the forge. */
  let slowForge = false;
  const letDelayedLand = () => (slowForge ? pause(LATENCY_MS + 50) : Promise.resolve());
  /**
   * Whether a write may have been left in flight (a timeout, or a crash mid-send): the engine sends
   * nothing more for its link, and does not look for its issue, until the request has surely ended
   * (the client's timeout, plus as long again for a forge still acting on it).
   */
  let inFlight = false;
  const letInFlightEnd = () => (inFlight ? pause(2 * TIMEOUT_MS + 100) : Promise.resolve());
  const restart = async () => {
    const dead = c;
    await dead.close().catch(() => undefined);
    await letDelayedLand();
    processes.restarted();
    c = await connectTestClient(env, { dbUrl, settings: settings(), sync: syncA });
  };
  /** Calls a tool; a crash during the call restarts the process and yields undefined. */
  // deno-lint-ignore no-explicit-any
  const act = async (tool: string, args: Record<string, unknown>): Promise<any> => {
    const pending = c.call(tool, args);
    pending.catch(() => undefined);
    const outcome = await Promise.race([pending, processes.fired.then(() => "crashed" as const)]);
    if (outcome === "crashed" || processes.crashed) {
      inFlight = true;
      log.push(`  crashed during ${tool} ${String(args.action)}`);
      await restart();
      return undefined;
    }
    return outcome;
  };
  const strict = async (tool: string, args: Record<string, unknown>) => {
    const r = await act(tool, args);
    if (r === undefined) return undefined;
    if (r.isError) throw new Error(`${tool} ${String(args.action)}: ${r.text}`);
    return r.structured;
  };
  const issueOf = (t: Tracked) => issuesWithMarker(h, taskMarker(t.id))[0];
  const readTask = async (t: Tracked) =>
    (await query<Record<string, string>>(c, "SELECT * FROM tasks WHERE task_id = ?", [t.id]))[0]!;
  const remoteOf = (status: string) => pc.readBack(taskToRemote(status as TaskStatus));
  /** The merge base the engine keeps for a task's link, if it has one yet. */
  const baseOf = async (t: Tracked) => {
    const rows = await query<{ local: string; remote: string }>(
      c,
      `SELECT b.local, b.remote FROM sync_bases b JOIN feature_issue_links l ON l.id = b.link_id
        WHERE l.task_id = ?`,
      [t.id],
    );
    return rows[0] === undefined
      ? undefined
      : { local: JSON.parse(rows[0].local) as Snapshot, remote: JSON.parse(rows[0].remote) as Snapshot };
  };

  const newTask = async (word: number) => {
    const title = `${WORDS[word]} ${++counter}`;
    const created = await strict("orchestrator_task", {
      action: "create",
      title,
      description: `Text ${counter}`,
    });
    const task_id = created.task.task_id as string;
    tracked.push({
      id: task_id,
      local: {},
      remote: {},
      localAdds: new Set(),
      localRemoves: new Set(),
      remoteAdds: new Set(),
      remoteRemoves: new Set(),
    });
    const r = await act("orchestrator_git_integration", { action: "create_issue", task_id });
    log.push(
      `  task ${task_id} → ${r === undefined ? "crash" : r.isError ? r.text : r.structured.sync_status}`,
    );
    if (r !== undefined && r.isError) throw new Error(`create_issue: ${r.text}`);
  };

  /** A local edit through the tools, and what the model expects of it. */
  const localEdit = async (cmd: Extract<Command, { k: "local" }>): Promise<void> => {
    const t = tracked[cmd.t % tracked.length]!;
    const current = await readTask(t);
    // What the remote side changed and the local item now shows has arrived.
    const currentLabels: string[] = JSON.parse(current.labels!);
    if (t.remote.title === current.title) delete t.remote.title;
    if (t.remote.body === current.description) delete t.remote.body;
    if (
      t.remote.status !== undefined &&
      pc.readBack(t.remote.status as RemoteStatus) === remoteOf(current.status!)
    ) {
      delete t.remote.status;
    }
    for (const a of [...t.remoteAdds]) if (currentLabels.includes(a)) t.remoteAdds.delete(a);
    for (const r of [...t.remoteRemoves]) if (!currentLabels.includes(r)) t.remoteRemoves.delete(r);

    const patch: Record<string, unknown> = {};
    if (cmd.title !== null) patch.title = `${WORDS[cmd.title]} L${++counter}`;
    if (cmd.body !== null) patch.description = `${WORDS[cmd.body]} local ${++counter}`;
    if (cmd.status !== null) {
      const allowed = allowedTaskTransitions(current.status as TaskStatus).filter((s) => s !== "archived");
      if (allowed.length > 0) patch.status = allowed[cmd.status % allowed.length];
    }
    if (cmd.labels !== null) patch.labels = [...cmd.labels];
    if (Object.keys(patch).length === 0) return;
    const r = await act("orchestrator_task", { action: "update", task_id: t.id, ...patch });
    if (r === undefined || r.isError) throw new Error(`local update: ${r?.text}`);
    // A change is a change against the merge base (SPEC §7): a value set back to what the
    // last sync agreed on is no change at all, and may rightly give way to the other side.
    const base = await baseOf(t);
    const note = (field: Scalar, value: unknown, baseValue: string | undefined) => {
      if (value === undefined) return;
      if (value === baseValue) delete t.local[field];
      else t.local[field] = value as string;
    };
    note("title", patch.title, base?.local.title);
    note("body", patch.description, base?.local.body);
    if (patch.status !== current.status) note("status", patch.status, base?.local.status);
    if (patch.labels !== undefined) {
      const next = patch.labels as string[];
      const from = base?.local.labels ?? currentLabels;
      if (base !== undefined) {
        t.localAdds.clear();
        t.localRemoves.clear();
      }
      for (const a of next.filter((x) => !from.includes(x))) {
        t.localAdds.add(a);
        t.localRemoves.delete(a);
      }
      for (const r of from.filter((x) => !next.includes(x))) {
        t.localRemoves.add(r);
        t.localAdds.delete(r);
      }
    }
    log.push(`  local ${t.id} ${JSON.stringify(patch)}${cmd.during ? " (inside a pass)" : ""}`);
  };

  try {
    await strict("orchestrator_git_integration", {
      action: "configure",
      platform: pc.platform,
      repository: h.repository,
      conflict_policy: policy,
    });
    await newTask(0);
    await newTask(1);

    for (const cmd of commands) {
      log.push(JSON.stringify(cmd));
      switch (cmd.k) {
        case "new":
          await newTask(cmd.word);
          break;
        case "sync": {
          const by = cmd.by ?? "A";
          // B may lose its lease mid-send: what it sent is then settled from the forge later.
          if (by !== "A") inFlight = true;
          const [r, rb] = await Promise.all([
            by === "B"
              ? Promise.resolve(undefined)
              : act("orchestrator_git_integration", { action: "sync_status" }),
            by === "A"
              ? Promise.resolve(undefined)
              : b.call("orchestrator_git_integration", { action: "sync_status" }),
          ]);
          for (const [who, answer] of [["A", r], ["B", rb]] as const) {
            if (answer === undefined) continue;
            if (answer.isError) throw new Error(`sync_status by ${who}: ${answer.text}`);
            log.push(`  ${who}: ${answer.structured.sync_status} ${JSON.stringify(answer.structured.run)}`);
          }
          break;
        }
        case "fault": {
          if (cmd.fault === "refuse") {
            // The forge refuses every write to one issue (a lock, a permission) until the faults stop.
            const number = issueOf(tracked[(cmd.t ?? 0) % tracked.length]!);
            if (number === undefined) break;
            for (const method of ["POST", "PUT", "PATCH"]) {
              h.faults.add({
                kind: "status",
                status: 403,
                method,
                path: new RegExp(`/issues/${number}$`),
                times: Infinity,
              });
            }
            break;
          }
          for (const f of faultsFor(cmd.fault, cmd.times, cmd.on)) h.faults.add(f);
          if (cmd.fault === "timeout") slowForge = inFlight = true;
          break;
        }
        case "crash":
          processes.arm(cmd.mode);
          break;
        case "local": {
          if (cmd.during) {
            during = () => localEdit(cmd);
            break;
          }
          await localEdit(cmd);
          break;
        }
        case "remote": {
          const t = tracked[cmd.t % tracked.length]!;
          await letDelayedLand();
          const number = issueOf(t);
          if (number === undefined) break;
          const issue = h.readIssue(number)!;
          // What the local side changed and the forge now shows has arrived.
          if (t.local.title === issue.title) delete t.local.title;
          if (t.local.body !== undefined && issue.body === taskBody(t.id, t.local.body)) delete t.local.body;
          if (t.local.status !== undefined && remoteOf(t.local.status) === pc.readBack(issue.status)) {
            delete t.local.status;
          }
          for (const a of [...t.localAdds]) if (issue.labels.includes(a)) t.localAdds.delete(a);
          for (const r of [...t.localRemoves]) if (!issue.labels.includes(r)) t.localRemoves.delete(r);

          const edit: Record<string, unknown> = {};
          let text: string | undefined;
          if (cmd.title !== null) edit.title = `${WORDS[cmd.title]} R${++counter}`;
          if (cmd.body !== null) {
            text = `${WORDS[cmd.body]} remote ${++counter}`;
            edit.body = taskBody(t.id, text);
          }
          if (cmd.status !== null) edit.status = cmd.status;
          if (cmd.labels !== null) edit.labels = [...cmd.labels];
          if (Object.keys(edit).length === 0) break;
          const base = await baseOf(t);
          await h.remoteEdit(number, edit);
          // Titles and texts are new values; a status or label set back to the base is no change.
          if (edit.title !== undefined) t.remote.title = edit.title as string;
          if (text !== undefined) t.remote.body = text;
          if (cmd.status !== null && pc.readBack(cmd.status) !== pc.readBack(issue.status)) {
            if (
              base !== undefined &&
              pc.readBack(cmd.status) === pc.readBack(base.remote.status as RemoteStatus)
            ) {
              delete t.remote.status;
            } else t.remote.status = cmd.status;
          }
          if (cmd.labels !== null) {
            const from = base?.remote.labels ?? issue.labels;
            if (base !== undefined) {
              t.remoteAdds.clear();
              t.remoteRemoves.clear();
            }
            for (const a of cmd.labels.filter((x) => !from.includes(x))) {
              t.remoteAdds.add(a);
              t.remoteRemoves.delete(a);
            }
            for (const r of from.filter((x) => !cmd.labels!.includes(x))) {
              t.remoteRemoves.add(r);
              t.remoteAdds.delete(r);
            }
          }
          log.push(`  remote #${number} ${JSON.stringify(edit)}`);
          break;
        }
      }
    }

    // The faults stop; at most two clean passes converge. A request delayed by a latency fault
    // (whose client gave up) is still being handled by the forge: let it land first, as it would.
    // Writes the forge refused for good were parked, and status reports every one of them.
    const parked = await query<{ n: number }>(
      c,
      "SELECT COUNT(*) AS n FROM sync_outbox WHERE status = 'parked'",
    );
    const reported = await strict("orchestrator_git_integration", { action: "status" });
    if (reported !== undefined) {
      assertEquals(reported.repositories[0].outbox.parked, parked[0]!.n, log.join("\n"));
    }
    h.faults.clear();
    processes.disarm();
    await letDelayedLand();
    await letInFlightEnd();
    // The refusals are lifted (a person fixed the permission) and the parked writes asked for again.
    const forced = await strict("orchestrator_git_integration", { action: "sync_status", force: true });
    log.push(`final forced pass: ${JSON.stringify(forced?.run)}`);
    for (let pass = 1; pass <= 2; pass++) {
      const r = await strict("orchestrator_git_integration", { action: "sync_status" });
      log.push(`final pass ${pass}: ${JSON.stringify(r.run)}`);
    }
    await checkConverged(pc, h, c, tracked, log);

    // And a third pass writes nothing.
    const writesBefore = h.log.entries.filter((e) => WRITE.has(e.method)).length;
    const third = await strict("orchestrator_git_integration", { action: "sync_status" });
    assertEquals(third.run.status, "completed", log.join("\n"));
    assertEquals(h.log.entries.filter((e) => WRITE.has(e.method)).length, writesBefore, log.join("\n"));
  } catch (error) {
    console.error(`--- ${pc.platform} scenario (policy ${policy}) ---\n${log.join("\n")}`);
    throw error;
  } finally {
    await c.close().catch(() => undefined);
    await b.close().catch(() => undefined);
    await h.close();
    await Deno.remove(dir, { recursive: true }).catch(() => undefined);
  }
}

async function checkConverged(
  pc: PlatformCase,
  h: SandboxHarness,
  c: TestClient,
  tracked: readonly Tracked[],
  log: string[],
): Promise<void> {
  const why = () => log.join("\n");
  const links = await query<{ task_id: string; issue_number: number | null; sync_status: string }>(
    c,
    "SELECT task_id, issue_number, sync_status FROM feature_issue_links",
  );
  const conflicts = await query<Record<string, string>>(
    c,
    `SELECT l.task_id, c.field, c.local_value, c.remote_value, c.status, c.resolution
       FROM sync_conflicts c JOIN feature_issue_links l ON l.id = c.link_id`,
  );
  const outbox = await query(c, "SELECT * FROM sync_outbox WHERE status <> 'done'");
  assertEquals(outbox, [], `outbox drained\n${why()}`);
  assertEquals(conflicts.filter((x) => x.status === "open"), [], `no open conflicts\n${why()}`);
  const lost = (t: Tracked, field: string, side: "local_value" | "remote_value", value: string) =>
    conflicts.some((x) => x.task_id === t.id && x.field === field && x[side] === value);

  for (const t of tracked) {
    const marker = taskMarker(t.id);
    const numbers = issuesWithMarker(h, marker);
    assertEquals(numbers.length, 1, `exactly one issue carries ${marker}: ${numbers}\n${why()}`);
    const link = links.find((l) => l.task_id === t.id);
    assertEquals(link?.issue_number, numbers[0], `the link of ${t.id} names its issue\n${why()}`);
    assertEquals(link?.sync_status, "synced", why());
    const task =
      (await query<Record<string, string>>(c, "SELECT * FROM tasks WHERE task_id = ?", [t.id]))[0]!;
    const labels: string[] = JSON.parse(task.labels!);
    const issue = h.readIssue(numbers[0]!)!;
    const at = `task ${t.id} / issue #${issue.number}`;

    // Every mapped field agrees.
    assertEquals(issue.title, task.title, `${at}: title\n${why()}`);
    assertEquals(issue.body, taskBody(t.id, task.description!), `${at}: body\n${why()}`);
    assertEquals(
      pc.readBack(issue.status),
      pc.readBack(taskToRemote(task.status as TaskStatus)),
      `${at}: status ${task.status} vs ${issue.status}\n${why()}`,
    );
    if (pc.labels) assertEquals([...issue.labels].sort(), [...labels].sort(), `${at}: labels\n${why()}`);

    // Nothing lost silently.
    const local = t.local;
    if (local.title !== undefined) {
      assert(
        task.title === local.title || lost(t, "title", "local_value", local.title),
        `${at}: local title ${local.title} lost\n${why()}`,
      );
    }
    if (local.body !== undefined) {
      assert(
        task.description === local.body || lost(t, "body", "local_value", local.body),
        `${at}: local body lost\n${why()}`,
      );
    }
    if (local.status !== undefined) {
      assert(
        pc.readBack(taskToRemote(task.status as TaskStatus)) ===
            pc.readBack(taskToRemote(local.status as TaskStatus)) ||
          lost(t, "status", "local_value", local.status),
        `${at}: local status ${local.status} lost\n${why()}`,
      );
    }
    const remote = t.remote;
    if (remote.title !== undefined) {
      assert(
        task.title === remote.title || lost(t, "title", "remote_value", remote.title),
        `${at}: remote title ${remote.title} lost\n${why()}`,
      );
    }
    if (remote.body !== undefined) {
      assert(
        task.description === remote.body || lost(t, "body", "remote_value", taskBody(t.id, remote.body)),
        `${at}: remote body lost\n${why()}`,
      );
    }
    if (remote.status !== undefined) {
      assert(
        pc.readBack(issue.status) === pc.readBack(remote.status as RemoteStatus) ||
          conflicts.some((x) =>
            x.task_id === t.id && x.field === "status" &&
            pc.readBack(x.remote_value as RemoteStatus) === pc.readBack(remote.status as RemoteStatus)
          ),
        `${at}: remote status ${remote.status} lost\n${why()}`,
      );
    }
    if (pc.labels) {
      for (const a of [...t.localAdds, ...t.remoteAdds]) {
        assert(labels.includes(a), `${at}: label ${a} lost\n${why()}`);
      }
      for (const r of [...t.localRemoves, ...t.remoteRemoves]) {
        assert(!labels.includes(r), `${at}: label ${r} came back\n${why()}`);
      }
    }
  }
}

for (const pc of PLATFORMS) {
  Deno.test(`${pc.platform}: random edits, faults and crashes converge in two clean passes, nothing lost`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Policy>("newest_wins", "local_wins", "remote_wins"),
        fc.array(commandArb(pc.labels), { minLength: 1, maxLength: 14 }),
        (policy, commands) => runScenario(pc, policy, commands),
      ),
      {
        numRuns: NUM_RUNS,
        ...(SEED === undefined ? {} : { seed: Number(SEED) }),
        ...(PATH === undefined ? {} : { path: PATH }),
        endOnFailure: true,
      },
    );
  });
}

/**
 * The counterexample of seed 1418068696, path 366 (GitHub): an update timed out, the client retried
 * it at once, a newer edit was sent, and the first request then landed late, undoing it; the next
 * pass pulled the stale title into the task with no conflict. A write that got no answer is never
 * sent again before the forge is read.
 */
const SEED_1418068696_PATH_366: readonly Command[] = [
  { k: "remote", t: 1578389813, title: null, body: null, status: null, labels: null },
  { k: "local", t: 865620690, title: 4, body: 3, status: null, labels: null },
  { k: "fault", fault: "timeout", times: 1, on: "write" },
  { k: "local", t: 1253850154, title: 2, body: null, status: 865290076, labels: [] },
  { k: "sync" },
  { k: "local", t: 1935593068, title: 2, body: null, status: 1299975097, labels: ["bug", "docs", "ui"] },
  { k: "local", t: 258737471, title: 0, body: null, status: null, labels: null },
  { k: "sync" },
];

Deno.test("github: a timed-out update landing late is not sent twice nor pulled back (seed 1418068696, path 366)", () =>
  runScenario(PLATFORMS[0]!, "newest_wins", SEED_1418068696_PATH_366));

/**
 * The counterexample of seed 1279347750, path 1599 (Bitbucket): a pass queued the status cancelled
 * and its process died before sending; the task was edited again (active); then a person set the
 * issue to failed, which Bitbucket keeps as `wontfix`, the very state the unsent write carried. The
 * next pass could not tell that from its own write landing and pushed active over it with no record.
 * When the issue shows an unanswered write whose fields were edited locally since, the newer local
 * value is sent and the issue's value is recorded as a conflict resolved for the local side.
 */
const SEED_1279347750_PATH_1599: readonly Command[] = [
  { k: "sync", by: "both" },
  { k: "crash", mode: "before_send" },
  { k: "local", t: 1657270000, title: null, body: null, status: 2045192017, labels: null, during: false },
  { k: "local", t: 290299974, title: null, body: null, status: 577562263, labels: null, during: true },
  { k: "sync", by: "A" },
  { k: "local", t: 1610200266, title: 4, body: null, status: 1383005123, labels: null, during: false },
  { k: "fault", fault: "5xx", times: 4, on: "any", t: 708696566 },
  { k: "fault", fault: "5xx", times: 1, on: "any", t: 2030783270 },
  { k: "local", t: 614649589, title: null, body: null, status: 1181235661, labels: null, during: true },
  { k: "crash", mode: "before_send" },
  { k: "remote", t: 2124560210, title: null, body: null, status: "failed", labels: null },
  { k: "remote", t: 1359842641, title: 4, body: null, status: null, labels: null },
];

Deno.test("bitbucket: a person setting the value of an unsent write is recorded, not overwritten silently (seed 1279347750, path 1599)", () =>
  runScenario(PLATFORMS[2]!, "remote_wins", SEED_1279347750_PATH_1599));
