/**
 * The Bitbucket Cloud platform plugin (built in): issues over the REST API 2.0 with `fetch` (the
 * core's `env.fetch`) behind a small adapter.
 *
 * - **Authentication**: with `BITBUCKET_EMAIL` set, the token is an Atlassian API token sent as
 *   HTTP Basic `email:token`; otherwise it is a repository, project or workspace access token sent
 *   as Bearer. (App passwords no longer exist.)
 * - **Repositories**: `workspace/repo_slug`, any `https://bitbucket.org/workspace/repo_slug…` URL,
 *   or `git@bitbucket.org:workspace/repo_slug.git`.
 * - **Statuses** are Bitbucket states: open→`new`, in_progress→`open`, blocked→`on hold`,
 *   completed→`resolved`, cancelled and failed→`wontfix` (so failed reads back as cancelled); back:
 *   new/submitted→open, open→in_progress, on hold→blocked, resolved/closed→completed,
 *   invalid/duplicate/wontfix→cancelled.
 * - **Assignees** are Atlassian account ids (`account_id`, e.g. `557058:…`), one per issue.
 * - **Not offered**: labels (Bitbucket issues have none: a non-empty label set fails with
 *   `Unsupported`), several assignees, creating or closing milestones (read-only in the API),
 *   releases (a release is a tag instead: `createTag`), boards, conditional requests.
 * - **Webhooks**: `X-Hub-Signature` HMAC-SHA256 of the body, `X-Request-UUID`, issue events.
 * - A repository whose **issue tracker is off** fails `verify` with `Invalid`, and issue calls with
 *   `NotFound`, both saying how to turn it on (Repository settings → Features → Issue tracker).
 *
 * @example
 * ```ts
 * import bitbucket from "./mod.ts";
 * bitbucket.parseRepository("https://bitbucket.org/acme/widgets/src/main/"); // { platform: "bitbucket", path: "acme/widgets" }
 * ```
 *
 * @module
 */
import { Effect } from "effect";
import {
  type PlatformClient,
  PlatformError,
  type PlatformPlugin,
  type PluginEnv,
} from "../../src/platform/mod.ts";
import { BitbucketClient } from "./client.ts";
import { NO_BOARDS } from "./boards.ts";
import { createIssue, getIssue, updateIssue, verify } from "./issues.ts";
import { listChanged } from "./listing.ts";
import { findByMarker } from "./marker.ts";
import { listMilestones } from "./milestones.ts";
import { createTag } from "./releases.ts";
import { parseBitbucketRepository, REPOSITORY_EXAMPLES } from "./repository.ts";
import { bitbucketWebhooks } from "./webhooks.ts";

export { NO_BOARDS };

/** The variable naming the Atlassian account email that goes with an Atlassian API token. */
export const EMAIL_VARIABLE = "BITBUCKET_EMAIL";

/** Builds a connected client; fails `Unauthorized` without a token. */
function connect(env: PluginEnv): Effect.Effect<PlatformClient, PlatformError> {
  if (env.token === undefined) {
    return Effect.fail(
      new PlatformError({
        reason: "Unauthorized",
        message: `No Bitbucket token: ${env.tokenVariable} is not set.`,
        hint:
          `Set ${env.tokenVariable} to an Atlassian API token and ${EMAIL_VARIABLE} to the email of its Atlassian account, or set ${env.tokenVariable} to a repository, project or workspace access token (with scopes issue:write and repository) and leave ${EMAIL_VARIABLE} unset.`,
      }),
    );
  }
  return Effect.sync(() => {
    const client = new BitbucketClient(env, env.token!, env.env(EMAIL_VARIABLE));
    const connected: PlatformClient = {
      verify: (repo) => verify(client, repo),
      createIssue: (repo, draft) => createIssue(client, repo, draft),
      updateIssue: (repo, number, patch) => updateIssue(client, repo, number, patch),
      getIssue: (repo, number) => getIssue(client, repo, number),
      listChanged: (repo, cursor) => listChanged(client, repo, cursor),
      findByMarker: (repo, marker, since) => findByMarker(client, repo, marker, since),
      listMilestones: (repo) => listMilestones(client, repo),
      createTag: (repo, draft) => createTag(client, repo, draft),
      boards: NO_BOARDS,
    };
    return connected;
  });
}

/** The Bitbucket Cloud plugin. */
const bitbucket: PlatformPlugin = {
  id: "bitbucket",
  name: "Bitbucket",
  capabilities: {
    boards: false,
    releases: false,
    milestones: true,
    milestones_write: false,
    webhooks: true,
    conditional_requests: false,
    labels: false,
    multiple_assignees: false,
    close_reason: false,
  },
  defaultTokenVariable: "BITBUCKET_TOKEN",
  apiUrlVariable: "BITBUCKET_API_URL",
  defaultApiUrl: "https://api.bitbucket.org/2.0",
  statusAliases: { failed: "cancelled" },
  repositoryExamples: REPOSITORY_EXAMPLES,
  parseRepository: parseBitbucketRepository,
  connect,
  webhooks: bitbucketWebhooks,
};

export default bitbucket;
