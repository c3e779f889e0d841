/**
 * The core wrapper applied to every platform client (never inside plugins, like Octokit's
 * plugin-retry and plugin-throttling wrap requests from outside):
 * - retry by the one policy of `retry.ts`, an Effect `Schedule` (jittered exponential back-off,
 *   waiting at least the forge's `retry-after`): reads on `Transient` and `RateLimited` failures; idempotent writes also
 *   (batched ones included: a call of `setMilestones` is retried whole), but never after a request
 *   that got no answer; creates only after a rate-limit refusal;
 * - listings resume from the last page's cursor instead of starting over;
 * - redaction of every error message;
 * - `Unsupported` errors with a hint for operations the plugin lacks.
 *
 * A create is sent once: whether a create that failed happened anyway is settled by its caller by
 * reading the forge (the outbox looks for an issue's hidden marker; plan_release lists milestones).
 *
 * @module
 */
import { Effect } from "effect";
import { PlatformError } from "./errors.ts";
import type { PlatformClient, PlatformPlugin } from "./types.ts";
import { wrapBoards } from "./wrap_boards.ts";
import {
  DEFAULT_RETRY,
  type OperationKind,
  retrying,
  retryingStream,
  type RetryPolicy,
  type UnansweredCounter,
  type WrapEvents,
} from "./retry.ts";

function unsupported(
  plugin: PlatformPlugin,
  operation: string,
  hint: string,
): Effect.Effect<never, PlatformError> {
  return Effect.fail(
    new PlatformError({
      reason: "Unsupported",
      message: `${plugin.name} does not support ${operation}.`,
      hint,
    }),
  );
}

/** Options of {@link wrapClient}. */
export interface WrapOptions {
  readonly policy?: RetryPolicy;
  readonly events?: WrapEvents;
  /**
   * How many write requests got no answer at all (timeout, connection lost before any answer): a
   * write whose request got no answer fails `unanswered` and is never retried. Without this counter
   * every failure counts as answered.
   */
  readonly unansweredWrites?: UnansweredCounter;
}

/**
 * Wraps a plugin's client with retry, resumable listings and redaction.
 *
 * @example
 * ```ts ignore
 * const client = wrapClient(plugin, yield* plugin.connect(env));
 * ```
 */
export function wrapClient(
  plugin: PlatformPlugin,
  client: PlatformClient,
  options: WrapOptions = {},
): PlatformClient {
  const policy = options.policy ?? DEFAULT_RETRY;
  const events = options.events ?? {};
  const retry = <A>(kind: OperationKind, operation: string, f: () => Effect.Effect<A, PlatformError>) =>
    retrying(operation, { kind, policy, events, unanswered: options.unansweredWrites }, f);
  const read = <A>(operation: string, f: () => Effect.Effect<A, PlatformError>) =>
    retry("read", operation, f);

  // A listing resumes from the cursor of the last page it delivered, not from the start.
  const listChanged: PlatformClient["listChanged"] = (repo, cursor) =>
    retryingStream(
      "listChanged",
      { policy, events },
      cursor,
      (last, page) => page.cursor ?? last,
      (resume) => client.listChanged(repo, resume),
    );

  return {
    verify: (repo) => read("verify", () => client.verify(repo)),
    getIssue: (repo, number) => read("getIssue", () => client.getIssue(repo, number)),
    updateIssue: (repo, number, patch) =>
      retry("idempotent", "updateIssue", () => client.updateIssue(repo, number, patch)),
    findByMarker: (repo, marker, since) =>
      read("findByMarker", () => client.findByMarker(repo, marker, since)),
    createIssue: (repo, draft) => retry("create", "createIssue", () => client.createIssue(repo, draft)),
    listChanged,
    listMilestones: (repo) =>
      client.listMilestones === undefined
        ? unsupported(plugin, "milestones", "Manage milestones on the forge itself.")
        : read("listMilestones", () => client.listMilestones!(repo)),
    createMilestone: (repo, draft) =>
      client.createMilestone === undefined
        ? unsupported(
          plugin,
          "creating milestones",
          `${plugin.name} milestones are read-only through its API: create it on the website.`,
        )
        : retry("create", "createMilestone", () => client.createMilestone!(repo, draft)),
    closeMilestone: (repo, id) =>
      client.closeMilestone === undefined
        ? unsupported(plugin, "closing milestones", `Close the milestone on the ${plugin.name} website.`)
        : retry("idempotent", "closeMilestone", () => client.closeMilestone!(repo, id)),
    // Batched writes stay absent when the plugin has none: the core then writes issue by issue.
    batchSize: client.batchSize,
    setMilestones: client.setMilestones === undefined
      ? undefined
      : (repo, milestone, issues) =>
        retry("idempotent", "setMilestones", () => client.setMilestones!(repo, milestone, issues)),
    readMilestones: client.readMilestones === undefined
      ? undefined
      : (repo, issues) => read("readMilestones", () => client.readMilestones!(repo, issues)),
    createRelease: (repo, draft) =>
      client.createRelease === undefined
        ? unsupported(plugin, "releases", "Tag the release with git and write its notes by hand.")
        : retry("create", "createRelease", () => client.createRelease!(repo, draft)),
    createTag: (repo, draft) =>
      client.createTag === undefined
        ? unsupported(plugin, "creating tags", "Tag the commit with git and push the tag.")
        : retry("create", "createTag", () => client.createTag!(repo, draft)),
    generateNotes: (repo, input) =>
      client.generateNotes === undefined
        ? unsupported(plugin, "generated release notes", 'Use release_notes_template "automated" instead.')
        : read("generateNotes", () => client.generateNotes!(repo, input)),
    boards: wrapBoards(plugin, client.boards, { policy, events, unanswered: options.unansweredWrites }),
  };
}
