/**
 * A minimal platform plugin, written from scratch with `fetch` and the contract's helpers only: the
 * starting point of a plugin for a new forge (docs/plugins.md walks through it). It speaks the issue
 * API of Bitbucket Cloud 2.0 — so that the Bitbucket sandbox can stand in for its forge and the
 * conformance kit can run on it (`skeleton_test.ts`) — and offers issues only: no labels, one
 * assignee, no milestones, releases, boards or webhooks.
 *
 * What the contract's helpers do for it: `keysetListing` and `decodeCursor` give `listChanged` its
 * pages and cursors, `reasonForStatus` and `rateLimitWaitSeconds` map failures, `redactError` keeps
 * the token out of messages. What it does not do: retry, throttle or cache — the core wraps every
 * client with those.
 *
 * @example
 * ```sh
 * FORGESYNC_PLUGINS=examples/custom_plugin/skeleton.ts SKELETON_TOKEN=… SKELETON_API_URL=https://… \
 *   deno task mcp
 * ```
 *
 * @module
 */
import { Effect, Option, Redacted, Stream } from "effect";
import {
  decodeCursor,
  foreignCursorError,
  type IssuePatch,
  keysetListing,
  PlatformError,
  type PlatformPlugin,
  type PluginEnv,
  rateLimitWaitSeconds,
  reasonForStatus,
  redactError,
  type RemoteIssue,
  type RemoteStatus,
  type RepoRef,
  retryAfterSeconds,
} from "../../src/platform/mod.ts";

const STATE: Record<RemoteStatus, string> = {
  open: "new",
  in_progress: "open",
  blocked: "on hold",
  completed: "resolved",
  cancelled: "wontfix",
  failed: "wontfix",
};
const STATUS: Record<string, RemoteStatus> = {
  new: "open",
  open: "in_progress",
  "on hold": "blocked",
  resolved: "completed",
  wontfix: "cancelled",
};

// deno-lint-ignore no-explicit-any
type Json = any;

/** A connection: where to send, how to authenticate, what to keep out of messages. */
interface Connection {
  readonly env: PluginEnv;
  readonly authorization: string;
  readonly secrets: readonly string[];
}

/** Any failure as the contract's error: the reason from the status, the wait from the headers. */
function failure(c: Connection, what: string, status: number, headers: Headers): PlatformError {
  const reason = reasonForStatus(status);
  const wait = reason === "RateLimited" ? rateLimitWaitSeconds(headers) : retryAfterSeconds(headers);
  const hint = reason === "Unauthorized" ? `Set ${c.env.tokenVariable} to a valid token.` : undefined;
  const error = new PlatformError({
    reason,
    status,
    message: `The forge answered ${status} to ${what}.`,
    hint,
  });
  return redactError(
    wait === undefined
      ? error
      : new PlatformError({ ...error, message: error.message, retryAfterSeconds: wait }),
    c.secrets,
  );
}

/** Sends a request; answers the JSON body (null for a 404 when `missing` allows it). */
function send(c: Connection, method: string, path: string, body?: unknown, missing = false) {
  const what = `${method} ${path.split("?")[0]}`;
  return Effect.tryPromise({
    try: () =>
      c.env.fetch(`${c.env.apiUrl}${path}`, {
        method,
        headers: { authorization: c.authorization, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (res) => ({ res, text: await res.text() })),
    catch: (e) =>
      redactError(new PlatformError({ reason: "Transient", message: `${what} failed: ${e}` }), c.secrets),
  }).pipe(Effect.flatMap(({ res, text }) => {
    if (missing && res.status === 404) return Effect.succeed(null);
    if (!res.ok) return Effect.fail(failure(c, what, res.status, res.headers));
    return Effect.try({
      try: (): Json => JSON.parse(text),
      catch: () =>
        new PlatformError({ reason: "Transient", message: `${what} answered a body that is not JSON.` }),
    });
  }));
}

const toIssue = (json: Json, repo: RepoRef): RemoteIssue => ({
  number: json.id,
  id: String(json.id),
  url: json.links?.html?.href ?? `${repo.path}/issues/${json.id}`,
  title: json.title ?? "",
  body: json.content?.raw ?? "",
  status: STATUS[json.state] ?? "open",
  labels: [],
  assignees: json.assignee?.account_id ? [json.assignee.account_id] : [],
  milestone: null,
  created_at: json.created_on,
  updated_at: json.updated_on,
});

/** The JSON of a draft or patch: only the fields present. */
function fields(patch: IssuePatch, update: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (patch.title !== undefined) out.title = patch.title;
  if (patch.body !== undefined) out.content = { raw: patch.body };
  if (patch.status !== undefined) out.state = STATE[patch.status];
  if (patch.assignees !== undefined && (update || patch.assignees.length > 0)) {
    out.assignee = patch.assignees.length === 0 ? null : { account_id: patch.assignees[0] };
  }
  return out;
}

const issues = (repo: RepoRef, query = "") => `/repositories/${repo.path}/issues${query}`;
const q = (bbql: string) => encodeURIComponent(bbql);

/** The skeleton plugin. */
const skeleton: PlatformPlugin = {
  id: "skeleton",
  name: "Skeleton",
  capabilities: {
    boards: false,
    releases: false,
    milestones: false,
    milestones_write: false,
    webhooks: false,
    conditional_requests: false,
    labels: false,
    multiple_assignees: false,
    close_reason: false,
  },
  defaultTokenVariable: "SKELETON_TOKEN",
  apiUrlVariable: "SKELETON_API_URL",
  defaultApiUrl: "https://api.bitbucket.org/2.0",
  statusAliases: { failed: "cancelled" },
  repositoryExamples: ["workspace/repository"],
  parseRepository: (input) =>
    /^[a-z0-9_-]+\/[a-z0-9_.-]+$/i.test(input.trim())
      ? { platform: "skeleton", path: input.trim().toLowerCase() }
      : { message: `"${input}" is not a repository: give it as workspace/repository.` },
  connect(env) {
    if (env.token === undefined) {
      return Effect.fail(
        new PlatformError({ reason: "Unauthorized", message: `${env.tokenVariable} is not set.` }),
      );
    }
    const token = Redacted.value(env.token);
    const email = env.env("BITBUCKET_EMAIL");
    const basic = email === undefined ? undefined : btoa(`${email}:${token}`);
    const c: Connection = {
      env,
      authorization: basic === undefined ? `Bearer ${token}` : `Basic ${basic}`,
      secrets: basic === undefined ? [token] : [token, basic],
    };
    const get = (repo: RepoRef, n: number) =>
      send(c, "GET", issues(repo, `/${n}`), undefined, true).pipe(
        Effect.map((json) => Option.map(Option.fromNullishOr(json), (j) => toIssue(j, repo))),
      );
    return Effect.succeed({
      verify: (repo) =>
        send(c, "GET", `/repositories/${repo.path}`).pipe(
          Effect.map((json) => ({ path: repo.path, url: json.links?.html?.href ?? "", can_write: true })),
        ),
      createIssue: (repo, draft) =>
        send(c, "POST", issues(repo), fields(draft, false)).pipe(Effect.map((j) => toIssue(j, repo))),
      updateIssue: (repo, n, patch) =>
        send(c, "PUT", issues(repo, `/${n}`), fields(patch, true)).pipe(Effect.map((j) => toIssue(j, repo))),
      getIssue: get,
      listChanged: (repo, cursor) => {
        const start = decodeCursor(cursor);
        if (start === undefined) return Stream.fail(foreignCursorError("Skeleton", repo.path, cursor ?? ""));
        return keysetListing<number>({
          since: start.since,
          pageSize: 100,
          fetchPage: ({ since, next }) => {
            const filter = since === null ? "" : `&q=${q(`updated_on >= "${since}"`)}`;
            return send(c, "GET", issues(repo, `?sort=updated_on&pagelen=100&page=${next ?? 1}${filter}`))
              .pipe(
                Effect.map((page) => ({
                  issues: page.values.map((j: Json) => toIssue(j, repo)),
                  next: typeof page.next === "string" ? (next ?? 1) + 1 : null,
                })),
              );
          },
        });
      },
      findByMarker: (repo, marker) =>
        send(
          c,
          "GET",
          issues(repo, `?sort=id&pagelen=100&q=${q(`content.raw ~ "${marker.replace(/"/g, '\\"')}"`)}`),
        )
          .pipe(Effect.map((page) => {
            const found = page.values.find((j: Json) => j.content?.raw?.includes(marker));
            return Option.map(Option.fromNullishOr(found), (j) => toIssue(j, repo));
          })),
    });
  },
};

export default skeleton;
