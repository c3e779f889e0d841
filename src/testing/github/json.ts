/**
 * The JSON the GitHub sandbox answers with: the same keys, value types and URL shapes as
 * api.github.com (checked against `@octokit/fixtures` recordings and `@octokit/openapi-types`).
 *
 * @module
 */
import type { components } from "@octokit/openapi-types";
import { iso, isoOrNull } from "./model.ts";
import type { IssueRec, LabelRec, MilestoneRec, ReleaseRec, RepoRec, UserRec } from "./model.ts";

type Schemas = components["schemas"];
/** GitHub's issue JSON (OpenAPI `issue`). */
export type IssueJson = Schemas["issue"];
/** GitHub's milestone JSON (OpenAPI `milestone`). */
export type MilestoneJson = Schemas["milestone"];
/** GitHub's repository JSON (OpenAPI `full-repository`). */
export type RepositoryJson = Schemas["full-repository"];
/** GitHub's release JSON (OpenAPI `release`). */
export type ReleaseJson = Schemas["release"];
/** GitHub's error JSON (OpenAPI `basic-error` / `validation-error`). */
export type ErrorJson = Schemas["basic-error"] & { errors?: Schemas["validation-error"]["errors"] };

/** Where the sandbox lives: the API base (`…/api/v3` on GHES) and the web base. */
export interface Urls {
  /** e.g. `http://127.0.0.1:4000/api/v3` */
  readonly api: string;
  /** e.g. `http://127.0.0.1:4000` */
  readonly html: string;
}

/** Looks accounts up by login. */
export type Users = (login: string) => UserRec;

/** GitHub's documentation root, used in error bodies. */
export const DOCS = "https://docs.github.com/rest";

/** A simple-user object. */
export function userJson(urls: Urls, user: UserRec): Schemas["simple-user"] {
  const u = `${urls.api}/users/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: user.node_id,
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: "",
    url: u,
    html_url: `${urls.html}/${user.login}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type: user.type,
    user_view_type: "public",
    site_admin: false,
  };
}

function repoApi(urls: Urls, repo: RepoRec): string {
  return `${urls.api}/repos/${repo.owner}/${repo.name}`;
}

/** A label object. */
export function labelJson(urls: Urls, repo: RepoRec, label: LabelRec): Schemas["label"] {
  return {
    id: label.id,
    node_id: label.node_id,
    url: `${repoApi(urls, repo)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: label.default,
    description: label.description,
  };
}

/** A milestone object; `counts` are its open and closed issues. */
export function milestoneJson(
  urls: Urls,
  users: Users,
  repo: RepoRec,
  m: MilestoneRec,
  counts: { open: number; closed: number },
): MilestoneJson {
  const url = `${repoApi(urls, repo)}/milestones/${m.number}`;
  return {
    url,
    html_url: `${urls.html}/${repo.owner}/${repo.name}/milestone/${m.number}`,
    labels_url: `${url}/labels`,
    id: m.id,
    node_id: m.node_id,
    number: m.number,
    title: m.title,
    description: m.description,
    creator: userJson(urls, users(m.creator)),
    open_issues: counts.open,
    closed_issues: counts.closed,
    state: m.state,
    created_at: iso(m.created_at),
    updated_at: iso(m.updated_at),
    due_on: isoOrNull(m.due_on),
    closed_at: isoOrNull(m.closed_at),
  };
}

function authorAssociation(repo: RepoRec, login: string): Schemas["author-association"] {
  if (login === repo.owner) return "OWNER";
  return repo.collaborators.has(login) ? "COLLABORATOR" : "NONE";
}

/**
 * An issue object. `single` adds what only single-issue answers carry (`closed_by`), as GitHub
 * does; `milestone` is the issue's milestone object (or null).
 */
export function issueJson(
  urls: Urls,
  users: Users,
  repo: RepoRec,
  issue: IssueRec,
  milestone: MilestoneJson | null,
  single: boolean,
): IssueJson {
  const base = repoApi(urls, repo);
  const url = `${base}/issues/${issue.number}`;
  const htmlRepo = `${urls.html}/${repo.owner}/${repo.name}`;
  const assignees = issue.assignees.map((login) => userJson(urls, users(login)));
  const json: IssueJson = {
    url,
    repository_url: base,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: issue.pull === null ? `${htmlRepo}/issues/${issue.number}` : `${htmlRepo}/pull/${issue.number}`,
    id: issue.id,
    node_id: issue.node_id,
    number: issue.number,
    title: issue.title,
    user: userJson(urls, users(issue.user)),
    labels: issue.labels.map((l) => labelJson(urls, repo, l)),
    state: issue.state,
    locked: issue.locked,
    assignee: assignees[0] ?? null,
    assignees,
    milestone,
    comments: issue.comments,
    created_at: iso(issue.created_at),
    updated_at: iso(issue.updated_at),
    closed_at: isoOrNull(issue.closed_at),
    author_association: authorAssociation(repo, issue.user),
    active_lock_reason: null,
  };
  if (issue.pull !== null) {
    json.draft = false;
    json.pull_request = {
      url: `${base}/pulls/${issue.number}`,
      html_url: `${htmlRepo}/pull/${issue.number}`,
      diff_url: `${htmlRepo}/pull/${issue.number}.diff`,
      patch_url: `${htmlRepo}/pull/${issue.number}.patch`,
      merged_at: isoOrNull(issue.pull.merged_at),
    };
  }
  json.body = issue.body;
  if (single) json.closed_by = issue.closed_by === null ? null : userJson(urls, users(issue.closed_by));
  json.reactions = {
    url: `${url}/reactions`,
    total_count: 0,
    "+1": 0,
    "-1": 0,
    laugh: 0,
    hooray: 0,
    confused: 0,
    heart: 0,
    rocket: 0,
    eyes: 0,
  };
  json.timeline_url = `${url}/timeline`;
  json.performed_via_github_app = null;
  json.state_reason = issue.state_reason;
  return json;
}

/** A full-repository object as `GET /repos/{owner}/{repo}` answers it for `viewer`. */
export function repoJson(
  urls: Urls,
  users: Users,
  repo: RepoRec,
  permissions: { admin: boolean; push: boolean; pull: boolean },
  openIssues: number,
): RepositoryJson {
  const base = repoApi(urls, repo);
  const htmlRepo = `${urls.html}/${repo.owner}/${repo.name}`;
  const owner = users(repo.owner);
  const host = new URL(urls.html).host;
  const json: RepositoryJson = {
    id: repo.id,
    node_id: repo.node_id,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    private: repo.private,
    owner: userJson(urls, owner),
    html_url: htmlRepo,
    description: null,
    fork: false,
    url: base,
    forks_url: `${base}/forks`,
    keys_url: `${base}/keys{/key_id}`,
    collaborators_url: `${base}/collaborators{/collaborator}`,
    teams_url: `${base}/teams`,
    hooks_url: `${base}/hooks`,
    issue_events_url: `${base}/issues/events{/number}`,
    events_url: `${base}/events`,
    assignees_url: `${base}/assignees{/user}`,
    branches_url: `${base}/branches{/branch}`,
    tags_url: `${base}/tags`,
    blobs_url: `${base}/git/blobs{/sha}`,
    git_tags_url: `${base}/git/tags{/sha}`,
    git_refs_url: `${base}/git/refs{/sha}`,
    trees_url: `${base}/git/trees{/sha}`,
    statuses_url: `${base}/statuses/{sha}`,
    languages_url: `${base}/languages`,
    stargazers_url: `${base}/stargazers`,
    contributors_url: `${base}/contributors`,
    subscribers_url: `${base}/subscribers`,
    subscription_url: `${base}/subscription`,
    commits_url: `${base}/commits{/sha}`,
    git_commits_url: `${base}/git/commits{/sha}`,
    comments_url: `${base}/comments{/number}`,
    issue_comment_url: `${base}/issues/comments{/number}`,
    contents_url: `${base}/contents/{+path}`,
    compare_url: `${base}/compare/{base}...{head}`,
    merges_url: `${base}/merges`,
    archive_url: `${base}/{archive_format}{/ref}`,
    downloads_url: `${base}/downloads`,
    issues_url: `${base}/issues{/number}`,
    pulls_url: `${base}/pulls{/number}`,
    milestones_url: `${base}/milestones{/number}`,
    notifications_url: `${base}/notifications{?since,all,participating}`,
    labels_url: `${base}/labels{/name}`,
    releases_url: `${base}/releases{/id}`,
    deployments_url: `${base}/deployments`,
    created_at: iso(repo.created_at),
    updated_at: iso(repo.created_at),
    pushed_at: iso(repo.created_at),
    git_url: `git://${host}/${repo.owner}/${repo.name}.git`,
    ssh_url: `git@${host}:${repo.owner}/${repo.name}.git`,
    clone_url: `${htmlRepo}.git`,
    svn_url: htmlRepo,
    homepage: null,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: repo.has_issues,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: openIssues,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: repo.private ? "private" : "public",
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
    default_branch: "main",
    permissions: {
      admin: permissions.admin,
      maintain: permissions.admin,
      push: permissions.push,
      triage: permissions.push,
      pull: permissions.pull,
    },
    temp_clone_token: "",
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_rebase_merge: true,
    allow_auto_merge: false,
    delete_branch_on_merge: false,
    allow_update_branch: false,
    use_squash_pr_title_as_default: false,
    network_count: 0,
    subscribers_count: 0,
  };
  if (owner.type === "Organization") json.organization = userJson(urls, owner);
  return json;
}

/** A release object. */
export function releaseJson(urls: Urls, users: Users, repo: RepoRec, r: ReleaseRec): ReleaseJson {
  const base = repoApi(urls, repo);
  const htmlRepo = `${urls.html}/${repo.owner}/${repo.name}`;
  return {
    url: `${base}/releases/${r.id}`,
    assets_url: `${base}/releases/${r.id}/assets`,
    upload_url: `${
      urls.api.replace(/\/api\/v3$/, "/api/uploads")
    }/repos/${repo.owner}/${repo.name}/releases/${r.id}/assets{?name,label}`,
    html_url: `${htmlRepo}/releases/tag/${encodeURIComponent(r.tag_name)}`,
    id: r.id,
    author: userJson(urls, users(r.author)),
    node_id: r.node_id,
    tag_name: r.tag_name,
    target_commitish: r.target_commitish,
    name: r.name,
    draft: r.draft,
    immutable: false,
    prerelease: r.prerelease,
    created_at: iso(r.created_at),
    updated_at: iso(r.created_at),
    published_at: isoOrNull(r.published_at),
    assets: [],
    tarball_url: `${base}/tarball/${encodeURIComponent(r.tag_name)}`,
    zipball_url: `${base}/zipball/${encodeURIComponent(r.tag_name)}`,
    body: r.body,
  };
}

/** One entry of a 422's `errors`. */
export interface FieldError {
  readonly resource: string;
  readonly code: string;
  readonly field: string;
  readonly value?: string | number | null;
  readonly message?: string;
}

/** An error body: `{message, documentation_url, status}` (+ `errors` for validation failures). */
export function errorJson(
  status: number,
  message: string,
  documentationUrl: string = DOCS,
  errors?: readonly FieldError[],
): ErrorJson {
  return {
    message,
    ...(errors !== undefined ? { errors: errors.map((e) => ({ ...e })) } : {}),
    documentation_url: documentationUrl,
    status: String(status),
  };
}
