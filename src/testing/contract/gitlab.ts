/**
 * The contract checks of GitLab exchanges. GitLab publishes no OpenAPI description of these
 * endpoints on npm, so the definitions are Gitbeaker's typings (`@gitbeaker/core`): for each
 * endpoint the plugin calls, the options type of the Gitbeaker method that calls it (camelCase
 * there, snake_case on the wire: Gitbeaker converts) and the schema of its answer. The table below
 * is ours — which Gitbeaker method serves which path, as Gitbeaker's source builds it — the fields
 * and types are Gitbeaker's.
 *
 * Gitbeaker's typings are looser than an OpenAPI description and not exact: its answer schemas
 * admit extra fields (`extends Record<string, unknown>`), never model null, require fields GitLab
 * leaves out of some answers (a token's `token` outside its creation) and lack some GitLab sends
 * (`_links.closed_as_duplicate_of`). So answers are checked for the types of the fields they hold
 * (null accepted); a field missing from the sandbox's answer is not a problem (the sandbox sends the
 * subset of GitLab's fields that forgesync and Gitbeaker read). Requests are checked strictly:
 * every field must be one of the options Gitbeaker defines, of its type.
 *
 * @module
 */
import type { RecordedExchange } from "../sandbox.ts";
import { gitbeakerTypings } from "./definitions.ts";
import type { ContractProblem } from "./openapi_check.ts";
import { checkValue, TypeResolver } from "./ts_check.ts";
import { parseType, type TsType } from "./ts_defs.ts";

/** One GitLab endpoint with the Gitbeaker definitions of its request and answer. */
export interface GitLabEndpoint {
  readonly method: string;
  /** Path under `/api/v4`, with `:name` parameters. */
  readonly path: string;
  /** The Gitbeaker method that sends it. */
  readonly gitbeaker: string;
  /** The options type (query for GET, body otherwise), a Gitbeaker type expression. */
  readonly options?: string;
  /** Positional arguments of the method that Gitbeaker sends as fields (`title` of `Issues.create`). */
  readonly positional?: Readonly<Record<string, string>>;
  /** The answer's schema, a Gitbeaker type expression. */
  readonly answer?: string;
  /**
   * Fields GitLab documents for this endpoint that Gitbeaker's typings lack, with the source.
   * Empty for most.
   */
  readonly documented?: Readonly<Record<string, string>>;
}

/**
 * Where Gitbeaker's typings contradict GitLab's documentation, and GitLab's is followed: each a
 * pattern of the problem it would raise, with the reason.
 */
export const GITBEAKER_ERRATA: ReadonlyArray<{ readonly problem: RegExp; readonly why: string }> = [
  {
    problem: /\.closed_by is .*, not a string$/,
    why:
      "an issue's closed_by is a user object in GitLab's Issues API documentation; Gitbeaker types it as a string",
  },
];

const PAGINATION = "{ page?: number; perPage?: number; pagination?: string }";

/** The endpoints the GitLab plugin calls, with their Gitbeaker definitions. */
export const GITLAB_ENDPOINTS: readonly GitLabEndpoint[] = [
  {
    method: "GET",
    path: "/projects/:id",
    gitbeaker: "Projects.show",
    options: "{ license?: boolean; statistics?: boolean; withCustomAttributes?: boolean }",
    answer: "ProjectSchema",
  },
  {
    method: "GET",
    path: "/personal_access_tokens/self",
    gitbeaker: "PersonalAccessTokens.show",
    answer: "PersonalAccessTokenSchema",
  },
  {
    method: "GET",
    path: "/users",
    gitbeaker: "Users.all",
    options: `AllUsersOptions & ${PAGINATION}`,
    answer: "SimpleUserSchema[]",
  },
  {
    method: "GET",
    path: "/projects/:id/milestones",
    gitbeaker: "ProjectMilestones.all",
    options: `AllMilestonesOptions & ${PAGINATION}`,
    answer: "MilestoneSchema[]",
    documented: {
      includeAncestors:
        "GitLab 16.7+ (gitlab-org/gitlab!138391), replacing the deprecated include_parent_milestones",
    },
  },
  {
    method: "POST",
    path: "/projects/:id/milestones",
    gitbeaker: "ProjectMilestones.create",
    options: "{ description?: string; dueDate?: string; startDate?: string }",
    positional: { title: "string" },
    answer: "MilestoneSchema",
  },
  {
    method: "PUT",
    path: "/projects/:id/milestones/:milestone_id",
    gitbeaker: "ProjectMilestones.edit",
    options:
      "{ title?: string; description?: string; dueDate?: string; startDate?: string; stateEvent?: 'close' | 'activate' }",
    answer: "MilestoneSchema",
  },
  {
    method: "POST",
    path: "/projects/:id/issues",
    gitbeaker: "Issues.create",
    options: "CreateIssueOptions",
    positional: { title: "string" },
    answer: "IssueSchema",
  },
  {
    method: "PUT",
    path: "/projects/:id/issues/:issue_iid",
    gitbeaker: "Issues.edit",
    options: "EditIssueOptions",
    answer: "IssueSchema",
  },
  { method: "GET", path: "/projects/:id/issues/:issue_iid", gitbeaker: "Issues.show", answer: "IssueSchema" },
  {
    method: "GET",
    path: "/projects/:id/issues",
    gitbeaker: "Issues.all",
    options: `AllIssuesOptions & ${PAGINATION} & { orderBy?: string; sort?: string }`,
    answer: "IssueSchema[]",
  },
  {
    method: "POST",
    path: "/projects/:id/releases",
    gitbeaker: "ProjectReleases.create",
    // Gitbeaker types the options as `BaseRequestOptions` (any field): no definition of the body.
    answer: "ReleaseSchema",
  },
  {
    method: "POST",
    path: "/projects/:id/boards",
    gitbeaker: "ProjectIssueBoards.create",
    options: "{}",
    positional: { name: "string" },
    answer: "IssueBoardSchema",
  },
  {
    method: "GET",
    path: "/projects/:id/boards/:board_id",
    gitbeaker: "ProjectIssueBoards.show",
    answer: "IssueBoardSchema",
  },
  {
    method: "GET",
    path: "/projects/:id/boards/:board_id/lists",
    gitbeaker: "ProjectIssueBoards.allLists",
    answer: "IssueBoardListSchema[]",
  },
  {
    method: "POST",
    path: "/projects/:id/boards/:board_id/lists",
    gitbeaker: "ProjectIssueBoards.createList",
    options: "{ labelId?: number; assigneeId?: number; milestoneId?: number }",
    answer: "IssueBoardListSchema",
  },
  {
    method: "GET",
    path: "/projects/:id/labels",
    gitbeaker: "ProjectLabels.all",
    options: `{ withCounts?: boolean; includeAncestorGroups?: boolean; search?: string } & ${PAGINATION}`,
    answer: "LabelSchema[]",
  },
  {
    method: "POST",
    path: "/projects/:id/labels",
    gitbeaker: "ProjectLabels.create",
    options: "{ description?: string; priority?: number }",
    positional: { name: "string", color: "string" },
    answer: "LabelSchema",
  },
];

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), camelKeys(v)]));
}

function routeOf(path: string): GitLabEndpoint[] {
  return GITLAB_ENDPOINTS.filter((e) => {
    const re = new RegExp("^" + e.path.replace(/:[a-z_]+/g, "[^/]+") + "$");
    return re.test(path);
  });
}

/** The GitLab checker over Gitbeaker's typings. */
export class GitLabChecker {
  constructor(readonly resolver: TypeResolver) {}

  /** The problems of one exchange (`e.path` under `/api/v4`). */
  checkOne(e: RecordedExchange): ContractProblem[] {
    const path = e.path.replace(/^\/api\/v4/, "");
    const request = `${e.method} ${path}`;
    const endpoint = routeOf(path).find((x) => x.method === e.method);
    if (endpoint === undefined) return [{ request, problem: "no Gitbeaker definition covers this endpoint" }];
    const template = `${endpoint.path} (${endpoint.gitbeaker})`;
    const problems: string[] = [];
    const options = this.#options(endpoint);
    if (e.method === "GET") {
      const fields: Record<string, unknown> = {};
      for (const [k, v] of new URLSearchParams(e.query)) fields[k] = v;
      if (options !== undefined) this.#fields(fields, options, endpoint, "query", problems, true);
      else if (Object.keys(fields).length > 0) {
        problems.push("query parameters are sent, but none is defined");
      }
    } else if (e.requestBody.trim() !== "") {
      let body: unknown;
      try {
        body = JSON.parse(e.requestBody);
      } catch {
        problems.push("the request body is not JSON");
      }
      if (options !== undefined && typeof body === "object" && body !== null) {
        this.#fields(body as Record<string, unknown>, options, endpoint, "body", problems, false);
      }
    }
    if (!e.faulted && e.status >= 200 && e.status < 300 && endpoint.answer !== undefined) {
      let body: unknown;
      try {
        body = JSON.parse(e.responseBody);
      } catch {
        problems.push(`the ${e.status} answer is not JSON`);
      }
      const found = checkValue(this.resolver, body, parseType(endpoint.answer), `answer ${e.status}`, {
        mode: "response",
        nullable: true,
        partial: true,
      }).filter((p) => !GITBEAKER_ERRATA.some((x) => x.problem.test(p)));
      problems.push(...found);
    }
    return problems.map((problem) => ({ request, template, problem }));
  }

  #options(endpoint: GitLabEndpoint): TsType | undefined {
    if (endpoint.options === undefined) return undefined;
    const extra = Object.entries({ ...endpoint.positional }).map(([k, t]) => `${camel(k)}: ${t}`);
    const documented = Object.keys(endpoint.documented ?? {}).map((k) => `${k}?: unknown`);
    const all = [...extra, ...documented];
    return parseType(all.length === 0 ? endpoint.options : `${endpoint.options} & { ${all.join("; ")} }`);
  }

  #fields(
    fields: Record<string, unknown>,
    options: TsType,
    _endpoint: GitLabEndpoint,
    where: string,
    problems: string[],
    strings: boolean,
  ): void {
    const obj = this.resolver.object(options);
    if (obj === undefined) return;
    const camelized = camelKeys(fields) as Record<string, unknown>;
    if (strings) {
      // Query values are text: check the names, and enumerations by value.
      for (const key of Object.keys(camelized)) {
        if (!obj.members.has(key)) problems.push(`${where}.${key} is not in the definition`);
      }
      return;
    }
    problems.push(...checkValue(this.resolver, camelized, obj, where, { mode: "request" }));
  }
}

/** Every problem of GitLab exchanges against Gitbeaker's typings. */
export async function checkGitLabExchanges(
  exchanges: readonly RecordedExchange[],
): Promise<ContractProblem[]> {
  const checker = new GitLabChecker(new TypeResolver(await gitbeakerTypings()));
  return exchanges.flatMap((e) => checker.checkOne(e));
}
