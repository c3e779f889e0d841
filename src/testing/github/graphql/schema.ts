/**
 * The GraphQL schema subset of the GitHub sandbox: accounts, repositories, issues and milestones
 * as far as Projects (v2) and batched issue writes need them, projects with their fields, options
 * and items, the four mutations a board needs — `createProjectV2`, `updateProjectV2Field`,
 * `addProjectV2ItemById`, `updateProjectV2ItemFieldValue` — and `updateIssue` (title, body, state
 * and milestone; the plugin sends it aliased to put many issues in a milestone in one request). Names, types, arguments, error messages and error `type`s follow
 * GitHub's public schema (`NOT_FOUND`, `FORBIDDEN`, `UNPROCESSABLE`, `MISSING_PAGINATION_BOUNDARIES`,
 * `EXCESSIVE_PAGINATION`).
 *
 * Access: private repositories and every project are invisible to a token without access (`none`:
 * `NOT_FOUND`, as GitHub hides them); a read-only token sees them but its mutations are `FORBIDDEN`.
 *
 * @module
 */
import { iso, isoOrNull } from "../model.ts";
import { ApiError, type IssueFields } from "../state.ts";
import type { IssueRec, MilestoneRec, RepoRec, UserRec } from "../model.ts";
import type { Urls } from "../json.ts";
import type { Budget } from "../rate.ts";
import { DEFAULT_SCOPES, type TokenGrant } from "../server.ts";
import type { GitHubState } from "../state.ts";
import {
  type FieldRec,
  type ItemRec,
  OPTION_COLORS,
  type OptionColor,
  type ProjectRec,
  type ProjectsState,
} from "../projects.ts";
import { type FieldDef, GraphQLFieldError, type SchemaDef } from "./execute.ts";

/** What resolvers see. */
export interface GraphQLContext {
  readonly state: GitHubState;
  readonly projects: ProjectsState;
  readonly viewer: TokenGrant;
  readonly urls: Urls;
  readonly budget: Budget;
}

type Ctx = GraphQLContext;
type Fields = Record<string, FieldDef<Ctx>>;

// ------------------------------------------------------------------------------ node ids and views

/** Decodes a sandbox node id (`nodeId` in model.ts): its prefix and parts. */
export function decodeNodeId(id: string): { prefix: string; parts: string[] } | undefined {
  const m = /^([A-Z]+)_kwDO([A-Za-z0-9_-]+)$/.exec(id);
  if (m === null) return undefined;
  const b64 = m[2]!.replace(/-/g, "+").replace(/_/g, "/");
  try {
    const text = atob(b64 + "=".repeat((4 - b64.length % 4) % 4));
    if (!text.startsWith("sandbox:")) return undefined;
    return { prefix: m[1]!, parts: text.slice("sandbox:".length).split(":") };
  } catch {
    return undefined;
  }
}

const notFound = (message: string) => new GraphQLFieldError(message, "NOT_FOUND");
const noNode = (id: string) => notFound(`Could not resolve to a node with the global id of '${id}'.`);
const forbidden = () =>
  new GraphQLFieldError("Resource not accessible by personal access token", "FORBIDDEN");
const unprocessable = (message: string) => new GraphQLFieldError(message, "UNPROCESSABLE");

function accountNode(user: UserRec) {
  return { __typename: user.type === "Organization" ? "Organization" : "User", user };
}
function repoNode(repo: RepoRec) {
  return { __typename: "Repository", repo };
}
function issueNode(repo: RepoRec, issue: IssueRec) {
  return { __typename: issue.pull === null ? "Issue" : "PullRequest", repo, issue };
}
function milestoneNode(repo: RepoRec, m: MilestoneRec) {
  return { __typename: "Milestone", repo, m };
}
function projectNode(project: ProjectRec) {
  return { __typename: "ProjectV2", project };
}
function fieldNode(project: ProjectRec, field: FieldRec) {
  return {
    __typename: field.dataType === "SINGLE_SELECT" ? "ProjectV2SingleSelectField" : "ProjectV2Field",
    project,
    field,
  };
}
function itemNode(item: ItemRec) {
  return { __typename: "ProjectV2Item", item };
}

function canSeeRepo(ctx: Ctx, repo: RepoRec): boolean {
  return !repo.private || ctx.viewer.access !== "none";
}

/**
 * Whether the token may read (or write) the projects of `owner`, by its kind: a classic token
 * needs the `project` scope (`read:project` to read), else GitHub answers `INSUFFICIENT_SCOPES`; a
 * fine-grained token has no permission at all on projects owned by a user, and on an
 * organization's only what its "Projects" permission grants, else `FORBIDDEN`.
 */
function projectGate(ctx: Ctx, owner: UserRec, need: "read" | "write"): void {
  const viewer = ctx.viewer;
  if ((viewer.kind ?? "classic") === "classic") {
    const scopes = viewer.scopes ?? DEFAULT_SCOPES;
    const ok = scopes.includes("project") || (need === "read" && scopes.includes("read:project"));
    if (!ok) {
      throw new GraphQLFieldError(
        `Your token has not been granted the required scopes to execute this query. The 'projectV2' field ` +
          `requires one of the following scopes: ['${
            need === "read" ? "read:project" : "project"
          }'], but your ` +
          `token has only been granted the: [${
            scopes.map((x) => `'${x}'`).join(", ")
          }] scopes. Please modify ` +
          `your token's scopes at: https://github.com/settings/tokens.`,
        "INSUFFICIENT_SCOPES",
      );
    }
    return;
  }
  const granted = owner.type === "Organization" ? viewer.orgProjects ?? "none" : "none";
  if (granted === "none" || (need === "write" && granted === "read")) throw forbidden();
}

function canSeeProject(ctx: Ctx, project: ProjectRec): boolean {
  return project.owner.type === "Organization"
    ? ctx.viewer.access !== "none"
    : project.owner.login.toLowerCase() === ctx.viewer.login.toLowerCase();
}

function mustWrite(ctx: Ctx, project: ProjectRec | UserRec): void {
  const owner = "owner" in project ? project.owner : project;
  projectGate(ctx, owner, "write");
  const mine = owner.type === "Organization" || owner.login.toLowerCase() === ctx.viewer.login.toLowerCase();
  if (!mine || ctx.viewer.access !== "write") throw forbidden();
}

function userById(ctx: Ctx, id: number): UserRec | undefined {
  for (const u of ctx.state.users.values()) if (u.id === id) return u;
  return undefined;
}

/** Resolves any node id the sandbox hands out, or undefined. */
function resolveNode(ctx: Ctx, id: string): { __typename: string } | undefined {
  const project = ctx.projects.byId.get(id);
  if (project !== undefined) {
    if (canSeeProject(ctx, project)) projectGate(ctx, project.owner, "read");
    return canSeeProject(ctx, project) ? projectNode(project) : undefined;
  }
  const item = ctx.projects.itemsById.get(id);
  if (item !== undefined) {
    return canSeeProject(ctx, ctx.projects.projectOf(item)) ? itemNode(item) : undefined;
  }
  const field = ctx.projects.fieldsById.get(id);
  if (field !== undefined) {
    return canSeeProject(ctx, field.project) ? fieldNode(field.project, field.field) : undefined;
  }
  const decoded = decodeNodeId(id);
  if (decoded === undefined) return undefined;
  const [a, b] = decoded.parts.map(Number);
  switch (decoded.prefix) {
    case "U":
    case "O": {
      const user = userById(ctx, a!);
      return user === undefined || user.node_id !== id ? undefined : accountNode(user);
    }
    case "R": {
      const repo = ctx.state.reposById.get(a!);
      return repo === undefined || !canSeeRepo(ctx, repo) ? undefined : repoNode(repo);
    }
    case "MI": {
      for (const repo of ctx.state.reposById.values()) {
        const m = repo.milestones.find((x) => x.node_id === id);
        if (m !== undefined) return canSeeRepo(ctx, repo) ? milestoneNode(repo, m) : undefined;
      }
      return undefined;
    }
    case "I":
    case "PR": {
      const repo = ctx.state.reposById.get(a!);
      const issue = repo?.issues[b! - 1];
      if (repo === undefined || issue === undefined || issue.deleted || !canSeeRepo(ctx, repo)) {
        return undefined;
      }
      return issue.node_id === id ? issueNode(repo, issue) : undefined;
    }
  }
  return undefined;
}

// ------------------------------------------------------------------------------ connections

function connection<T>(
  name: string,
  all: readonly T[],
  args: { first?: number | null; last?: number | null; after?: string | null },
) {
  if ((args.first ?? null) === null && (args.last ?? null) === null) {
    throw new GraphQLFieldError(
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`,
      "MISSING_PAGINATION_BOUNDARIES",
    );
  }
  const size = args.first ?? args.last!;
  if (size > 100 || size < 0) {
    throw new GraphQLFieldError(
      `Requesting ${size} records on the \`${name}\` connection exceeds the \`${
        args.first !== undefined && args.first !== null ? "first" : "last"
      }\` limit of 100 records.`,
      "EXCESSIVE_PAGINATION",
    );
  }
  let start = 0;
  if (typeof args.after === "string" && args.after !== "") {
    const m = /^cursor:v2:(\d+)$/.exec(safeAtob(args.after));
    if (m === null) throw new GraphQLFieldError(`\`${args.after}\` does not appear to be a valid cursor.`);
    start = Number(m[1]) + 1;
  }
  const cursor = (i: number) => btoa(`cursor:v2:${i}`);
  const nodes = args.first === undefined || args.first === null
    ? all.slice(Math.max(0, all.length - size))
    : all.slice(start, start + size);
  const first = args.first === undefined || args.first === null ? Math.max(0, all.length - size) : start;
  return {
    nodes,
    totalCount: all.length,
    pageInfo: {
      hasNextPage: first + nodes.length < all.length,
      hasPreviousPage: first > 0,
      startCursor: nodes.length > 0 ? cursor(first) : null,
      endCursor: nodes.length > 0 ? cursor(first + nodes.length - 1) : null,
    },
  };
}

function safeAtob(text: string): string {
  try {
    return atob(text);
  } catch {
    return "";
  }
}

const PAGE_ARGS = { first: "Int", last: "Int", after: "String", before: "String" };

// ------------------------------------------------------------------------------ the schema

function projectUrl(ctx: Ctx, project: ProjectRec): string {
  const kind = project.owner.type === "Organization" ? "orgs" : "users";
  return `${ctx.urls.html}/${kind}/${project.owner.login}/projects/${project.number}`;
}

function projectOf(ctx: Ctx, user: UserRec, number: number) {
  const project = ctx.projects.byNumber(user, number);
  if (project === undefined || !canSeeProject(ctx, project)) {
    throw notFound(`Could not resolve to a ProjectV2 with the number ${number}.`);
  }
  projectGate(ctx, user, "read");
  return projectNode(project);
}

const accountFields: Fields = {
  id: { type: "ID!", resolve: (p) => p.user.node_id },
  databaseId: { type: "Int", resolve: (p) => p.user.id },
  login: { type: "String!", resolve: (p) => p.user.login },
  name: { type: "String", resolve: (p) => p.user.login },
  url: { type: "URI!", resolve: (p, _a, ctx) => `${ctx.urls.html}/${p.user.login}` },
  projectV2: {
    type: "ProjectV2",
    args: { number: "Int!" },
    resolve: (p, a, ctx) => projectOf(ctx, p.user, a.number),
  },
};

const itemsOf = (ctx: Ctx, items: readonly ItemRec[]) =>
  items.filter((i) => !i.issue.deleted && canSeeRepo(ctx, i.repo)).map(itemNode);

const issueFields: Fields = {
  id: { type: "ID!", resolve: (p) => p.issue.node_id },
  databaseId: { type: "Int", resolve: (p) => p.issue.id },
  number: { type: "Int!", resolve: (p) => p.issue.number },
  title: { type: "String!", resolve: (p) => p.issue.title },
  body: { type: "String!", resolve: (p) => p.issue.body ?? "" },
  url: {
    type: "URI!",
    resolve: (p, _a, ctx) =>
      `${ctx.urls.html}/${p.repo.owner}/${p.repo.name}/${
        p.issue.pull === null ? "issues" : "pull"
      }/${p.issue.number}`,
  },
  state: { type: "IssueState!", resolve: (p) => p.issue.state === "open" ? "OPEN" : "CLOSED" },
  createdAt: { type: "DateTime!", resolve: (p) => iso(p.issue.created_at) },
  updatedAt: { type: "DateTime!", resolve: (p) => iso(p.issue.updated_at) },
  closedAt: { type: "DateTime", resolve: (p) => isoOrNull(p.issue.closed_at) },
  repository: { type: "Repository!", resolve: (p) => repoNode(p.repo) },
  milestone: {
    type: "Milestone",
    resolve: (p) => {
      const m = p.issue.milestone === null ? undefined : p.repo.milestones[p.issue.milestone - 1];
      return m === undefined ? null : milestoneNode(p.repo, m);
    },
  },
  projectItems: {
    type: "ProjectV2ItemConnection!",
    args: { ...PAGE_ARGS, includeArchived: "Boolean" },
    resolve: (p, a, ctx) => {
      // A classic token without a project scope is refused; a fine-grained one sees only the items
      // of projects it has a permission on.
      if ((ctx.viewer.kind ?? "classic") === "classic") {
        projectGate(ctx, ctx.state.user(p.repo.owner), "read");
      }
      const readable = (project: ProjectRec) => {
        if (!canSeeProject(ctx, project)) return false;
        try {
          projectGate(ctx, project.owner, "read");
          return true;
        } catch {
          return false;
        }
      };
      return connection(
        "projectItems",
        ctx.projects.itemsOfIssue(p.issue).filter((i) => readable(ctx.projects.projectOf(i))).map(itemNode),
        a,
      );
    },
  },
};

const fieldCommon: Fields = {
  id: { type: "ID!", resolve: (p) => p.field.id },
  databaseId: { type: "Int", resolve: (p) => p.field.databaseId },
  name: { type: "String!", resolve: (p) => p.field.name },
  dataType: { type: "ProjectV2FieldType!", resolve: (p) => p.field.dataType },
  project: { type: "ProjectV2!", resolve: (p) => projectNode(p.project) },
};

function projectFromInput(ctx: Ctx, id: string): ProjectRec {
  const project = ctx.projects.byId.get(id);
  if (project === undefined || !canSeeProject(ctx, project)) throw noNode(id);
  projectGate(ctx, project.owner, "read");
  return project;
}

/**
 * The fields of an `updateIssue` input the sandbox writes (title, body, state, milestone); the
 * others of GitHub's input type (assignees, labels and projects, by node id) are refused.
 */
function issueFieldsOf(ctx: Ctx, repo: RepoRec, input: Record<string, unknown>): IssueFields {
  for (const key of ["assigneeIds", "labelIds", "projectIds"]) {
    if (input[key] !== undefined && input[key] !== null) {
      throw unprocessable(`The sandbox sets ${key} through the REST API only.`);
    }
  }
  const fields: IssueFields = {};
  if (typeof input.title === "string") fields.title = input.title;
  if (typeof input.body === "string") fields.body = input.body;
  if (input.state === "OPEN" || input.state === "CLOSED") {
    fields.state = input.state === "OPEN" ? "open" : "closed";
  }
  if (input.milestoneId === null) fields.milestone = null;
  else if (typeof input.milestoneId === "string") {
    const m = resolveNode(ctx, input.milestoneId);
    if (
      m === undefined || m.__typename !== "Milestone" || (m as ReturnType<typeof milestoneNode>).repo !== repo
    ) {
      throw noNode(input.milestoneId);
    }
    fields.milestone = (m as ReturnType<typeof milestoneNode>).m.number;
  }
  return fields;
}

const mutations: Fields = {
  createProjectV2: {
    type: "CreateProjectV2Payload",
    args: { input: "CreateProjectV2Input!" },
    resolve: (_p, { input }, ctx) => {
      const owner = resolveNode(ctx, input.ownerId);
      if (owner === undefined || !("user" in owner)) throw noNode(input.ownerId);
      const account = (owner as ReturnType<typeof accountNode>).user;
      mustWrite(ctx, account);
      if (input.title.trim() === "") throw unprocessable("Title can't be blank");
      let repository: RepoRec | undefined;
      if (input.repositoryId !== undefined && input.repositoryId !== null) {
        const node = resolveNode(ctx, input.repositoryId);
        if (node === undefined || node.__typename !== "Repository") throw noNode(input.repositoryId);
        repository = (node as ReturnType<typeof repoNode>).repo;
        if (repository.owner.toLowerCase() !== account.login.toLowerCase()) {
          throw unprocessable("The repository must belong to the owner of the project.");
        }
      }
      const project = ctx.projects.create(account, input.title.trim(), repository);
      return { clientMutationId: input.clientMutationId ?? null, projectV2: projectNode(project) };
    },
  },
  updateProjectV2Field: {
    type: "UpdateProjectV2FieldPayload",
    args: { input: "UpdateProjectV2FieldInput!" },
    resolve: (_p, { input }, ctx) => {
      const found = ctx.projects.fieldsById.get(input.fieldId);
      if (found === undefined || !canSeeProject(ctx, found.project)) throw noNode(input.fieldId);
      mustWrite(ctx, found.project);
      const { field } = found;
      if (typeof input.name === "string") {
        if (input.name.trim() === "") throw unprocessable("Name can't be blank");
        field.name = input.name.trim();
      }
      if (input.iterationConfiguration !== undefined && input.iterationConfiguration !== null) {
        throw unprocessable("Iteration settings can only be set on iteration fields.");
      }
      if (Array.isArray(input.singleSelectOptions)) {
        if (field.dataType !== "SINGLE_SELECT") {
          throw unprocessable("Options can only be set on single select fields.");
        }
        const options = input.singleSelectOptions as Array<
          { name: string; color: OptionColor; description: string }
        >;
        if (options.length === 0) throw unprocessable("Single select fields need at least one option.");
        const names = options.map((o) => o.name.trim().toLowerCase());
        if (names.some((n) => n === "")) throw unprocessable("Option names can't be blank.");
        if (new Set(names).size !== names.length) throw unprocessable("Option names must be unique.");
        ctx.projects.replaceOptions(field, options.map((o) => ({ ...o, name: o.name.trim() })));
      }
      return {
        clientMutationId: input.clientMutationId ?? null,
        projectV2Field: fieldNode(found.project, field),
      };
    },
  },
  addProjectV2ItemById: {
    type: "AddProjectV2ItemByIdPayload",
    args: { input: "AddProjectV2ItemByIdInput!" },
    resolve: (_p, { input }, ctx) => {
      const project = projectFromInput(ctx, input.projectId);
      mustWrite(ctx, project);
      const content = resolveNode(ctx, input.contentId);
      if (content === undefined || !("issue" in content)) throw noNode(input.contentId);
      const { repo, issue } = content as ReturnType<typeof issueNode>;
      const item = ctx.projects.addItem(project, repo, issue);
      return { clientMutationId: input.clientMutationId ?? null, item: itemNode(item) };
    },
  },
  updateIssue: {
    type: "UpdateIssuePayload",
    args: { input: "UpdateIssueInput!" },
    resolve: (_p, { input }, ctx) => {
      const node = resolveNode(ctx, input.id);
      if (node === undefined || node.__typename !== "Issue") throw noNode(input.id);
      const { repo, issue } = node as ReturnType<typeof issueNode>;
      if (ctx.viewer.access !== "write") throw forbidden();
      const fields = issueFieldsOf(ctx, repo, input);
      try {
        ctx.state.updateIssue(repo, ctx.viewer.login, issue.number, fields);
      } catch (error) {
        if (error instanceof ApiError) throw unprocessable(error.message);
        throw error;
      }
      return { clientMutationId: input.clientMutationId ?? null, issue: issueNode(repo, issue) };
    },
  },
  updateProjectV2ItemFieldValue: {
    type: "UpdateProjectV2ItemFieldValuePayload",
    args: { input: "UpdateProjectV2ItemFieldValueInput!" },
    resolve: (_p, { input }, ctx) => {
      const project = projectFromInput(ctx, input.projectId);
      mustWrite(ctx, project);
      const item = ctx.projects.itemsById.get(input.itemId);
      if (item === undefined || !project.items.includes(item)) throw noNode(input.itemId);
      const field = project.fields.find((f) => f.id === input.fieldId);
      if (field === undefined) throw noNode(input.fieldId);
      const value = input.value as Record<string, unknown>;
      const given = Object.keys(value).filter((k) => value[k] !== null && value[k] !== undefined);
      if (given.length !== 1) throw unprocessable("Exactly one value must be given.");
      if (given[0] !== "singleSelectOptionId") {
        throw unprocessable(`The sandbox sets single select values only, not ${given[0]}.`);
      }
      if (field.dataType !== "SINGLE_SELECT") throw unprocessable("The field is not a single select field.");
      const optionId = String(value.singleSelectOptionId);
      if (!field.options.some((o) => o.id === optionId)) {
        throw new GraphQLFieldError("The single select option Id does not belong to the field");
      }
      ctx.projects.setValue(item, field, optionId);
      return { clientMutationId: input.clientMutationId ?? null, projectV2Item: itemNode(item) };
    },
  },
};

/** The schema. */
export const GITHUB_SCHEMA: SchemaDef<Ctx> = {
  query: "Query",
  mutation: "Mutation",
  types: {
    URI: { kind: "scalar" },
    DateTime: { kind: "scalar" },
    Date: { kind: "scalar" },
    IssueState: { kind: "enum", values: ["OPEN", "CLOSED"] },
    MilestoneState: { kind: "enum", values: ["OPEN", "CLOSED"] },
    ProjectV2FieldType: {
      kind: "enum",
      values: [
        "ASSIGNEES",
        "DATE",
        "ITERATION",
        "LABELS",
        "LINKED_PULL_REQUESTS",
        "MILESTONE",
        "NUMBER",
        "PARENT_ISSUE",
        "REPOSITORY",
        "REVIEWERS",
        "SINGLE_SELECT",
        "SUB_ISSUES_PROGRESS",
        "TEXT",
        "TITLE",
        "TRACKS",
        "TRACKED_BY",
      ],
    },
    ProjectV2ItemType: { kind: "enum", values: ["DRAFT_ISSUE", "ISSUE", "PULL_REQUEST", "REDACTED"] },
    ProjectV2SingleSelectFieldOptionColor: { kind: "enum", values: OPTION_COLORS },
    Query: {
      kind: "object",
      fields: {
        viewer: { type: "User!", resolve: (_p, _a, ctx) => accountNode(ctx.state.user(ctx.viewer.login)) },
        organization: {
          type: "Organization",
          args: { login: "String!" },
          resolve: (_p, a, ctx) => {
            const u = ctx.state.users.get(a.login.toLowerCase());
            if (u === undefined || u.type !== "Organization") {
              throw notFound(`Could not resolve to an Organization with the login of '${a.login}'.`);
            }
            return accountNode(u);
          },
        },
        user: {
          type: "User",
          args: { login: "String!" },
          resolve: (_p, a, ctx) => {
            const u = ctx.state.users.get(a.login.toLowerCase());
            if (u === undefined || u.type !== "User") {
              throw notFound(`Could not resolve to a User with the login of '${a.login}'.`);
            }
            return accountNode(u);
          },
        },
        repositoryOwner: {
          type: "RepositoryOwner",
          args: { login: "String!" },
          resolve: (_p, a, ctx) => {
            const u = ctx.state.users.get(a.login.toLowerCase());
            return u === undefined ? null : accountNode(u);
          },
        },
        repository: {
          type: "Repository",
          args: { owner: "String!", name: "String!", followRenames: "Boolean" },
          resolve: (_p, a, ctx) => {
            const repo = ctx.state.repo(a.owner, a.name);
            if (repo === undefined || !canSeeRepo(ctx, repo)) {
              throw notFound(`Could not resolve to a Repository with the name '${a.owner}/${a.name}'.`);
            }
            return repoNode(repo);
          },
        },
        node: {
          type: "Node",
          args: { id: "ID!" },
          resolve: (_p, a, ctx) => {
            const node = resolveNode(ctx, a.id);
            if (node === undefined) throw noNode(a.id);
            return node;
          },
        },
        rateLimit: {
          type: "RateLimit",
          args: { dryRun: "Boolean" },
          resolve: (_p, _a, ctx) => {
            const b = ctx.budget.json();
            return {
              limit: b.limit,
              cost: 1,
              remaining: b.remaining,
              used: b.used,
              resetAt: new Date(b.reset * 1000).toISOString().slice(0, 19) + "Z",
              nodeCount: 0,
            };
          },
        },
      },
    },
    Mutation: { kind: "object", fields: mutations },
    Node: { kind: "interface", fields: { id: { type: "ID!" } } },
    RepositoryOwner: {
      kind: "interface",
      fields: { id: accountFields.id!, login: accountFields.login!, url: accountFields.url! },
    },
    ProjectV2Owner: {
      kind: "interface",
      fields: { id: accountFields.id!, projectV2: accountFields.projectV2! },
    },
    Organization: {
      kind: "object",
      interfaces: ["Node", "RepositoryOwner", "ProjectV2Owner"],
      fields: accountFields,
    },
    User: {
      kind: "object",
      interfaces: ["Node", "RepositoryOwner", "ProjectV2Owner"],
      fields: accountFields,
    },
    RateLimit: {
      kind: "object",
      fields: {
        limit: { type: "Int!" },
        cost: { type: "Int!" },
        remaining: { type: "Int!" },
        used: { type: "Int!" },
        resetAt: { type: "DateTime!" },
        nodeCount: { type: "Int!" },
      },
    },
    Repository: {
      kind: "object",
      interfaces: ["Node"],
      fields: {
        id: { type: "ID!", resolve: (p) => p.repo.node_id },
        databaseId: { type: "Int", resolve: (p) => p.repo.id },
        name: { type: "String!", resolve: (p) => p.repo.name },
        nameWithOwner: { type: "String!", resolve: (p) => `${p.repo.owner}/${p.repo.name}` },
        url: { type: "URI!", resolve: (p, _a, ctx) => `${ctx.urls.html}/${p.repo.owner}/${p.repo.name}` },
        isPrivate: { type: "Boolean!", resolve: (p) => p.repo.private },
        owner: {
          type: "RepositoryOwner!",
          resolve: (p, _a, ctx) => accountNode(ctx.state.user(p.repo.owner)),
        },
        milestone: {
          type: "Milestone",
          args: { number: "Int!" },
          // GitHub answers null, without an error, for a number no milestone has.
          resolve: (p, a) => {
            const m = p.repo.milestones[a.number - 1];
            return m === undefined ? null : milestoneNode(p.repo, m);
          },
        },
        issue: {
          type: "Issue",
          args: { number: "Int!" },
          resolve: (p, a) => {
            const issue = p.repo.issues[a.number - 1];
            if (issue === undefined || issue.deleted || issue.pull !== null) {
              throw notFound(`Could not resolve to an Issue with the number of ${a.number}.`);
            }
            return issueNode(p.repo, issue);
          },
        },
      },
    },
    Issue: { kind: "object", interfaces: ["Node"], fields: issueFields },
    PullRequest: {
      kind: "object",
      interfaces: ["Node"],
      fields: {
        id: issueFields.id!,
        number: issueFields.number!,
        title: issueFields.title!,
        url: issueFields.url!,
        repository: issueFields.repository!,
        projectItems: issueFields.projectItems!,
      },
    },
    DraftIssue: {
      kind: "object",
      interfaces: ["Node"],
      fields: { id: { type: "ID!" }, title: { type: "String!" } },
    },
    Milestone: {
      kind: "object",
      interfaces: ["Node"],
      fields: {
        id: { type: "ID!", resolve: (p: { m: MilestoneRec }) => p.m.node_id },
        number: { type: "Int!", resolve: (p: { m: MilestoneRec }) => p.m.number },
        title: { type: "String!", resolve: (p: { m: MilestoneRec }) => p.m.title },
        state: {
          type: "MilestoneState!",
          resolve: (p: { m: MilestoneRec }) => p.m.state === "open" ? "OPEN" : "CLOSED",
        },
        dueOn: { type: "DateTime", resolve: (p: { m: MilestoneRec }) => isoOrNull(p.m.due_on) },
        repository: { type: "Repository!", resolve: (p: { repo: RepoRec }) => repoNode(p.repo) },
      },
    },
    ProjectV2: {
      kind: "object",
      interfaces: ["Node"],
      fields: {
        id: { type: "ID!", resolve: (p) => p.project.id },
        databaseId: { type: "Int", resolve: (p) => p.project.databaseId },
        number: { type: "Int!", resolve: (p) => p.project.number },
        title: { type: "String!", resolve: (p) => p.project.title },
        shortDescription: { type: "String", resolve: (p) => p.project.shortDescription },
        closed: { type: "Boolean!", resolve: (p) => p.project.closed },
        url: { type: "URI!", resolve: (p, _a, ctx) => projectUrl(ctx, p.project) },
        createdAt: { type: "DateTime!", resolve: (p) => iso(p.project.created_at) },
        updatedAt: { type: "DateTime!", resolve: (p) => iso(p.project.updated_at) },
        owner: { type: "ProjectV2Owner!", resolve: (p) => accountNode(p.project.owner) },
        field: {
          type: "ProjectV2FieldConfiguration",
          args: { name: "String!" },
          resolve: (p, a) => {
            const field = (p.project as ProjectRec).fields.find((f) => f.name === a.name);
            return field === undefined ? null : fieldNode(p.project, field);
          },
        },
        fields: {
          type: "ProjectV2FieldConfigurationConnection!",
          args: PAGE_ARGS,
          resolve: (p, a) =>
            connection("fields", (p.project as ProjectRec).fields.map((f) => fieldNode(p.project, f)), a),
        },
        items: {
          type: "ProjectV2ItemConnection!",
          args: PAGE_ARGS,
          resolve: (p, a, ctx) => connection("items", itemsOf(ctx, (p.project as ProjectRec).items), a),
        },
      },
    },
    ProjectV2FieldConfiguration: {
      kind: "union",
      types: ["ProjectV2Field", "ProjectV2IterationField", "ProjectV2SingleSelectField"],
    },
    ProjectV2Field: { kind: "object", interfaces: ["Node"], fields: fieldCommon },
    // Declared so that fragments on it validate as on GitHub; the sandbox never makes one.
    ProjectV2IterationField: { kind: "object", interfaces: ["Node"], fields: fieldCommon },
    ProjectV2SingleSelectField: {
      kind: "object",
      interfaces: ["Node"],
      fields: {
        ...fieldCommon,
        options: {
          type: "[ProjectV2SingleSelectFieldOption!]!",
          args: { names: "[String!]" },
          resolve: (p, a) =>
            (p.field as FieldRec).options.filter((o) => !Array.isArray(a.names) || a.names.includes(o.name)),
        },
      },
    },
    ProjectV2SingleSelectFieldOption: {
      kind: "object",
      fields: {
        id: { type: "String!" },
        name: { type: "String!" },
        nameHTML: { type: "String!", resolve: (o) => o.name },
        color: { type: "ProjectV2SingleSelectFieldOptionColor!" },
        description: { type: "String!" },
      },
    },
    ProjectV2Item: {
      kind: "object",
      interfaces: ["Node"],
      fields: {
        id: { type: "ID!", resolve: (p) => p.item.id },
        databaseId: { type: "Int", resolve: (p) => p.item.databaseId },
        type: {
          type: "ProjectV2ItemType!",
          resolve: (p) => (p.item.issue.pull === null ? "ISSUE" : "PULL_REQUEST"),
        },
        isArchived: { type: "Boolean!", resolve: () => false },
        createdAt: { type: "DateTime!", resolve: (p) => iso(p.item.created_at) },
        updatedAt: { type: "DateTime!", resolve: (p) => iso(p.item.updated_at) },
        project: { type: "ProjectV2!", resolve: (p, _a, ctx) => projectNode(ctx.projects.projectOf(p.item)) },
        content: { type: "ProjectV2ItemContent", resolve: (p) => issueNode(p.item.repo, p.item.issue) },
        fieldValueByName: {
          type: "ProjectV2ItemFieldValue",
          args: { name: "String!" },
          resolve: (p, a, ctx) => {
            const item = p.item as ItemRec;
            const project = ctx.projects.projectOf(item);
            const field = project.fields.find((f) => f.name === a.name);
            if (field === undefined) return null;
            if (field.dataType === "TITLE") {
              return {
                __typename: "ProjectV2ItemFieldTextValue",
                text: item.issue.title,
                field: fieldNode(project, field),
              };
            }
            if (field.dataType !== "SINGLE_SELECT") return null;
            const optionId = item.values.get(field.id);
            const option = field.options.find((o) => o.id === optionId);
            return option === undefined ? null : {
              __typename: "ProjectV2ItemFieldSingleSelectValue",
              name: option.name,
              optionId: option.id,
              color: option.color,
              field: fieldNode(project, field),
            };
          },
        },
      },
    },
    ProjectV2ItemContent: { kind: "union", types: ["Issue", "PullRequest", "DraftIssue"] },
    ProjectV2ItemFieldValue: {
      kind: "union",
      types: [
        "ProjectV2ItemFieldDateValue",
        "ProjectV2ItemFieldIterationValue",
        "ProjectV2ItemFieldLabelValue",
        "ProjectV2ItemFieldMilestoneValue",
        "ProjectV2ItemFieldNumberValue",
        "ProjectV2ItemFieldPullRequestValue",
        "ProjectV2ItemFieldRepositoryValue",
        "ProjectV2ItemFieldReviewerValue",
        "ProjectV2ItemFieldSingleSelectValue",
        "ProjectV2ItemFieldTextValue",
        "ProjectV2ItemFieldUserValue",
      ],
    },
    // The value types below are declared so that fragments on them validate as on GitHub (each
    // with its `field`, and a scalar field or two); the sandbox only ever answers single-select and
    // text values.
    ProjectV2ItemFieldDateValue: {
      kind: "object",
      interfaces: ["Node"],
      fields: {
        id: { type: "ID!" },
        date: { type: "Date" },
        field: { type: "ProjectV2FieldConfiguration!" },
      },
    },
    ProjectV2ItemFieldIterationValue: {
      kind: "object",
      interfaces: ["Node"],
      fields: {
        id: { type: "ID!" },
        iterationId: { type: "String!" },
        title: { type: "String!" },
        startDate: { type: "Date!" },
        duration: { type: "Int!" },
        field: { type: "ProjectV2FieldConfiguration!" },
      },
    },
    ProjectV2ItemFieldLabelValue: {
      kind: "object",
      fields: { field: { type: "ProjectV2FieldConfiguration!" } },
    },
    ProjectV2ItemFieldMilestoneValue: {
      kind: "object",
      fields: { field: { type: "ProjectV2FieldConfiguration!" }, milestone: { type: "Milestone" } },
    },
    ProjectV2ItemFieldNumberValue: {
      kind: "object",
      interfaces: ["Node"],
      fields: {
        id: { type: "ID!" },
        number: { type: "Float" },
        field: { type: "ProjectV2FieldConfiguration!" },
      },
    },
    ProjectV2ItemFieldPullRequestValue: {
      kind: "object",
      fields: { field: { type: "ProjectV2FieldConfiguration!" } },
    },
    ProjectV2ItemFieldRepositoryValue: {
      kind: "object",
      fields: { field: { type: "ProjectV2FieldConfiguration!" }, repository: { type: "Repository" } },
    },
    ProjectV2ItemFieldReviewerValue: {
      kind: "object",
      fields: { field: { type: "ProjectV2FieldConfiguration!" } },
    },
    ProjectV2ItemFieldUserValue: {
      kind: "object",
      fields: { field: { type: "ProjectV2FieldConfiguration!" } },
    },
    ProjectV2ItemFieldSingleSelectValue: {
      kind: "object",
      fields: {
        name: { type: "String" },
        optionId: { type: "String" },
        color: { type: "ProjectV2SingleSelectFieldOptionColor!" },
        field: { type: "ProjectV2FieldConfiguration!" },
      },
    },
    ProjectV2ItemFieldTextValue: {
      kind: "object",
      fields: { text: { type: "String" }, field: { type: "ProjectV2FieldConfiguration!" } },
    },
    PageInfo: {
      kind: "object",
      fields: {
        hasNextPage: { type: "Boolean!" },
        hasPreviousPage: { type: "Boolean!" },
        startCursor: { type: "String" },
        endCursor: { type: "String" },
      },
    },
    ProjectV2ItemConnection: {
      kind: "object",
      fields: {
        nodes: { type: "[ProjectV2Item]" },
        pageInfo: { type: "PageInfo!" },
        totalCount: { type: "Int!" },
      },
    },
    ProjectV2FieldConfigurationConnection: {
      kind: "object",
      fields: {
        nodes: { type: "[ProjectV2FieldConfiguration]" },
        pageInfo: { type: "PageInfo!" },
        totalCount: { type: "Int!" },
      },
    },
    CreateProjectV2Input: {
      kind: "input",
      fields: {
        ownerId: "ID!",
        title: "String!",
        repositoryId: "ID",
        teamId: "ID",
        clientMutationId: "String",
      },
    },
    CreateProjectV2Payload: {
      kind: "object",
      fields: { clientMutationId: { type: "String" }, projectV2: { type: "ProjectV2" } },
    },
    ProjectV2SingleSelectFieldOptionInput: {
      kind: "input",
      fields: { name: "String!", color: "ProjectV2SingleSelectFieldOptionColor!", description: "String!" },
    },
    UpdateProjectV2FieldInput: {
      kind: "input",
      fields: {
        fieldId: "ID!",
        name: "String",
        singleSelectOptions: "[ProjectV2SingleSelectFieldOptionInput!]",
        iterationConfiguration: "ProjectV2IterationFieldConfigurationInput",
        clientMutationId: "String",
      },
    },
    ProjectV2IterationFieldConfigurationInput: {
      kind: "input",
      fields: { duration: "Int!", iterations: "[ProjectV2Iteration!]!", startDate: "Date!" },
    },
    ProjectV2Iteration: { kind: "input", fields: { duration: "Int!", startDate: "Date!", title: "String!" } },
    UpdateProjectV2FieldPayload: {
      kind: "object",
      fields: {
        clientMutationId: { type: "String" },
        projectV2Field: { type: "ProjectV2FieldConfiguration" },
      },
    },
    AddProjectV2ItemByIdInput: {
      kind: "input",
      fields: { projectId: "ID!", contentId: "ID!", clientMutationId: "String" },
    },
    AddProjectV2ItemByIdPayload: {
      kind: "object",
      fields: { clientMutationId: { type: "String" }, item: { type: "ProjectV2Item" } },
    },
    ProjectV2FieldValue: {
      kind: "input",
      fields: {
        text: "String",
        number: "Float",
        date: "Date",
        singleSelectOptionId: "String",
        iterationId: "String",
      },
    },
    UpdateIssueInput: {
      kind: "input",
      fields: {
        id: "ID!",
        title: "String",
        body: "String",
        state: "IssueState",
        milestoneId: "ID",
        assigneeIds: "[ID!]",
        labelIds: "[ID!]",
        projectIds: "[ID!]",
        clientMutationId: "String",
      },
    },
    UpdateIssuePayload: {
      kind: "object",
      fields: { clientMutationId: { type: "String" }, issue: { type: "Issue" } },
    },
    UpdateProjectV2ItemFieldValueInput: {
      kind: "input",
      fields: {
        projectId: "ID!",
        itemId: "ID!",
        fieldId: "ID!",
        value: "ProjectV2FieldValue!",
        clientMutationId: "String",
      },
    },
    UpdateProjectV2ItemFieldValuePayload: {
      kind: "object",
      fields: { clientMutationId: { type: "String" }, projectV2Item: { type: "ProjectV2Item" } },
    },
  },
};
