/**
 * Milestones and releases of the GitHub sandbox, with GitHub's validation: milestone titles are
 * unique per repository, `due_on` keeps only the date (in Pacific time), release tags are unique,
 * and generated notes list the merged pull requests since the previous release, as GitHub does.
 *
 * @module
 */
import { errorJson } from "./json.ts";
import { githubDueOn, nodeId, toSecond } from "./model.ts";
import type { IssueRec, MilestoneRec, ReleaseRec, RepoRec } from "./model.ts";
import { ApiError, type GitHubState, validationFailed } from "./state.ts";
import type { Urls } from "./json.ts";

const MILESTONE_DOCS = "https://docs.github.com/rest/issues/milestones";
const RELEASE_DOCS = "https://docs.github.com/rest/releases/releases";

/** Fields of a milestone write, already type-checked. */
export interface MilestoneFields {
  title?: string;
  state?: "open" | "closed";
  description?: string | null;
  /** Epoch ms, or null to clear. */
  due_on?: number | null;
}

function checkTitle(repo: RepoRec, title: string | undefined, self: number | null, docs: string): void {
  if (title === undefined) return;
  if (title.trim() === "") {
    throw validationFailed(docs, { resource: "Milestone", code: "missing_field", field: "title" });
  }
  const clash = repo.milestones.find((m) =>
    m.title.toLowerCase() === title.toLowerCase() && m.number !== self
  );
  if (clash !== undefined) {
    throw validationFailed(docs, { resource: "Milestone", code: "already_exists", field: "title" });
  }
}

/** `POST /repos/{o}/{r}/milestones`. */
export function createMilestone(
  state: GitHubState,
  repo: RepoRec,
  actor: string,
  fields: MilestoneFields,
): MilestoneRec {
  const docs = `${MILESTONE_DOCS}#create-a-milestone`;
  if (fields.title === undefined) {
    throw validationFailed(docs, { resource: "Milestone", code: "missing_field", field: "title" });
  }
  checkTitle(repo, fields.title, null, docs);
  const now = state.nowSecond();
  const id = state.nextId();
  const closed = fields.state === "closed";
  const m: MilestoneRec = {
    id,
    node_id: nodeId("MI", id),
    number: repo.milestones.length + 1,
    title: fields.title,
    description: fields.description ?? null,
    state: closed ? "closed" : "open",
    due_on: fields.due_on === undefined || fields.due_on === null ? null : githubDueOn(fields.due_on),
    created_at: now,
    updated_at: now,
    closed_at: closed ? now : null,
    creator: actor,
  };
  repo.milestones.push(m);
  state.touch(repo);
  return m;
}

/** `PATCH /repos/{o}/{r}/milestones/{number}`. */
export function updateMilestone(
  state: GitHubState,
  repo: RepoRec,
  number: number,
  fields: MilestoneFields,
): MilestoneRec {
  const m = state.milestone(repo, number);
  checkTitle(repo, fields.title, m.number, `${MILESTONE_DOCS}#update-a-milestone`);
  const now = state.nowSecond();
  if (fields.title !== undefined) m.title = fields.title;
  if (fields.description !== undefined) m.description = fields.description;
  if (fields.due_on !== undefined) m.due_on = fields.due_on === null ? null : githubDueOn(fields.due_on);
  if (fields.state !== undefined && fields.state !== m.state) {
    m.state = fields.state;
    m.closed_at = fields.state === "closed" ? now : null;
  }
  m.updated_at = now;
  state.touch(repo);
  return m;
}

/** `GET /repos/{o}/{r}/milestones`: `state` (default open), sorted by due date. */
export function listMilestones(
  repo: RepoRec,
  query: { state: "open" | "closed" | "all"; sort: "due_on" | "completeness"; direction: "asc" | "desc" },
): MilestoneRec[] {
  const items = repo.milestones.filter((m) => query.state === "all" || m.state === query.state);
  const key = (m: MilestoneRec) => m.due_on ?? Number.MAX_SAFE_INTEGER;
  items.sort((a, b) => key(a) - key(b) || a.number - b.number);
  if (query.direction === "desc") items.reverse();
  return items;
}

/** Fields of `POST /repos/{o}/{r}/releases`. */
export interface ReleaseFields {
  tag_name: string;
  target_commitish?: string;
  name?: string | null;
  body?: string | null;
  draft?: boolean;
  prerelease?: boolean;
  generate_release_notes?: boolean;
}

/** `POST /repos/{o}/{r}/releases`. */
export function createRelease(
  state: GitHubState,
  urls: Urls,
  repo: RepoRec,
  actor: string,
  fields: ReleaseFields,
): ReleaseRec {
  const docs = `${RELEASE_DOCS}#create-a-release`;
  if (fields.tag_name.trim() === "") {
    throw validationFailed(docs, { resource: "Release", code: "missing_field", field: "tag_name" });
  }
  if (repo.releases.some((r) => r.tag_name === fields.tag_name)) {
    throw validationFailed(docs, { resource: "Release", code: "already_exists", field: "tag_name" });
  }
  const now = state.nowSecond();
  const id = state.nextId();
  let body = fields.body ?? null;
  if (fields.generate_release_notes) {
    const notes = generateNotes(state, urls, repo, { tag_name: fields.tag_name });
    body = body === null || body === "" ? notes.body : `${body}\n\n${notes.body}`;
  }
  const release: ReleaseRec = {
    id,
    node_id: nodeId("RE", id),
    tag_name: fields.tag_name,
    target_commitish: fields.target_commitish ?? "main",
    name: fields.name ?? null,
    body,
    draft: fields.draft ?? false,
    prerelease: fields.prerelease ?? false,
    created_at: now,
    published_at: fields.draft ? null : now,
    author: actor,
  };
  repo.releases.push(release);
  state.touch(repo);
  return release;
}

/**
 * `POST /repos/{o}/{r}/releases/generate-notes`: GitHub's format — a "What's Changed" list of
 * the pull requests merged since the previous release, then a "Full Changelog" link. Creates
 * nothing.
 */
export function generateNotes(
  state: GitHubState,
  urls: Urls,
  repo: RepoRec,
  input: { tag_name: string; previous_tag_name?: string },
): { name: string; body: string } {
  const previous = input.previous_tag_name !== undefined
    ? repo.releases.find((r) => r.tag_name === input.previous_tag_name)
    : repo.releases.filter((r) => !r.draft).at(-1);
  if (input.previous_tag_name !== undefined && previous === undefined) {
    throw new ApiError(
      422,
      errorJson(422, "Validation Failed", `${RELEASE_DOCS}#generate-release-notes-content-for-a-release`, [
        { resource: "Release", code: "invalid", field: "previous_tag_name" },
      ]),
    );
  }
  const after = previous?.created_at ?? Number.NEGATIVE_INFINITY;
  const merged = repo.issues.filter((i: IssueRec) =>
    !i.deleted && i.pull !== null && i.pull.merged_at !== null && i.pull.merged_at >= after &&
    i.pull.merged_at <= toSecond(state.now())
  );
  const htmlRepo = `${urls.html}/${repo.owner}/${repo.name}`;
  const lines = merged.map((pr) => `* ${pr.title} by @${pr.user} in ${htmlRepo}/pull/${pr.number}`);
  const changelog = previous === undefined
    ? `**Full Changelog**: ${htmlRepo}/commits/${input.tag_name}`
    : `**Full Changelog**: ${htmlRepo}/compare/${previous.tag_name}...${input.tag_name}`;
  const body = lines.length > 0 ? `## What's Changed\n${lines.join("\n")}\n\n\n${changelog}` : changelog;
  return { name: input.tag_name, body };
}
