/**
 * The Bitbucket Cloud sandbox forge (SPEC §9): an in-process server answering the Bitbucket Cloud
 * 2.0 endpoints forgesync uses, served on 127.0.0.1, with a {@link SandboxHarness} over its state.
 *
 * What it imitates:
 * - `GET /2.0/repositories/{ws}/{slug}`; issues: list (`q` BBQL subset, `sort`, `pagelen` ≤ 100
 *   default 10, `page`, envelope `{size, page, pagelen, next, previous, values}`), create, get, partial
 *   `PUT` (absent keeps, null clears), `POST …/issues/{id}/changes`, `DELETE`; milestones (GET only:
 *   writes answer 405); `POST …/refs/tags`; `GET /2.0/user/permissions/repositories`.
 * - Authentication: an Atlassian API token with HTTP Basic `email:token`, repository access tokens
 *   as Bearer (their answers carry `x-oauth-scopes` and `X-RateLimit-*` headers, 1,000 requests an
 *   hour), a read-only token, and a token that cannot see these repositories.
 * - A second repository, {@link BitbucketSandbox.trackerOffRepository}, whose issue tracker is off:
 *   its issue endpoints answer 404 "Repository has no issue tracker.".
 * - Errors `{"type":"error","error":{"message", "detail"?, "fields"?}}`; 429 without Retry-After
 *   when a budget runs out (a `rate_limit` fault adds one).
 * - Timestamps with microseconds (`2026-11-25T19:24:07.123456+00:00`), strictly increasing.
 *
 * Status in harness terms: open = `new` (`submitted` reads as open), in_progress = `open`,
 * blocked = `on hold`, completed = `resolved` (`closed` reads as completed), cancelled and failed =
 * `wontfix` (`invalid` and `duplicate` read as cancelled; failed reads back as cancelled).
 * Bitbucket issues have no labels and one assignee. Users are named by Atlassian `account_id`.
 *
 * @example
 * ```ts
 * import { createBitbucketSandbox } from "./bitbucket_sandbox.ts";
 * const sandbox = await createBitbucketSandbox();
 * const [n] = await sandbox.seedIssues(1);
 * console.log(sandbox.readIssue(n!)?.status); // "open"
 * await sandbox.close();
 * ```
 *
 * @module
 */
import type { Hono } from "hono";
import type { RemoteStatus } from "../platform/types.ts";
import type { RemoteDraft, RemoteEdit, SandboxHarness, SandboxIssue } from "./harness.ts";
import { Faults, listen, RequestLog } from "./sandbox.ts";
import { Budgets, createBitbucketApp, type Credential } from "./bitbucket/app.ts";
import { formatMicros, MicroClock } from "./bitbucket/clock.ts";
import { issueJson } from "./bitbucket/json.ts";
import { harnessWebhookDelivery } from "./webhooks.ts";
import {
  type BbState,
  type BbUser,
  BitbucketState,
  type IssueChanges,
  type IssueRecord,
  makeUser,
  type RepoRecord,
} from "./bitbucket/state.ts";

export { BitbucketState } from "./bitbucket/state.ts";
export type { BbState, BbUser, IssueRecord, RepoRecord } from "./bitbucket/state.ts";
export { formatMicros, parseMicros } from "./bitbucket/clock.ts";

/** Options of {@link createBitbucketSandbox}. */
export interface BitbucketSandboxOptions {
  /** Clock in epoch milliseconds (real time by default). */
  readonly now?: () => number;
  /** The writable repository (default `acme/widgets`). */
  readonly repository?: string;
  /** Milestone names of the repository (default `v1.0`, `v1.1`, `v2.0`). */
  readonly milestones?: readonly string[];
  /** Requests an hour per credential on `/2.0/repositories/*` (default 1,000). */
  readonly rateLimit?: number;
  /** Port (default: a free one). */
  readonly port?: number;
}

/** The sandbox's credentials. */
export interface BitbucketCredentials {
  /** Atlassian account email of the API token's owner (admin on every repository). */
  readonly email: string;
  /** Atlassian API token: `Authorization: Basic base64(email:apiToken)`. */
  readonly apiToken: string;
  /** Email of a user who can only read. */
  readonly readOnlyEmail: string;
  /** That user's API token. */
  readonly readOnlyApiToken: string;
  /** Repository access token (Bearer) with `issue:write` and `repository:write`. */
  readonly accessToken: string;
  /** Repository access token (Bearer) with `issue` and `repository` (read) only. */
  readonly readOnlyToken: string;
  /** A valid access token of another repository: these repositories answer 403. */
  readonly noAccessToken: string;
}

/** A running Bitbucket sandbox. */
export interface BitbucketSandbox extends SandboxHarness {
  /** The Hono app (also usable without a socket through `app.request`). */
  readonly app: Hono;
  /** Base URL of the server, e.g. `http://127.0.0.1:43125` (`apiUrl` adds `/2.0`). */
  readonly url: string;
  /** Direct access to everything the sandbox holds. */
  readonly state: BitbucketState;
  readonly credentials: BitbucketCredentials;
  /** A repository of the same workspace whose issue tracker is off. */
  readonly trackerOffRepository: string;
  /** Assignable accounts (their `account_id`s are {@link SandboxHarness.users}). */
  readonly accounts: readonly BbUser[];
  /** The issue as the API answers it (deleted or unknown: undefined). */
  rawIssue(number: number): Record<string, unknown> | undefined;
  /** Sets Bitbucket's own state (e.g. `closed`, `invalid`, `submitted`) as a person would. */
  setState(number: number, state: BbState): void;
  /** Remaining hourly budget of a credential (`apiToken`, `accessToken`, …). */
  budgetOf(token: string): { readonly remaining: number; readonly limit: number };
}

/** Bitbucket state for a normalized status. */
export function bitbucketStateFor(status: RemoteStatus): BbState {
  switch (status) {
    case "open":
      return "new";
    case "in_progress":
      return "open";
    case "blocked":
      return "on hold";
    case "completed":
      return "resolved";
    case "cancelled":
    case "failed":
      return "wontfix";
  }
}

/** Normalized status of a Bitbucket state. */
export function statusOfBitbucketState(state: BbState): RemoteStatus {
  switch (state) {
    case "new":
    case "submitted":
      return "open";
    case "open":
      return "in_progress";
    case "on hold":
      return "blocked";
    case "resolved":
    case "closed":
      return "completed";
    case "invalid":
    case "duplicate":
    case "wontfix":
      return "cancelled";
  }
}

const SEED_STEP_MICROS = 1_001;

/**
 * Starts a Bitbucket sandbox on 127.0.0.1.
 *
 * @example
 * ```ts
 * import { createBitbucketSandbox } from "./bitbucket_sandbox.ts";
 * const sandbox = await createBitbucketSandbox();
 * const res = await fetch(`${sandbox.apiUrl}/repositories/${sandbox.repository}`, {
 *   headers: { authorization: `Bearer ${sandbox.credentials.accessToken}` },
 * });
 * console.log((await res.json()).has_issues); // true
 * await sandbox.close();
 * ```
 */
export async function createBitbucketSandbox(
  options: BitbucketSandboxOptions = {},
): Promise<BitbucketSandbox> {
  const now = options.now ?? Date.now;
  const clock = new MicroClock(now);
  const state = new BitbucketState(clock);
  const repository = (options.repository ?? "acme/widgets").toLowerCase();
  const workspace = repository.split("/")[0]!;
  const trackerOffRepository = `${workspace}/no-tracker`;
  const main = state.addRepo(repository, { milestones: options.milestones ?? ["v1.0", "v1.1", "v2.0"] });
  state.addRepo(trackerOffRepository, { hasIssues: false, milestones: [] });

  const alice = makeUser("alice", "Alice Archer");
  const bob = makeUser("bob", "Bob Baker");
  const carol = makeUser("carol", "Carol Chen");
  state.users.push(alice, bob, carol);
  const bot = makeUser("widgets-token", "Widgets access token");

  const credentials: BitbucketCredentials = {
    email: "alice@example.com",
    apiToken: "ATATT3xSandboxAlice0000000000000001",
    readOnlyEmail: "carol@example.com",
    readOnlyApiToken: "ATATT3xSandboxCarol0000000000000002",
    accessToken: "ATCTT3xSandboxWidgetsWrite000000003",
    readOnlyToken: "ATCTT3xSandboxWidgetsRead0000000004",
    noAccessToken: "ATCTT3xSandboxElsewhere00000000005",
  };
  const both = new Set([repository, trackerOffRepository]);
  const basic = new Map<string, Credential>([
    [`${credentials.email}:${credentials.apiToken}`, {
      kind: "api_token",
      user: alice,
      repos: "all",
      scopes: ["repository:admin", "issue:write"],
      bucket: credentials.apiToken,
    }],
    [`${credentials.readOnlyEmail}:${credentials.readOnlyApiToken}`, {
      kind: "api_token",
      user: carol,
      repos: "all",
      scopes: ["repository", "issue"],
      bucket: credentials.readOnlyApiToken,
    }],
  ]);
  const bearer = new Map<string, Credential>([
    [credentials.accessToken, {
      kind: "access_token",
      user: bot,
      repos: both,
      scopes: ["issue:write", "repository:write"],
      bucket: credentials.accessToken,
    }],
    [credentials.readOnlyToken, {
      kind: "access_token",
      user: bot,
      repos: both,
      scopes: ["issue", "repository"],
      bucket: credentials.readOnlyToken,
    }],
    [credentials.noAccessToken, {
      kind: "access_token",
      user: makeUser("elsewhere-token", "Elsewhere access token"),
      repos: new Set([`${workspace}/elsewhere`]),
      scopes: ["issue:write", "repository:write"],
      bucket: credentials.noAccessToken,
    }],
  ]);

  const log = new RequestLog();
  const faults = new Faults();
  const budgets = new Budgets(options.rateLimit ?? 1000, now);
  const app = createBitbucketApp({ state, log, faults, budgets, basic, bearer });
  const server = await listen(app as unknown as Hono, options.port ?? 0);
  state.apiUrl = `${server.url}/2.0`;

  const toChanges = (repo: RepoRecord, edit: RemoteEdit): IssueChanges => {
    const changes: IssueChanges = {};
    if (edit.title !== undefined) changes.title = edit.title;
    if (edit.body !== undefined) changes.raw = edit.body;
    if (edit.status !== undefined) changes.state = bitbucketStateFor(edit.status);
    if (edit.labels !== undefined && edit.labels.length > 0) {
      throw new Error(`Bitbucket issues have no labels; cannot set ${JSON.stringify(edit.labels)}.`);
    }
    if (edit.assignees !== undefined) {
      if (edit.assignees.length > 1) {
        throw new Error(`Bitbucket issues have one assignee; got ${JSON.stringify(edit.assignees)}.`);
      }
      const ref = edit.assignees[0];
      if (ref === undefined) changes.assignee = null;
      else {
        const user = state.findUser(ref);
        if (user === undefined) throw new Error(`Unknown Bitbucket user ${JSON.stringify(ref)}.`);
        changes.assignee = user;
      }
    }
    if (edit.milestone !== undefined) {
      if (edit.milestone === null) changes.milestone = null;
      else {
        const m = repo.milestones.find((x) => x.name === edit.milestone);
        if (m === undefined) throw new Error(`Unknown milestone ${JSON.stringify(edit.milestone)}.`);
        changes.milestone = m;
      }
    }
    return changes;
  };

  const live = (number: number): IssueRecord => {
    const issue = main.issues.get(number);
    if (issue === undefined || issue.deleted) throw new Error(`No issue #${number} in ${repository}.`);
    return issue;
  };

  const toSandboxIssue = (issue: IssueRecord): SandboxIssue => ({
    number: issue.id,
    title: issue.title,
    body: issue.raw,
    status: statusOfBitbucketState(issue.state),
    labels: [],
    assignees: issue.assignee === null ? [] : [issue.assignee.account_id],
    milestone: issue.milestone?.name ?? null,
    updated_at: formatMicros(issue.updated),
    deleted: issue.deleted,
  });

  const defaultDraft = (i: number): RemoteDraft => ({
    title: `Seeded issue ${i + 1}`,
    body: `Body of seeded issue ${i + 1}.`,
  });

  const budgetOf = (token: string) => ({ remaining: budgets.get(token).remaining, limit: budgets.limit });

  return {
    platform: "bitbucket",
    apiUrl: state.apiUrl,
    url: server.url,
    repository,
    trackerOffRepository,
    token: credentials.apiToken,
    env: { BITBUCKET_EMAIL: credentials.email },
    users: state.users.map((u) => u.account_id),
    accounts: [...state.users],
    milestones: main.milestones.map((m) => m.name),
    faults,
    log,
    app: app as unknown as Hono,
    state,
    credentials,

    seedIssues(count: number, make: (i: number) => RemoteDraft = defaultDraft): Promise<number[]> {
      const drafts = Array.from({ length: count }, (_, i) => make(i));
      const changes = drafts.map((d) => ({ ...toChanges(main, d), title: d.title }));
      const step = SEED_STEP_MICROS;
      const first = clock.reserve(count, clock.nowMicros() - (count + 1) * step - 3_600_000_000, step);
      return Promise.resolve(changes.map((c, i) => state.createIssue(main, c, bob, first + i * step).id));
    },

    remoteCreate(draft: RemoteDraft): Promise<number> {
      const changes = { ...toChanges(main, draft), title: draft.title };
      return Promise.resolve(state.createIssue(main, changes, bob).id);
    },

    remoteEdit(number: number, edit: RemoteEdit): Promise<void> {
      state.applyChanges(live(number), toChanges(main, edit));
      return Promise.resolve();
    },

    deleteIssue(number: number): Promise<void> {
      live(number).deleted = true;
      return Promise.resolve();
    },

    readIssue(number: number): SandboxIssue | undefined {
      const issue = main.issues.get(number);
      return issue === undefined ? undefined : toSandboxIssue(issue);
    },

    issueNumbers(): number[] {
      return [...main.issues.values()].filter((i) => !i.deleted).map((i) => i.id);
    },

    budget: () => budgetOf(credentials.apiToken),

    webhookDelivery: (input) => harnessWebhookDelivery("bitbucket", repository, input),
    budgetOf,

    rawIssue(number: number): Record<string, unknown> | undefined {
      const issue = main.issues.get(number);
      return issue === undefined || issue.deleted ? undefined : issueJson(state, main, issue);
    },

    setState(number: number, bbState: BbState): void {
      state.applyChanges(live(number), { state: bbState });
    },

    close: () => server.close(),
  };
}
