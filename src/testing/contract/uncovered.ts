/**
 * What the contract tests cannot check against a published definition, and why: the endpoints (or
 * parts of them) that forgesync uses and that no definition available on npm describes. Kept in
 * step with the checkers by `uncovered_test.ts`, and listed in the README.
 *
 * @module
 */

/** One endpoint, or part of one, that no published definition covers. */
export interface Uncovered {
  readonly platform: "github" | "gitlab" | "bitbucket";
  /** `METHOD path`, and the part when only a part is uncovered. */
  readonly endpoint: string;
  readonly part: "whole" | "request body" | "query parameter" | "answer" | "payload";
  readonly why: string;
  /** What the tests check instead. */
  readonly instead: string;
}

/** The list. */
export const UNCOVERED: readonly Uncovered[] = [
  ...(["github", "gitlab", "bitbucket"] as const).map((platform) => ({
    platform,
    endpoint: "webhook deliveries (POST /webhooks/:platform)",
    part: "payload" as const,
    why: "the contract tests check what forgesync sends to the forges, not what the forges send to it",
    instead: "the harness builds deliveries as the forge does; the conformance kit verifies and parses them",
  })),
  {
    platform: "github",
    endpoint: "GET /repositories/{id}/issues, GET /repositories/{id}/milestones",
    part: "whole",
    why: "the path form of GitHub's `link` headers, absent from its OpenAPI description",
    instead: "checked as GET /repos/{owner}/{repo}/issues and …/milestones, which they stand for",
  },
  {
    platform: "bitbucket",
    endpoint: "PUT /repositories/{workspace}/{repo_slug}/issues/{issue_id}",
    part: "request body",
    why: "Bitbucket's OpenAPI description documents no request body for updating an issue",
    instead: "its answer is checked; the body's fields are those of a create, which is checked",
  },
  {
    platform: "bitbucket",
    endpoint: "GET …/issues, GET …/milestones (q, sort, pagelen, page, fields)",
    part: "query parameter",
    why: "documented once for every listing (filtering, sorting, pagination), not per endpoint",
    instead: "accepted by name on every endpoint",
  },
  {
    platform: "gitlab",
    endpoint: "every endpoint",
    part: "whole",
    why: "GitLab publishes no OpenAPI description of these endpoints on npm",
    instead:
      "Gitbeaker's typings (@gitbeaker/core): request fields strictly, answers by the types of the fields they hold",
  },
  {
    platform: "gitlab",
    endpoint: "POST /projects/:id/releases",
    part: "request body",
    why: "Gitbeaker types ProjectReleases.create's options as any field (BaseRequestOptions)",
    instead: "its answer is checked against ReleaseSchema",
  },
  {
    platform: "gitlab",
    endpoint: "GET /projects/:id/milestones (include_ancestors)",
    part: "query parameter",
    why: "GitLab 16.7+ documents it (replacing include_parent_milestones); Gitbeaker 43.8.0 does not",
    instead: "accepted by name, with GitLab's merge request as the source",
  },
];
