/**
 * The few GitLab v4 operations the plugin needs, on Gitbeaker resources (`@gitbeaker/rest`) built
 * with the plugin's own requester (`requester.ts`: the core's fetch, no retry). Gitbeaker's
 * generic result types are narrowed here to the JSON fields the plugin reads, so the rest of the
 * plugin never deals with them.
 *
 * @module
 */
import {
  Issues,
  PersonalAccessTokens,
  ProjectMilestones,
  ProjectReleases,
  Projects,
  Users,
} from "@gitbeaker/rest";
import type { GitLabMilestoneJson } from "./mapping.ts";
import { gitLabRequesterFn } from "./requester.ts";

/** The fields of GitLab's project JSON the plugin reads. */
export interface GitLabProjectJson {
  readonly id: number;
  readonly path_with_namespace: string;
  readonly web_url: string;
  readonly default_branch?: string | null;
  readonly issues_enabled?: boolean;
  readonly permissions?: {
    readonly project_access?: { readonly access_level: number } | null;
    readonly group_access?: { readonly access_level: number } | null;
  };
}

/** The fields of GitLab's release JSON the plugin reads. */
export interface GitLabReleaseJson {
  readonly tag_name: string;
  readonly name: string | null;
  readonly description: string | null;
  readonly _links?: { readonly self?: string };
}

/** Query of an issue listing (camelCase: Gitbeaker decamelizes it). */
export interface IssueQuery {
  readonly state?: "opened" | "closed" | "all";
  readonly orderBy?: "created_at" | "updated_at";
  readonly sort?: "asc" | "desc";
  readonly updatedAfter?: string;
  readonly createdAfter?: string;
  readonly search?: string;
  readonly in?: string;
  readonly perPage: number;
  readonly page: number;
}

/** One page of an issue listing. */
export interface IssuePage {
  readonly data: readonly unknown[];
  /** `x-next-page`, or null on the last page. */
  readonly next: number | null;
}

/** How to reach GitLab. */
export interface ApiOptions {
  /** Instance URL without `/api/v4` (`https://gitlab.example.com`). */
  readonly host: string;
  readonly token: string;
  /** `Authorization: Bearer` instead of `PRIVATE-TOKEN`. */
  readonly bearer: boolean;
  readonly fetch: typeof fetch;
  readonly userAgent: string;
}

/** The GitLab operations of the plugin. */
export interface GitLabApi {
  project(project: string): Promise<GitLabProjectJson>;
  tokenScopes(): Promise<readonly string[]>;
  userIds(username: string): Promise<ReadonlyArray<{ id: number; username: string }>>;
  createIssue(project: string, title: string, fields: Record<string, unknown>): Promise<unknown>;
  editIssue(project: string, iid: number, fields: Record<string, unknown>): Promise<unknown>;
  showIssue(project: string, iid: number): Promise<unknown>;
  listIssues(project: string, query: IssueQuery): Promise<IssuePage>;
  milestones(project: string, query: { title?: string }): Promise<readonly GitLabMilestoneJson[]>;
  createMilestone(
    project: string,
    title: string,
    fields: Record<string, unknown>,
  ): Promise<GitLabMilestoneJson>;
  editMilestone(project: string, id: number, fields: Record<string, unknown>): Promise<GitLabMilestoneJson>;
  createRelease(project: string, fields: Record<string, unknown>): Promise<GitLabReleaseJson>;
  /** The release of a tag (`GET /projects/:id/releases/:tag_name`). */
  release(project: string, tag: string): Promise<GitLabReleaseJson>;
}

/**
 * Builds the API on Gitbeaker. Gitbeaker's own timeout (`queryTimeout`) and client-side rate
 * limiter are off: the core owns timeouts, throttling and retries.
 */
export function gitLabApi(options: ApiOptions): GitLabApi {
  const config = {
    host: options.host,
    ...(options.bearer ? { oauthToken: options.token } : { token: options.token }),
    requesterFn: gitLabRequesterFn(options.fetch, options.userAgent),
    queryTimeout: null,
    rateLimits: {},
  } as ConstructorParameters<typeof Issues>[0];
  const issues = new Issues(config);
  const projects = new Projects(config);
  const tokens = new PersonalAccessTokens(config);
  const users = new Users(config);
  const milestones = new ProjectMilestones(config);
  const releases = new ProjectReleases(config);
  // deno-lint-ignore no-explicit-any
  const loose = (x: unknown) => x as any;

  return {
    project: async (project) => (await projects.show(project)) as unknown as GitLabProjectJson,
    tokenScopes: async () => {
      const self = (await tokens.show()) as unknown as { scopes?: readonly string[] };
      return self.scopes ?? [];
    },
    userIds: async (username) =>
      (await users.all(loose({ username, perPage: 100, maxPages: 1 }))) as unknown as Array<
        { id: number; username: string }
      >,
    createIssue: (project, title, fields) => issues.create(project, title, loose(fields)),
    editIssue: (project, iid, fields) => issues.edit(project, iid, loose(fields)),
    showIssue: (project, iid) => issues.show(iid, { projectId: project }),
    listIssues: async (project, query) => {
      const result =
        (await issues.all(loose({ projectId: project, ...query, showExpanded: true }))) as unknown as {
          data: unknown[];
          paginationInfo: { next: number | null };
        };
      return { data: result.data, next: result.paginationInfo.next ?? null };
    },
    // include_ancestors (GitLab 16.7+): group milestones, which issues of the project may carry.
    milestones: async (project, query) =>
      (await milestones.all(
        project,
        loose({ ...query, includeAncestors: true, perPage: 100 }),
      )) as unknown as GitLabMilestoneJson[],
    createMilestone: async (project, title, fields) =>
      (await milestones.create(project, title, loose(fields))) as unknown as GitLabMilestoneJson,
    editMilestone: async (project, id, fields) =>
      (await milestones.edit(project, id, loose(fields))) as unknown as GitLabMilestoneJson,
    createRelease: async (project, fields) =>
      (await releases.create(project, loose(fields))) as unknown as GitLabReleaseJson,
    release: async (project, tag) => (await releases.show(project, tag)) as unknown as GitLabReleaseJson,
  };
}
