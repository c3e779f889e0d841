/**
 * The GitLab platform plugin (default export), on Gitbeaker (`@gitbeaker/rest`).
 *
 * Every request goes through the core's fetch (`PluginEnv.fetch`) via the plugin's own Gitbeaker
 * requester, which sends each request exactly once: Gitbeaker's default requester re-sends 429 and
 * 502 answers for every method (a lost create answer becomes a duplicate issue), so it is replaced;
 * the core retries, checking the hidden marker before re-creating (see `requester.ts`).
 *
 * Configuration:
 * - token: `GITLAB_TOKEN` (or the variable the configuration names); sent as `PRIVATE-TOKEN` by
 *   default. It is sent as `Authorization: Bearer` instead when `GITLAB_AUTH=bearer` (or `oauth`),
 *   or when the token looks like an OAuth access token: 64 hexadecimal characters with no `gl…-`
 *   prefix. `GITLAB_AUTH=private-token` forces `PRIVATE-TOKEN`.
 * - base URL: `GITLAB_API_URL`, the API base of a self-hosted instance
 *   (`https://gitlab.example.com/api/v4`); the instance URL without `/api/v4` is accepted too.
 *
 * @example
 * ```ts
 * import gitlab from "./mod.ts";
 * console.log(gitlab.parseRepository("https://gitlab.com/acme/platform/widgets.git"));
 * // { platform: "gitlab", path: "acme/platform/widgets" }
 * ```
 *
 * @module
 */
import { Effect, Redacted } from "effect";
import {
  type Capabilities,
  type PlatformClient,
  PlatformError,
  type PlatformPlugin,
  type PluginEnv,
} from "../../src/platform/mod.ts";
import { gitLabApi } from "./api.ts";
import { gitLabBoards } from "./boards.ts";
import { makeClient } from "./client.ts";
import { createIssue, getIssue, updateIssue, verify } from "./issues.ts";
import { listChanged } from "./listing.ts";
import { findByMarker } from "./marker.ts";
import { closeMilestone, createMilestone, listMilestones } from "./milestones.ts";
import { createRelease } from "./releases.ts";
import { parseGitLabRepository, REPOSITORY_EXAMPLES } from "./repository.ts";
import { gitlabWebhooks } from "./webhooks.ts";

export { parseGitLabRepository, REPOSITORY_EXAMPLES } from "./repository.ts";
export { toPlatformError } from "./errors.ts";
export { GitLabHttpError, gitLabRequesterFn, GitLabTransportError } from "./requester.ts";

/** What GitLab offers (boards: issue boards with label lists). */
export const GITLAB_CAPABILITIES: Capabilities = {
  boards: true,
  releases: true,
  milestones: true,
  milestones_write: true,
  webhooks: true,
  conditional_requests: false,
  labels: true,
  multiple_assignees: true,
  close_reason: false,
};

/** Whether to send the token as `Authorization: Bearer` (see the module documentation). */
export function usesBearer(token: string, authSetting: string | undefined): boolean {
  const setting = authSetting?.trim().toLowerCase();
  if (setting === "bearer" || setting === "oauth") return true;
  if (setting === "private-token" || setting === "private_token" || setting === "token") return false;
  return /^[0-9a-f]{64}$/i.test(token);
}

/** The instance URL Gitbeaker wants (`host`), from the API base URL. */
export function hostFromApiUrl(apiUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(apiUrl.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  const path = url.pathname.replace(/\/+$/, "").replace(/\/api\/v4$/, "");
  return `${url.origin}${path}`;
}

const plugin: PlatformPlugin = {
  id: "gitlab",
  name: "GitLab",
  capabilities: GITLAB_CAPABILITIES,
  defaultTokenVariable: "GITLAB_TOKEN",
  apiUrlVariable: "GITLAB_API_URL",
  defaultApiUrl: "https://gitlab.com/api/v4",
  repositoryExamples: REPOSITORY_EXAMPLES,
  parseRepository: parseGitLabRepository,
  webhooks: gitlabWebhooks,
  connect(env: PluginEnv): Effect.Effect<PlatformClient, PlatformError> {
    return Effect.suspend(() => {
      if (env.token === undefined || Redacted.value(env.token).trim() === "") {
        return Effect.fail(
          new PlatformError({
            reason: "Unauthorized",
            message: `No GitLab token: ${env.tokenVariable} is not set.`,
            hint: `Set ${env.tokenVariable} to a GitLab personal access token with the "api" scope.`,
          }),
        );
      }
      const host = hostFromApiUrl(env.apiUrl);
      if (host === undefined) {
        return Effect.fail(
          new PlatformError({
            reason: "Invalid",
            message: `The GitLab API URL "${env.apiUrl}" is not an http(s) URL.`,
            hint:
              "Set GITLAB_API_URL to the API base of the instance, e.g. https://gitlab.example.com/api/v4.",
          }),
        );
      }
      const token = Redacted.value(env.token).trim();
      const api = gitLabApi({
        host,
        token,
        bearer: usesBearer(token, env.env("GITLAB_AUTH")),
        fetch: env.fetch,
        userAgent: env.userAgent,
      });
      const client = makeClient(env, api, token);
      const connected: PlatformClient = {
        verify: (repo) => verify(client, repo),
        createIssue: (repo, draft) => createIssue(client, repo, draft),
        updateIssue: (repo, n, patch) => updateIssue(client, repo, n, patch),
        getIssue: (repo, n) => getIssue(client, repo, n),
        listChanged: (repo, cursor) => listChanged(client, repo, cursor),
        findByMarker: (repo, marker, since) => findByMarker(client, repo, marker, since),
        listMilestones: (repo) => listMilestones(client, repo),
        createMilestone: (repo, draft) => createMilestone(client, repo, draft),
        closeMilestone: (repo, id) => closeMilestone(client, repo, id),
        createRelease: (repo, draft) => createRelease(client, repo, draft),
        boards: gitLabBoards(client),
      };
      return Effect.succeed(connected);
    });
  },
};

export default plugin;
