/**
 * The production create path, for the conformance kit: a libSQL database in memory with forgesync's
 * schema, one configured repository on a sandbox, a lease on it, and the core's outbox sending
 * through the plugin under test. A create queued here is sent, settled and recorded exactly as
 * `create_issue` and every pass do it — so the kit certifies the path production uses.
 *
 * @module
 */
import { Effect, Redacted } from "effect";
import { Db, makeDb } from "../store/db.ts";
import { migrate } from "../store/migrate.ts";
import type { RepoConfig } from "../store/configs.ts";
import {
  DEFAULT_STATUS_LABELS,
  type IssueDraft,
  type PlatformPlugin,
  type RepoRef,
} from "../platform/types.ts";
import { type ConnectedForge, connectForge } from "../forges/forges.ts";
import { flushOutbox, type FlushResult } from "../sync/outbox.ts";
import { type Lease, makeHolder, retireHolder, tryLease } from "../sync/lease.ts";
import { linkById } from "../store/links.ts";
import { insertLink } from "../store/link_writes.ts";
import { enqueue } from "../store/outbox.ts";
import { execute } from "../store/sql.ts";
import { insertTask } from "../store/task_rows.ts";
import { draftSnapshot } from "../sync/snapshots.ts";
import type { SandboxHarness } from "./harness.ts";

/** The outbox of one repository on a sandbox. */
export interface OutboxRig {
  /** Queues the create of `draft` (whose body carries `marker`) for a new link; returns the link id. */
  queueCreate(draft: IssueDraft, marker: string): Promise<number>;
  /** Sends what the outbox holds, as a pass would. */
  flush(): Promise<FlushResult>;
  /** The issue number a link holds, if its create was recorded. */
  issueOf(linkId: number): Promise<number | null>;
  close(): Promise<void>;
}

/** Options of {@link openOutboxRig}. */
export interface OutboxRigOptions {
  /** The client's timeout per request (a longer latency is a request that got no answer). */
  readonly timeoutMs: number;
}

/** Opens an {@link OutboxRig} for `plugin` on `harness`. */
export async function openOutboxRig(
  plugin: PlatformPlugin,
  harness: SandboxHarness,
  repo: RepoRef,
  options: OutboxRigOptions,
): Promise<OutboxRig> {
  const db = await Effect.runPromise(makeDb({ url: ":memory:" }));
  const run = <A>(effect: Effect.Effect<A, unknown>) => Effect.runPromise(effect);
  await run(migrate().pipe(Effect.provideService(Db, db)));
  const now = new Date().toISOString();
  const inserted = await run(db.transaction(execute(
    `INSERT INTO git_integration_config (platform, repository, repository_url, conflict_policy, created_at,
       updated_at) VALUES (?, ?, ?, 'newest_wins', ?, ?)`,
    [plugin.id, repo.path, harness.repository, now, now],
  )));
  const id = Number(inserted.lastInsertRowid);
  const config: RepoConfig = {
    config_id: Number(id),
    platform: plugin.id,
    repository: repo.path,
    repository_url: harness.repository,
    api_token_name: null,
    default_labels: [],
    auto_sync_enabled: false,
    issue_template: null,
    conflict_policy: "newest_wins",
    status_mapping: null,
    webhook_secret_name: null,
    api_url: null,
    created_at: now,
    updated_at: now,
  };
  const forge: ConnectedForge = await run(connectForge({
    config,
    plugin,
    repo,
    env: {
      apiUrl: harness.apiUrl,
      token: Redacted.make(harness.token),
      tokenVariable: "CONFORMANCE_TOKEN",
      env: (name) => harness.env[name],
      userAgent: "forgesync-conformance",
      statusLabels: DEFAULT_STATUS_LABELS,
    },
    settings: {
      policy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxWaitSeconds: 1 },
      timeoutMs: options.timeoutMs,
      fetch: (input, init) => fetch(input, init),
    },
  }));
  const holder = makeHolder();
  const lease: Lease = (await run(tryLease(db, `repo:${plugin.id}:${repo.path}`, holder, 3_600_000)))!;
  let items = 0;
  return {
    queueCreate: (draft, marker) =>
      run(db.transaction(Effect.gen(function* () {
        const taskId = `task_rig_${++items}`;
        yield* insertTask({
          task_id: taskId,
          title: draft.title,
          description: "",
          status: "pending",
          priority: "medium",
          assignee: null,
          labels: [],
          feature_id: null,
          parent_task_id: null,
          due_date: null,
          created_at: now,
          updated_at: now,
          completed_at: null,
          version: 1,
        });
        const linkId = yield* insertLink({
          config_id: config.config_id,
          platform: plugin.id,
          repository: repo.path,
          feature_id: null,
          task_id: taskId,
        });
        yield* enqueue(config.config_id, linkId, {
          kind: "create",
          payload: { draft, local: { ...draftSnapshot(draft), status: "pending" }, local_version: 1, marker },
        });
        return linkId;
      }))),
    flush: () => run(flushOutbox(db, forge, lease)),
    issueOf: async (linkId) => (await run(db.reading(linkById(linkId))))?.issue_number ?? null,
    close: async () => {
      retireHolder(holder);
      await run(db.close);
    },
  };
}
