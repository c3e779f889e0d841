/**
 * The few GitLab v4 operations the plugin needs, on Gitbeaker resources (`@gitbeaker/rest`) built
 * with the plugin's own requester (`requester.ts`: the core's fetch, every request sent once, no
 * retry): projects, issues, users, milestones, releases, and for boards, issue boards with their
 * lists, project labels and issues listed by label. Gitbeaker's generic result types are narrowed
 * here to the JSON fields the plugin reads, so the rest of the plugin never deals with them.
 *
 * @module
 */
import {
  Issues,
  PersonalAccessTokens,
  ProjectIssueBoards,
  ProjectLabels,
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

/** A label list of a board. */
export interface GitLabListJson {
  readonly id: number;
  readonly position: number;
  readonly label: { readonly id: number; readonly name: string } | null;
}

/** An issue board. */
export interface GitLabBoardJson {
  readonly id: number;
  readonly name: string;
  readonly project?: { readonly web_url?: string; readonly path_with_namespace?: string } | null;
  readonly lists?: readonly GitLabListJson[];
}

/** A project label. */
export interface GitLabLabelJson {
  readonly id: number;
  readonly name: string;
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
  createBoard(project: string, name: string): Promise<GitLabBoardJson>;
  showBoard(project: string, boardId: number): Promise<GitLabBoardJson>;
  lists(project: string, boardId: number): Promise<readonly GitLabListJson[]>;
  createList(project: string, boardId: number, labelId: number): Promise<GitLabListJson>;
  /** Every label of the project (all pages). */
  labels(project: string): Promise<readonly GitLabLabelJson[]>;
  createLabel(project: string, name: string, color: string): Promise<GitLabLabelJson>;
  /** One page of the project's issues carrying `label` (open and closed), by iid. */
  issuesWithLabel(project: string, label: string, page: number): Promise<IssuePage>;
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
  const boards = new ProjectIssueBoards(config);
  const labels = new ProjectLabels(config);
  // deno-lint-ignore no-explicit-any
  const loose = (x: unknown) => x as any;
  /** One page of an issue listing, with the number of the next page (Gitbeaker's `showExpanded`). */
  const page = async (query: Record<string, unknown>): Promise<IssuePage> => {
    const result = (await issues.all(loose({ ...query, showExpanded: true }))) as unknown as {
      data: unknown[];
      paginationInfo: { next: number | null };
    };
    return { data: result.data, next: result.paginationInfo.next ?? null };
  };

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
    listIssues: (project, query) => page({ projectId: project, ...query }),
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
    createBoard: async (project, name) => (await boards.create(project, name)) as unknown as GitLabBoardJson,
    showBoard: async (project, id) => (await boards.show(project, id)) as unknown as GitLabBoardJson,
    lists: async (project, id) => (await boards.allLists(project, id)) as unknown as GitLabListJson[],
    createList: async (project, id, labelId) =>
      (await boards.createList(project, id, { labelId })) as unknown as GitLabListJson,
    labels: async (project) =>
      (await labels.all(project, loose({ perPage: 100 }))) as unknown as GitLabLabelJson[],
    createLabel: async (project, name, color) =>
      (await labels.create(project, name, color)) as unknown as GitLabLabelJson,
    issuesWithLabel: (project, label, n) =>
      page({
        projectId: project,
        labels: label,
        state: "all",
        orderBy: "created_at",
        sort: "asc",
        perPage: 100,
        page: n,
      }),
  };
}
