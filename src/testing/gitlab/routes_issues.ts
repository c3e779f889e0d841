/**
 * Issue endpoints of the GitLab sandbox: list (filters, ordering, offset pagination), get, create
 * and update, with GitLab's validation answers and permission checks.
 *
 * @module
 */
import type { Context, Hono } from "hono";
import {
  type GitLabEnv,
  intListParam,
  intParam,
  labelsParam,
  messageError,
  paginate,
  paramError,
  type Params,
  readParams,
  stringParam,
  timeParam,
} from "./http.ts";
import { renderIssue } from "./render.ts";
import { ACCESS, type GitLabIssue, type GitLabProject, type GitLabState } from "./state.ts";

/** Longest title GitLab accepts (characters). */
export const MAX_TITLE = 255;
/** Longest description GitLab accepts (characters). */
export const MAX_DESCRIPTION = 1_048_576;

type Found = { project: GitLabProject; params: Params } | Response;

/**
 * Resolves `:id` (numeric or URL-encoded full path) to a project the caller can see, and reads the
 * parameters. Anonymous writes answer 401; invisible projects 404 (GitLab hides private projects).
 */
export async function projectFor(
  state: GitLabState,
  c: Context<GitLabEnv>,
  options: { write: boolean; issues?: boolean },
): Promise<Found> {
  const caller = c.get("caller");
  if (options.write && caller.userId === undefined) return messageError(401);
  const project = state.findProject(c.req.param("id") ?? "");
  if (project === undefined || !state.canSee(project, caller.userId)) {
    return messageError(404, "404 Project Not Found");
  }
  if (options.issues && !project.issues_enabled) return messageError(403);
  const params = await readParams(c);
  if (params instanceof Response) return params;
  return { project, params };
}

const ORDER_BY = ["created_at", "updated_at", "title"] as const;

function title(value: string | undefined | "invalid"): string | undefined | Response {
  if (value === "invalid") return paramError("title is invalid");
  if (value === undefined) return undefined;
  const stripped = value.trim();
  if (stripped === "") return messageError(400, { title: ["can't be blank"] });
  if ([...stripped].length > MAX_TITLE) {
    return messageError(400, { title: [`is too long (maximum is ${MAX_TITLE} characters)`] });
  }
  return stripped;
}

function description(value: string | undefined | "invalid"): string | undefined | Response {
  if (value === "invalid") return paramError("description is invalid");
  if (value !== undefined && [...value].length > MAX_DESCRIPTION) {
    return messageError(400, { description: [`is too long (maximum is ${MAX_DESCRIPTION} characters)`] });
  }
  return value;
}

function assignees(params: Params): number[] | undefined | Response {
  const ids = intListParam(params, "assignee_ids");
  if (ids === "invalid") return paramError("assignee_ids is invalid");
  if (ids !== undefined) return ids;
  const one = intParam(params, "assignee_id");
  if (one === "invalid") return paramError("assignee_id is invalid");
  if (one === undefined) return undefined;
  return one === null || one === 0 ? [] : [one];
}

function search(
  issue: GitLabIssue,
  words: readonly string[],
  inTitle: boolean,
  inDescription: boolean,
): boolean {
  const t = inTitle ? issue.title.toLowerCase() : "";
  const d = inDescription ? issue.description.toLowerCase() : "";
  return words.every((w) => t.includes(w) || d.includes(w));
}

function list(state: GitLabState, c: Context<GitLabEnv>, project: GitLabProject, params: Params): Response {
  const stateFilter = stringParam(params, "state") ?? "all";
  if (!["opened", "closed", "all"].includes(stateFilter)) {
    return paramError("state does not have a valid value");
  }
  const orderBy = stringParam(params, "order_by") ?? "created_at";
  if (!(ORDER_BY as readonly string[]).includes(orderBy)) {
    return paramError("order_by does not have a valid value");
  }
  const sort = stringParam(params, "sort") ?? "desc";
  if (sort !== "asc" && sort !== "desc") return paramError("sort does not have a valid value");
  const times: Record<string, number | undefined> = {};
  for (const key of ["updated_after", "updated_before", "created_after", "created_before"]) {
    const t = timeParam(params, key);
    if (t === "invalid") return paramError(`${key} is invalid`);
    times[key] = t;
  }
  const iids = intListParam(params, "iids");
  if (iids === "invalid") return paramError("iids is invalid");
  const labels = labelsParam(params, "labels");
  if (labels === "invalid") return paramError("labels is invalid");
  const milestone = stringParam(params, "milestone");
  const assigneeUsername = stringParam(params, "assignee_username");
  const searchText = stringParam(params, "search");
  const inText = (stringParam(params, "in") ?? "title,description").toString().split(",").map((s) =>
    s.trim()
  );
  const words = typeof searchText === "string"
    ? searchText.toLowerCase().split(/\s+/).filter((w) => w !== "")
    : [];
  const milestoneId = milestone === undefined || milestone === "invalid" || milestone === "None" ||
      milestone === "Any"
    ? undefined
    : state.milestoneByTitle(project, milestone)?.id ?? -1;
  const assigneeId = assigneeUsername === undefined || assigneeUsername === "invalid"
    ? undefined
    : state.userByName(assigneeUsername)?.id ?? -1;
  const wanted = labels?.map((l) => l.trim()).filter((l) => l !== "");
  const items = project.issues.filter((i) => {
    if (i.deleted) return false;
    if (stateFilter !== "all" && i.state !== stateFilter) return false;
    if (times.updated_after !== undefined && i.updated_at < times.updated_after) return false;
    if (times.updated_before !== undefined && i.updated_at > times.updated_before) return false;
    if (times.created_after !== undefined && i.created_at < times.created_after) return false;
    if (times.created_before !== undefined && i.created_at > times.created_before) return false;
    if (iids !== undefined && iids.length > 0 && !iids.includes(i.iid)) return false;
    if (wanted !== undefined) {
      if (wanted.length === 1 && wanted[0] === "None") {
        if (i.labels.length > 0) return false;
      } else if (wanted.length === 1 && wanted[0] === "Any") {
        if (i.labels.length === 0) return false;
      } else if (!wanted.every((l) => i.labels.includes(l))) return false;
    }
    if (milestone === "None" && i.milestone_id !== null) return false;
    if (milestone === "Any" && i.milestone_id === null) return false;
    if (milestoneId !== undefined && i.milestone_id !== milestoneId) return false;
    if (assigneeId !== undefined && !i.assignee_ids.includes(assigneeId)) return false;
    if (words.length > 0 && !search(i, words, inText.includes("title"), inText.includes("description"))) {
      return false;
    }
    return true;
  });
  const dir = sort === "asc" ? 1 : -1;
  const key = orderBy as (typeof ORDER_BY)[number];
  items.sort((a, b) => {
    const x = a[key], y = b[key];
    const primary = x < y ? -1 : x > y ? 1 : 0;
    return (primary !== 0 ? primary : a.id - b.id) * dir;
  });
  return paginate(c, params, items, (i) => renderIssue(state, i));
}

/** Mounts the issue routes under `/api/v4`. */
export function issueRoutes(app: Hono<GitLabEnv>, state: GitLabState): void {
  app.get("/api/v4/projects/:id/issues", async (c) => {
    const found = await projectFor(state, c, { write: false, issues: true });
    if (found instanceof Response) return found;
    return list(state, c, found.project, found.params);
  });

  app.get("/api/v4/projects/:id/issues/:iid", async (c) => {
    const found = await projectFor(state, c, { write: false, issues: true });
    if (found instanceof Response) return found;
    const iid = c.req.param("iid");
    if (!/^\d+$/.test(iid)) return paramError("issue_iid is invalid");
    const issue = state.issue(found.project, Number(iid));
    if (issue === undefined) return messageError(404, "404 Issue Not Found");
    return Response.json(renderIssue(state, issue));
  });

  app.post("/api/v4/projects/:id/issues", async (c) => {
    const found = await projectFor(state, c, { write: true, issues: true });
    if (found instanceof Response) return found;
    const { project, params } = found;
    const caller = c.get("caller");
    const level = state.accessLevel(project, caller.userId);
    if (level < ACCESS.guest) return messageError(403);
    const rawTitle = stringParam(params, "title");
    if (rawTitle === undefined) return paramError("title is missing");
    const t = title(rawTitle);
    if (t instanceof Response) return t;
    const d = description(stringParam(params, "description"));
    if (d instanceof Response) return d;
    const labels = labelsParam(params, "labels");
    if (labels === "invalid") return paramError("labels is invalid");
    const ids = assignees(params);
    if (ids instanceof Response) return ids;
    const milestoneId = intParam(params, "milestone_id");
    if (milestoneId === "invalid") return paramError("milestone_id is invalid");
    // Guests may create issues, but GitLab drops the metadata they are not allowed to set.
    const canSetMeta = level >= ACCESS.reporter;
    const issue = state.createIssue(project, {
      title: t!,
      description: d ?? "",
      labels: canSetMeta ? labels ?? [] : [],
      assignee_ids: canSetMeta ? ids ?? [] : [],
      milestone_id: canSetMeta ? milestoneId ?? null : null,
      author_id: caller.userId!,
    });
    return Response.json(renderIssue(state, issue), { status: 201 });
  });

  app.put("/api/v4/projects/:id/issues/:iid", async (c) => {
    const found = await projectFor(state, c, { write: true, issues: true });
    if (found instanceof Response) return found;
    const { project, params } = found;
    const caller = c.get("caller");
    const iid = c.req.param("iid");
    if (!/^\d+$/.test(iid)) return paramError("issue_iid is invalid");
    const issue = state.issue(project, Number(iid));
    if (issue === undefined) return messageError(404, "404 Issue Not Found");
    const level = state.accessLevel(project, caller.userId);
    if (level < ACCESS.reporter && issue.author_id !== caller.userId) return messageError(403);
    const keys = [
      "title",
      "description",
      "labels",
      "add_labels",
      "remove_labels",
      "assignee_ids",
      "assignee_id",
      "milestone_id",
      "state_event",
    ];
    if (!keys.some((k) => params[k] !== undefined)) {
      return paramError(`${keys.join(", ")} are missing, at least one parameter must be provided`);
    }
    const t = title(stringParam(params, "title"));
    if (t instanceof Response) return t;
    const d = description(stringParam(params, "description"));
    if (d instanceof Response) return d;
    const labels = labelsParam(params, "labels");
    const add = labelsParam(params, "add_labels");
    const remove = labelsParam(params, "remove_labels");
    if (labels === "invalid") return paramError("labels is invalid");
    if (add === "invalid") return paramError("add_labels is invalid");
    if (remove === "invalid") return paramError("remove_labels is invalid");
    const ids = assignees(params);
    if (ids instanceof Response) return ids;
    const milestoneId = intParam(params, "milestone_id");
    if (milestoneId === "invalid") return paramError("milestone_id is invalid");
    const stateEvent = stringParam(params, "state_event");
    if (stateEvent !== undefined && stateEvent !== "close" && stateEvent !== "reopen") {
      return paramError("state_event does not have a valid value");
    }
    let nextLabels: string[] | undefined;
    if (labels !== undefined || add !== undefined || remove !== undefined) {
      const removed = new Set((remove ?? []).map((l) => l.trim()));
      nextLabels = [...(labels ?? issue.labels), ...(add ?? [])].filter((l) => !removed.has(l.trim()));
    }
    state.updateIssue(project, issue, {
      title: t,
      description: d,
      labels: nextLabels,
      assignee_ids: ids,
      milestone_id: milestoneId,
      state_event: stateEvent,
      actor_id: caller.userId!,
    });
    return Response.json(renderIssue(state, issue));
  });
}
