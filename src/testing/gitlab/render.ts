/**
 * JSON shapes of the GitLab v4 API for the sandbox's entities (issues, users, projects,
 * milestones, releases), with GitLab's millisecond timestamps.
 *
 * @module
 */
import type {
  GitLabIssue,
  GitLabMilestone,
  GitLabProject,
  GitLabRelease,
  GitLabState,
  GitLabUser,
} from "./state.ts";

/** `2026-11-25T19:24:07.123Z`, as GitLab writes timestamps. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A user as `/users` and issue assignees show it. */
export function renderUser(state: GitLabState, user: GitLabUser): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    state: "active",
    locked: false,
    avatar_url: `${state.webBase}/uploads/-/system/user/avatar/${user.id}/avatar.png`,
    web_url: `${state.webBase}/${user.username}`,
  };
}

/** A milestone. */
export function renderMilestone(state: GitLabState, m: GitLabMilestone): Record<string, unknown> {
  const today = new Date(state.now()).toISOString().slice(0, 10);
  const owner = m.group_path === undefined
    ? { project_id: m.project_id }
    : { group_id: groupId(m.group_path) };
  const web = m.group_path === undefined
    ? `${state.projectUrl(state.projects.get(m.project_id)!)}/-/milestones/${m.iid}`
    : `${state.webBase}/groups/${m.group_path}/-/milestones/${m.iid}`;
  return {
    id: m.id,
    iid: m.iid,
    ...owner,
    title: m.title,
    description: m.description === "" ? null : m.description,
    state: m.state,
    created_at: iso(m.created_at),
    updated_at: iso(m.updated_at),
    due_date: m.due_date,
    start_date: m.start_date,
    expired: m.due_date !== null && m.due_date < today,
    web_url: web,
  };
}

/** A stable id for a group path (the sandbox has no group records). */
function groupId(path: string): number {
  let h = 0;
  for (const ch of path) h = (h * 31 + ch.charCodeAt(0)) % 90_000;
  return 10_000 + h;
}

/** An issue. */
export function renderIssue(state: GitLabState, issue: GitLabIssue): Record<string, unknown> {
  const project = state.projects.get(issue.project_id)!;
  const assignees = issue.assignee_ids.map((id) => renderUser(state, state.users.get(id)!));
  const author = state.users.get(issue.author_id);
  const closedBy = issue.closed_by_id === null ? undefined : state.users.get(issue.closed_by_id);
  const milestone = issue.milestone_id === null
    ? undefined
    : state.visibleMilestones(project).find((m) => m.id === issue.milestone_id);
  const web = `${state.projectUrl(project)}/-/issues/${issue.iid}`;
  const api = `${state.webBase}/api/v4/projects/${project.id}`;
  return {
    id: issue.id,
    iid: issue.iid,
    project_id: issue.project_id,
    title: issue.title,
    description: issue.description === "" ? null : issue.description,
    state: issue.state,
    created_at: iso(issue.created_at),
    updated_at: iso(issue.updated_at),
    closed_at: issue.closed_at === null ? null : iso(issue.closed_at),
    closed_by: closedBy ? renderUser(state, closedBy) : null,
    labels: [...issue.labels],
    milestone: milestone ? renderMilestone(state, milestone) : null,
    assignees,
    author: author ? renderUser(state, author) : null,
    type: "ISSUE",
    assignee: assignees[0] ?? null,
    user_notes_count: 0,
    merge_requests_count: 0,
    upvotes: 0,
    downvotes: 0,
    due_date: null,
    confidential: false,
    discussion_locked: null,
    issue_type: "issue",
    web_url: web,
    time_stats: {
      time_estimate: 0,
      total_time_spent: 0,
      human_time_estimate: null,
      human_total_time_spent: null,
    },
    task_completion_status: { count: 0, completed_count: 0 },
    has_tasks: false,
    _links: {
      self: `${api}/issues/${issue.iid}`,
      notes: `${api}/issues/${issue.iid}/notes`,
      award_emoji: `${api}/issues/${issue.iid}/award_emoji`,
      project: api,
      closed_as_duplicate_of: null,
    },
    references: {
      short: `#${issue.iid}`,
      relative: `#${issue.iid}`,
      full: `${project.path_with_namespace}#${issue.iid}`,
    },
    severity: "UNKNOWN",
    moved_to_id: null,
    service_desk_reply_to: null,
  };
}

/** A project, with the `permissions` of the caller. */
export function renderProject(
  state: GitLabState,
  project: GitLabProject,
  userId: number | undefined,
): Record<string, unknown> {
  const parts = project.path_with_namespace.split("/");
  const path = parts[parts.length - 1]!;
  const namespacePath = parts.slice(0, -1).join("/");
  const namespaceName = parts[parts.length - 2] ?? "";
  const level = state.accessLevel(project, userId);
  const web = state.projectUrl(project);
  const host = new URL(state.webBase).host;
  const open = project.issues.filter((i) => !i.deleted && i.state === "opened").length;
  return {
    id: project.id,
    description: project.description === "" ? null : project.description,
    name: path,
    name_with_namespace: parts.join(" / "),
    path,
    path_with_namespace: project.path_with_namespace,
    created_at: iso(project.created_at),
    default_branch: project.default_branch,
    ssh_url_to_repo: `git@${host.split(":")[0]}:${project.path_with_namespace}.git`,
    http_url_to_repo: `${web}.git`,
    web_url: web,
    visibility: project.visibility,
    namespace: {
      id: 1000 + namespacePath.length,
      name: namespaceName,
      path: namespaceName,
      kind: "group",
      full_path: namespacePath,
      parent_id: parts.length > 2 ? 1000 : null,
      web_url: `${state.webBase}/groups/${namespacePath}`,
    },
    issues_enabled: project.issues_enabled,
    open_issues_count: project.issues_enabled ? open : undefined,
    archived: false,
    permissions: {
      project_access: level > 0 ? { access_level: level, notification_level: 3 } : null,
      group_access: null,
    },
    _links: {
      self: `${state.webBase}/api/v4/projects/${project.id}`,
      issues: `${state.webBase}/api/v4/projects/${project.id}/issues`,
    },
  };
}

/** A release. */
export function renderRelease(
  state: GitLabState,
  project: GitLabProject,
  release: GitLabRelease,
): Record<string, unknown> {
  const author = state.users.get(release.author_id);
  const web = state.projectUrl(project);
  return {
    tag_name: release.tag_name,
    description: release.description,
    name: release.name,
    created_at: iso(release.created_at),
    released_at: iso(release.released_at),
    upcoming_release: false,
    author: author ? renderUser(state, author) : null,
    commit: { id: "0".repeat(40), short_id: "00000000", title: "Sandbox commit" },
    milestones: release.milestone_ids
      .map((id) => project.milestones.find((m) => m.id === id))
      .filter((m) => m !== undefined)
      .map((m) => renderMilestone(state, m)),
    commit_path: `/${project.path_with_namespace}/-/commit/${"0".repeat(40)}`,
    tag_path: `/${project.path_with_namespace}/-/tags/${release.tag_name}`,
    assets: { count: 0, sources: [], links: [] },
    evidences: [],
    _links: {
      self: `${web}/-/releases/${encodeURIComponent(release.tag_name)}`,
      edit_url: `${web}/-/releases/${encodeURIComponent(release.tag_name)}/edit`,
    },
  };
}
