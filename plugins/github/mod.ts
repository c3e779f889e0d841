/**
 * The GitHub platform plugin: issues, status (open/closed, close reason and `status: …`
 * labels), incremental listing with conditional requests, marker lookup, milestones (many
 * issues put in one in a GraphQL request), releases, Projects (v2) boards and webhooks, on github.com or GitHub Enterprise Server (`GITHUB_API_URL`), through
 * `@octokit/rest`. Every request goes through the core's `fetch`; retry, throttling and caching
 * are the core's.
 *
 * @example
 * ```ts ignore
 * import github from "./mod.ts";
 * const repo = github.parseRepository("https://github.com/octo-org/widgets/issues");
 * // { platform: "github", path: "octo-org/widgets" }
 * ```
 *
 * @module
 */
import { Effect, Redacted } from "effect";
import { defaultMarker, PlatformError } from "../../src/platform/mod.ts";
import type { PlatformClient, PlatformPlugin, PluginEnv } from "../../src/platform/mod.ts";
import { makeContext } from "./client.ts";
import { createIssue, getIssue, updateIssue, verify } from "./issues.ts";
import { listChanged } from "./listing.ts";
import { findByMarker } from "./marker.ts";
import { closeMilestone, createMilestone, listMilestones } from "./milestones.ts";
import { createRelease, generateNotes } from "./releases.ts";
import { BATCH_SIZE, readMilestones, setMilestones } from "./milestone_batch.ts";
import { parseRepository, REPOSITORY_EXAMPLES } from "./repository.ts";
import { githubBoards } from "./boards.ts";
import { githubWebhooks } from "./webhooks.ts";

/** Builds a connected client; fails `Unauthorized` without a token. */
function connect(env: PluginEnv): Effect.Effect<PlatformClient, PlatformError> {
  const token = env.token === undefined ? "" : Redacted.value(env.token).trim();
  if (token === "") {
    return Effect.fail(
      new PlatformError({
        reason: "Unauthorized",
        message: `No GitHub token: set ${env.tokenVariable} to a personal access token (classic with the ` +
          `"repo" scope, or fine-grained with Issues: read and write on the repository).`,
        hint:
          `Create one at GitHub → Settings → Developer settings → Personal access tokens, then export it ` +
          `as ${env.tokenVariable} in the environment forgesync runs in.`,
      }),
    );
  }
  try {
    const url = new URL(env.apiUrl);
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("scheme");
  } catch {
    return Effect.fail(
      new PlatformError({
        reason: "Invalid",
        message: `The GitHub API URL ${JSON.stringify(env.apiUrl)} is not an http(s) URL.`,
        hint:
          "Set GITHUB_API_URL to https://api.github.com or https://HOST/api/v3 for GitHub Enterprise Server.",
      }),
    );
  }
  return Effect.sync(() => {
    const ctx = makeContext(env, token);
    const client: PlatformClient = {
      verify: (repo) => verify(ctx, repo),
      createIssue: (repo, draft) => createIssue(ctx, repo, draft),
      updateIssue: (repo, number, patch) => updateIssue(ctx, repo, number, patch),
      getIssue: (repo, number) => getIssue(ctx, repo, number),
      listChanged: (repo, cursor) => listChanged(ctx, repo, cursor),
      findByMarker: (repo, marker, since) => findByMarker(ctx, repo, marker, since),
      listMilestones: (repo) => listMilestones(ctx, repo),
      createMilestone: (repo, draft) => createMilestone(ctx, repo, draft),
      closeMilestone: (repo, id) => closeMilestone(ctx, repo, id),
      batchSize: BATCH_SIZE,
      setMilestones: (repo, milestone, issues) => setMilestones(ctx, repo, milestone, issues),
      readMilestones: (repo, issues) => readMilestones(ctx, repo, issues),
      createRelease: (repo, draft) => createRelease(ctx, repo, draft),
      generateNotes: (repo, input) => generateNotes(ctx, repo, input),
      boards: githubBoards(ctx),
    };
    return client;
  });
}

/** The GitHub plugin. */
const github: PlatformPlugin = {
  id: "github",
  name: "GitHub",
  capabilities: {
    boards: true,
    releases: true,
    milestones: true,
    milestones_write: true,
    webhooks: true,
    conditional_requests: true,
    labels: true,
    multiple_assignees: true,
    close_reason: true,
  },
  defaultTokenVariable: "GITHUB_TOKEN",
  apiUrlVariable: "GITHUB_API_URL",
  defaultApiUrl: "https://api.github.com",
  repositoryExamples: REPOSITORY_EXAMPLES,
  parseRepository,
  marker: defaultMarker,
  connect,
  webhooks: githubWebhooks,
};

export default github;
