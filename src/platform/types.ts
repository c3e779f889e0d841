/**
 * The platform plugin contract (SPEC §6). A plugin turns one forge's API into a small set of
 * normalized operations; the core wraps every client with retry, throttling, conditional requests,
 * request counting and redaction, so plugins contain none of that.
 *
 * Plugins import only this module (through `mod.ts` `./plugin`) and their SDK.
 *
 * @module
 */
import type { Effect, Option, Redacted, Stream } from "effect";
import type { PlatformError } from "./errors.ts";
import type { RemoteStatus, StatusLabels } from "../domain/remote_status.ts";
export {
  DEFAULT_STATUS_LABELS,
  REMOTE_STATUSES,
  type RemoteStatus,
  type StatusLabels,
} from "../domain/remote_status.ts";
import type { BatchResults, IssueKey, RepoRef } from "./refs.ts";
export type { BatchResults, IssueKey, RepoRef } from "./refs.ts";
import type { BoardClient, NoBoards } from "./boards.ts";

/** What a platform offers beyond issues. */
export interface Capabilities {
  /** Project boards (GitHub Projects v2, GitLab issue boards). */
  readonly boards: boolean;
  /** Releases with notes. */
  readonly releases: boolean;
  /** Milestones can be read. */
  readonly milestones: boolean;
  /** Milestones can be created and closed (Bitbucket: read-only). */
  readonly milestones_write: boolean;
  /** Signed webhooks. */
  readonly webhooks: boolean;
  /** `If-None-Match` / 304 on listings (GitHub). */
  readonly conditional_requests: boolean;
  /** Free-form labels on issues. */
  readonly labels: boolean;
  /** More than one assignee per issue. */
  readonly multiple_assignees: boolean;
  /** A close reason (completed / not planned) distinct from labels. */
  readonly close_reason: boolean;
}

/** An issue as the core sees it, whatever the forge. */
export interface RemoteIssue {
  /** The number shown to people (GitHub number, GitLab iid, Bitbucket id). */
  readonly number: number;
  /** The forge's global id (GitHub node_id, GitLab global id, Bitbucket repository-scoped id as text). */
  readonly id: string;
  /** The web page of the issue. */
  readonly url: string;
  readonly title: string;
  /** The body (Markdown); "" when empty. */
  readonly body: string;
  /** Workflow status in normalized terms (status labels are consumed by it). */
  readonly status: RemoteStatus;
  /** Labels other than the status labels, sorted. Empty when the forge has no labels. */
  readonly labels: readonly string[];
  /** Assignee logins, sorted. */
  readonly assignees: readonly string[];
  /** Milestone title, or null. */
  readonly milestone: string | null;
  /** ISO-8601 UTC. */
  readonly created_at: string;
  /** ISO-8601 UTC: the forge's version of the issue. */
  readonly updated_at: string;
  /**
   * What a write asked for that the forge did not keep, one sentence each with the fix (GitLab Free
   * keeps one of several assignees). Only on the answer of a create or update, and only when
   * something was dropped; the core can record it as the link's last error.
   */
  readonly warnings?: readonly string[];
}

/** A new issue. */
export interface IssueDraft {
  readonly title: string;
  readonly body: string;
  readonly status?: RemoteStatus;
  readonly labels?: readonly string[];
  readonly assignees?: readonly string[];
  readonly milestone?: string | null;
}

/**
 * A change to an issue: absent fields are left alone. `labels` and `assignees` replace the set.
 * The core always sends `status` and `labels` together when either changes, so a plugin that
 * represents status with labels can write both in one request without reading the issue first.
 */
export interface IssuePatch {
  readonly title?: string;
  readonly body?: string;
  readonly status?: RemoteStatus;
  readonly labels?: readonly string[];
  readonly assignees?: readonly string[];
  readonly milestone?: string | null;
}

/**
 * One page of a listing of changed issues. `cursor` resumes the listing after this page; store the
 * `cursor` of the last page to list only what changes next time. Cursors are opaque to the core.
 */
export interface ChangedPage {
  readonly issues: readonly RemoteIssue[];
  readonly cursor: string | null;
}

/** What {@link PlatformClient.verify} reports about a repository. */
export interface RepoInfo {
  readonly path: string;
  readonly url: string;
  /** Whether the token can create and edit issues. */
  readonly can_write: boolean;
}

/** A milestone. */
export interface RemoteMilestone {
  /** The forge's id for the milestone (GitHub number, GitLab global id, Bitbucket id), as text. */
  readonly id: string;
  readonly title: string;
  readonly state: "open" | "closed";
  readonly description: string;
  /** YYYY-MM-DD or null. */
  readonly due_on: string | null;
  readonly url: string | null;
  /**
   * The forge's global id of the milestone where it differs from `id` (GitHub: the node id its
   * GraphQL API takes), when the answer carried it. Batched writes use it to spare a lookup.
   */
  readonly global_id?: string;
}

/** A new milestone. */
export interface MilestoneDraft {
  readonly title: string;
  readonly description?: string;
  readonly due_on?: string | null;
}

/** A release (or, on Bitbucket, a tag). */
export interface RemoteRelease {
  readonly tag: string;
  readonly name: string;
  readonly body: string;
  readonly url: string | null;
}

/** A new release. */
export interface ReleaseDraft {
  readonly tag: string;
  readonly name: string;
  readonly body: string;
  /** Branch or commit to tag. */
  readonly ref?: string;
  readonly milestone?: string | null;
}

/** A new tag, where the forge has no releases (Bitbucket). */
export interface TagDraft {
  readonly name: string;
  /** The commit hash to tag (full, or abbreviated to at least 7 characters). */
  readonly target: string;
}

/** A tag. */
export interface RemoteTag {
  readonly name: string;
  /** The full hash of the commit it points at. */
  readonly target: string;
  readonly url: string | null;
}

/** A verified, parsed webhook delivery. */
export interface WebhookEvent {
  /** The idempotency key (GitHub X-GitHub-Delivery, GitLab Idempotency-Key, Bitbucket X-Request-UUID). */
  readonly delivery_id: string;
  /** The event name as the forge calls it. */
  readonly event: string;
  /** The repository, canonical path. */
  readonly repository: string;
  /** Issue numbers the event touches (may be empty). */
  readonly issue_numbers: readonly number[];
  /** Other names of the same repository a configuration may use (GitLab: the numeric project id). */
  readonly repository_aliases?: readonly string[];
}

/** A webhook delivery as received: its headers and its raw body, byte for byte. */
export interface WebhookRequest {
  readonly headers: Headers;
  readonly body: Uint8Array;
}

/**
 * Webhook handling of a platform (capability `webhooks`). Stateless: the core finds the
 * configuration of the event's repository, reads its secret from the variable the configuration
 * names, verifies, de-duplicates by delivery id and enqueues a reconcile.
 */
export interface PlatformWebhooks {
  /** Whether the delivery carries a valid signature or token for `secret`, compared in constant time. */
  verify(request: WebhookRequest, secret: string): Promise<boolean>;
  /**
   * The event of a delivery, or null for events forgesync ignores (pushes, pings…). Throws a
   * {@link WebhookPayloadError} when a relevant event's headers or body cannot be read.
   */
  parse(request: WebhookRequest): WebhookEvent | null;
}

/** A webhook delivery that claims a relevant event but cannot be read (bad JSON, missing header). */
export class WebhookPayloadError extends Error {
  override readonly name = "WebhookPayloadError";
}

/** A connected client: the normalized operations of one forge. */
export interface PlatformClient {
  /** Checks that the repository exists and the token can read it. */
  verify(repo: RepoRef): Effect.Effect<RepoInfo, PlatformError>;
  createIssue(repo: RepoRef, draft: IssueDraft): Effect.Effect<RemoteIssue, PlatformError>;
  updateIssue(repo: RepoRef, number: number, patch: IssuePatch): Effect.Effect<RemoteIssue, PlatformError>;
  /** The issue, or none when it does not exist (a deleted or transferred issue is a `Gone` error). */
  getIssue(repo: RepoRef, number: number): Effect.Effect<Option.Option<RemoteIssue>, PlatformError>;
  /**
   * Issues changed since `cursor` (all issues when null), oldest change first, every page. Issues
   * on a page boundary may repeat; pull requests are not issues and never appear.
   */
  listChanged(repo: RepoRef, cursor: string | null): Stream.Stream<ChangedPage, PlatformError>;
  /**
   * The issue whose body holds `marker`, looking first at issues created at or after `since`
   * (the time of an interrupted create attempt): recent issues are read directly, because search
   * indexes lag behind writes.
   */
  findByMarker(
    repo: RepoRef,
    marker: string,
    since: string | null,
  ): Effect.Effect<Option.Option<RemoteIssue>, PlatformError>;
  /** Milestones (capability `milestones`). */
  listMilestones?(repo: RepoRef): Effect.Effect<readonly RemoteMilestone[], PlatformError>;
  /** Creates a milestone (capability `milestones_write`). */
  createMilestone?(repo: RepoRef, draft: MilestoneDraft): Effect.Effect<RemoteMilestone, PlatformError>;
  /** Closes a milestone (capability `milestones_write`). */
  closeMilestone?(repo: RepoRef, id: string): Effect.Effect<RemoteMilestone, PlatformError>;
  /**
   * The most issues one call of a batched write ({@link setMilestones}, {@link readMilestones})
   * takes. Each call is one request, plus one lookup when the global id of an issue (or of the
   * milestone) is not known. Set with the batched writes.
   */
  readonly batchSize?: number;
  /**
   * Puts each issue in `milestone` (one of {@link listMilestones}, or just made), up to
   * {@link batchSize} issues in one request, where the forge has a batch API (GitHub: aliased GraphQL
   * `updateIssue` mutations). Idempotent. Without it the core sends one `updateIssue` per issue.
   */
  setMilestones?(
    repo: RepoRef,
    milestone: RemoteMilestone,
    issues: readonly IssueKey[],
  ): Effect.Effect<BatchResults<void>, PlatformError>;
  /**
   * The milestone title (or null) of each issue, up to {@link batchSize} in one request: how the
   * core settles a {@link setMilestones} call that got no answer before sending any of it again.
   * Offered with {@link setMilestones}.
   */
  readMilestones?(
    repo: RepoRef,
    issues: readonly IssueKey[],
  ): Effect.Effect<BatchResults<string | null>, PlatformError>;
  /** Creates a release (capability `releases`). */
  createRelease?(repo: RepoRef, draft: ReleaseDraft): Effect.Effect<RemoteRelease, PlatformError>;
  /** Creates a tag on a commit: how a forge without releases (Bitbucket) marks one. */
  createTag?(repo: RepoRef, draft: TagDraft): Effect.Effect<RemoteTag, PlatformError>;
  /** Release notes generated by the forge, when it can. */
  generateNotes?(
    repo: RepoRef,
    input: { readonly tag: string; readonly previous_tag?: string; readonly ref?: string },
  ): Effect.Effect<string, PlatformError>;
  /** Project boards (capability `boards`; see `boards.ts`), or why the forge has none. */
  readonly boards?: BoardClient | NoBoards;
}

/**
 * A header the core's `fetch` adds (value `"hit"`) to an answer it replays from its cache after the
 * forge answered 304 Not Modified: a plugin can tell that nothing changed since it last read that URL.
 */
export const CACHED_ANSWER_HEADER = "x-forgesync-cache";

/** What the core hands a plugin when it connects. */
export interface PluginEnv {
  /** Status label names (for forges representing status with labels). */
  readonly statusLabels: StatusLabels;
  /** The fetch every request must use: the core adds conditional requests, counting and budgets. */
  readonly fetch: typeof fetch;
  /** API base URL (the plugin default unless the user set `<PLATFORM>_API_URL` or `api_url`). */
  readonly apiUrl: string;
  /** The token, if its variable is set. */
  readonly token: Redacted.Redacted<string> | undefined;
  /** The name of the variable the token came from, for error messages. */
  readonly tokenVariable: string;
  /** Reads another environment variable (e.g. BITBUCKET_EMAIL). */
  readonly env: (name: string) => string | undefined;
  /** The User-Agent to send. */
  readonly userAgent: string;
}

/** A repository string a plugin could not parse, with an example of the right form. */
export interface RepoParseError {
  readonly message: string;
}

/** A platform plugin (default export of `plugins/<name>/mod.ts`). */
export interface PlatformPlugin {
  /** Stable id: `github`, `gitlab`, `bitbucket`, … (also the `platform` column value). */
  readonly id: string;
  /** Human name. */
  readonly name: string;
  readonly capabilities: Capabilities;
  /** The token variable used when the configuration names none (`GITHUB_TOKEN`). */
  readonly defaultTokenVariable: string;
  /** The variable overriding the API base URL (`GITHUB_API_URL`). */
  readonly apiUrlVariable: string;
  /** The public API base URL. */
  readonly defaultApiUrl: string;
  /**
   * Statuses this forge cannot hold, and what they read back as (Bitbucket: `failed` is stored as
   * `wontfix` and reads back as `cancelled`). The core compares through this map.
   */
  readonly statusAliases?: Readonly<Partial<Record<RemoteStatus, RemoteStatus>>>;
  /** Example repository strings, shown in error messages. */
  readonly repositoryExamples: readonly string[];
  /**
   * Parses a repository given as a path or any URL form of this forge. Returns the canonical
   * {@link RepoRef} or an error whose message says what is wrong and shows the accepted forms.
   */
  parseRepository(input: string): RepoRef | RepoParseError;
  /** The hidden marker that tags an issue created for a local item. */
  marker?(kind: "feature" | "task", id: string): string;
  /** Builds a client. Fails with `Unauthorized` when the token is missing and the forge needs one. */
  connect(env: PluginEnv): Effect.Effect<PlatformClient, PlatformError>;
  /** Webhook verification and parsing, when the capability `webhooks` is set. */
  readonly webhooks?: PlatformWebhooks;
}

/** True when `value` is a {@link RepoParseError}. */
export function isRepoParseError(value: RepoRef | RepoParseError): value is RepoParseError {
  return "message" in value;
}

/** The default hidden marker: `<!-- forgesync:feature=ID -->` or `<!-- forgesync:task=ID -->`. */
export function defaultMarker(kind: "feature" | "task", id: string): string {
  return `<!-- forgesync:${kind}=${id} -->`;
}
