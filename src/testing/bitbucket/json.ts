/**
 * The JSON the Bitbucket sandbox answers with: repositories, users, milestones and issues as
 * Bitbucket Cloud 2.0 writes them.
 *
 * @module
 */
import { formatMicros } from "./clock.ts";
import type { BbMilestone, BbUser, BitbucketState, IssueRecord, RepoRecord } from "./state.ts";
import { uuidFor } from "./state.ts";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `links.html.href` of the repository. */
export function repoHtml(state: BitbucketState, repo: RepoRecord): string {
  return `${state.webUrl}/${repo.workspace}/${repo.slug}`;
}

/** Repository JSON (`GET /2.0/repositories/{ws}/{slug}`). */
export function repoJson(state: BitbucketState, repo: RepoRecord): Record<string, unknown> {
  const self = `${state.apiUrl}/repositories/${repo.workspace}/${repo.slug}`;
  return {
    type: "repository",
    full_name: `${repo.workspace}/${repo.slug}`,
    name: repo.name,
    slug: repo.slug,
    uuid: repo.uuid,
    is_private: repo.isPrivate,
    has_issues: repo.hasIssues,
    has_wiki: false,
    scm: "git",
    description: "",
    language: "typescript",
    fork_policy: "no_public_forks",
    size: 1024,
    mainbranch: { type: "branch", name: "main" },
    created_on: formatMicros(repo.created),
    updated_on: formatMicros(repo.created),
    workspace: {
      type: "workspace",
      slug: repo.workspace,
      name: repo.workspace,
      uuid: uuidFor(repo.workspace),
    },
    owner: {
      type: "team",
      username: repo.workspace,
      display_name: repo.workspace,
      uuid: uuidFor(repo.workspace),
    },
    links: {
      self: { href: self },
      html: { href: repoHtml(state, repo) },
      issues: { href: `${self}/issues` },
      clone: [
        { name: "https", href: `${state.webUrl}/${repo.workspace}/${repo.slug}.git` },
        { name: "ssh", href: `git@${new URL(state.webUrl).host}:${repo.workspace}/${repo.slug}.git` },
      ],
    },
  };
}

/** User JSON as embedded in issues. */
export function userJson(state: BitbucketState, user: BbUser): Record<string, unknown> {
  return {
    type: "user",
    display_name: user.display_name,
    uuid: user.uuid,
    account_id: user.account_id,
    nickname: user.nickname,
    links: {
      self: { href: `${state.apiUrl}/users/${encodeURIComponent(user.uuid)}` },
      html: { href: `${state.webUrl}/${encodeURIComponent(user.uuid)}/` },
      avatar: { href: `https://avatar-management.example/${user.account_id}` },
    },
  };
}

/** Milestone JSON. */
export function milestoneJson(
  state: BitbucketState,
  repo: RepoRecord,
  m: BbMilestone,
): Record<string, unknown> {
  return {
    type: "milestone",
    id: m.id,
    name: m.name,
    links: {
      self: { href: `${state.apiUrl}/repositories/${repo.workspace}/${repo.slug}/milestones/${m.id}` },
    },
  };
}

/** Issue JSON as Bitbucket Cloud 2.0 answers it. */
export function issueJson(
  state: BitbucketState,
  repo: RepoRecord,
  issue: IssueRecord,
): Record<string, unknown> {
  const self = `${state.apiUrl}/repositories/${repo.workspace}/${repo.slug}/issues/${issue.id}`;
  const html = issue.raw === ""
    ? ""
    : issue.raw.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p)}</p>`).join("\n");
  return {
    type: "issue",
    id: issue.id,
    repository: {
      type: "repository",
      full_name: `${repo.workspace}/${repo.slug}`,
      name: repo.name,
      uuid: repo.uuid,
      links: {
        self: { href: `${state.apiUrl}/repositories/${repo.workspace}/${repo.slug}` },
        html: { href: repoHtml(state, repo) },
      },
    },
    links: {
      self: { href: self },
      html: { href: `${repoHtml(state, repo)}/issues/${issue.id}` },
      comments: { href: `${self}/comments` },
      attachments: { href: `${self}/attachments` },
      watch: { href: `${self}/watch` },
      vote: { href: `${self}/vote` },
    },
    title: issue.title,
    content: { type: "rendered", raw: issue.raw, markup: "markdown", html },
    reporter: issue.reporter === null ? null : userJson(state, issue.reporter),
    assignee: issue.assignee === null ? null : userJson(state, issue.assignee),
    state: issue.state,
    kind: issue.kind,
    priority: issue.priority,
    milestone: issue.milestone === null ? null : milestoneJson(state, repo, issue.milestone),
    version: null,
    component: null,
    votes: issue.votes,
    watches: issue.watches,
    created_on: formatMicros(issue.created),
    updated_on: formatMicros(issue.updated),
    edited_on: issue.edited === null ? null : formatMicros(issue.edited),
  };
}
