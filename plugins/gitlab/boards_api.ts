/**
 * The GitLab v4 operations behind boards, on Gitbeaker resources built like `api.ts` (the plugin's
 * own requester: the core's fetch, every request sent once): issue boards and their lists, project
 * labels, and issues listed by label. Results are narrowed to the JSON fields the plugin reads.
 *
 * @module
 */
import { Issues, ProjectIssueBoards, ProjectLabels } from "@gitbeaker/rest";
import type { ApiOptions } from "./api.ts";
import { gitLabRequesterFn } from "./requester.ts";

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

/** The board operations of the GitLab plugin. */
export interface GitLabBoardsApi {
  createBoard(project: string, name: string): Promise<GitLabBoardJson>;
  showBoard(project: string, boardId: number): Promise<GitLabBoardJson>;
  lists(project: string, boardId: number): Promise<readonly GitLabListJson[]>;
  createList(project: string, boardId: number, labelId: number): Promise<GitLabListJson>;
  /** Every label of the project (all pages). */
  labels(project: string): Promise<readonly GitLabLabelJson[]>;
  createLabel(project: string, name: string, color: string): Promise<GitLabLabelJson>;
  /** One page of the project's issues carrying `label` (open and closed), by iid. */
  issuesWithLabel(
    project: string,
    label: string,
    page: number,
  ): Promise<{ readonly data: readonly unknown[]; readonly next: number | null }>;
}

/** Builds the board operations on Gitbeaker. */
export function gitLabBoardsApi(options: ApiOptions): GitLabBoardsApi {
  const config = {
    host: options.host,
    ...(options.bearer ? { oauthToken: options.token } : { token: options.token }),
    requesterFn: gitLabRequesterFn(options.fetch, options.userAgent),
    queryTimeout: null,
    rateLimits: {},
  } as ConstructorParameters<typeof Issues>[0];
  const boards = new ProjectIssueBoards(config);
  const labels = new ProjectLabels(config);
  const issues = new Issues(config);
  // deno-lint-ignore no-explicit-any
  const loose = (x: unknown) => x as any;
  return {
    createBoard: async (project, name) => (await boards.create(project, name)) as unknown as GitLabBoardJson,
    showBoard: async (project, id) => (await boards.show(project, id)) as unknown as GitLabBoardJson,
    lists: async (project, id) => (await boards.allLists(project, id)) as unknown as GitLabListJson[],
    createList: async (project, id, labelId) =>
      (await boards.createList(project, id, { labelId })) as unknown as GitLabListJson,
    labels: async (project) =>
      (await labels.all(project, loose({ perPage: 100 }))) as unknown as GitLabLabelJson[],
    createLabel: async (project, name, color) =>
      (await labels.create(project, name, color)) as unknown as GitLabLabelJson,
    issuesWithLabel: async (project, label, page) => {
      const result = (await issues.all(loose({
        projectId: project,
        labels: label,
        state: "all",
        orderBy: "created_at",
        sort: "asc",
        perPage: 100,
        page,
        showExpanded: true,
      }))) as unknown as { data: unknown[]; paginationInfo: { next: number | null } };
      return { data: result.data, next: result.paginationInfo.next ?? null };
    },
  };
}
