/**
 * Project, user, token, milestone and release endpoints of the GitLab sandbox.
 *
 * @module
 */
import type { Hono } from "hono";
import {
  type GitLabEnv,
  intListParam,
  messageError,
  paginate,
  paramError,
  readParams,
  stringParam,
} from "./http.ts";
import { iso, renderMilestone, renderProject, renderRelease, renderUser } from "./render.ts";
import { ACCESS, type GitLabState } from "./state.ts";
import { projectFor } from "./routes_issues.ts";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Mounts the project, user, token, milestone and release routes under `/api/v4`. */
export function otherRoutes(app: Hono<GitLabEnv>, state: GitLabState): void {
  app.get("/api/v4/projects/:id", async (c) => {
    const found = await projectFor(state, c, { write: false });
    if (found instanceof Response) return found;
    return Response.json(renderProject(state, found.project, c.get("caller").userId));
  });

  app.get("/api/v4/user", (c) => {
    const userId = c.get("caller").userId;
    if (userId === undefined) return messageError(401);
    return Response.json(renderUser(state, state.users.get(userId)!));
  });

  app.get("/api/v4/users", async (c) => {
    const params = await readParams(c);
    if (params instanceof Response) return params;
    const username = stringParam(params, "username");
    const users = typeof username === "string"
      ? [state.userByName(username)].filter((u) => u !== undefined)
      : [...state.users.values()];
    return paginate(c, params, users, (u) => renderUser(state, u));
  });

  app.get("/api/v4/personal_access_tokens/self", (c) => {
    const token = c.get("caller").token;
    if (token === undefined) return messageError(401);
    if (token.kind !== "personal") return messageError(404, "404 Not Found");
    return Response.json({
      id: token.id,
      name: token.name,
      revoked: false,
      created_at: iso(state.now() - 86_400_000),
      scopes: [...token.scopes],
      user_id: token.userId,
      last_used_at: iso(state.now()),
      active: true,
      expires_at: null,
    });
  });

  // Milestones: list and create by project; show and update by GLOBAL milestone id.
  app.get("/api/v4/projects/:id/milestones", async (c) => {
    const found = await projectFor(state, c, { write: false });
    if (found instanceof Response) return found;
    const { project, params } = found;
    const st = stringParam(params, "state");
    if (st !== undefined && st !== "active" && st !== "closed") {
      return paramError("state does not have a valid value");
    }
    const title = stringParam(params, "title");
    const search = stringParam(params, "search");
    const iids = intListParam(params, "iids");
    if (iids === "invalid") return paramError("iids is invalid");
    // Group milestones only with include_ancestors (GitLab 16.7+) or its deprecated predecessor.
    const ancestors = [params["include_ancestors"], params["include_parent_milestones"]]
      .some((v) => v === true || v === "true");
    const items = (ancestors ? state.visibleMilestones(project) : project.milestones).filter((m) =>
      (st === undefined || m.state === st) &&
      (title === undefined || m.title === title) &&
      (typeof search !== "string" || m.title.toLowerCase().includes(search.toLowerCase()) ||
        m.description.toLowerCase().includes(search.toLowerCase())) &&
      (iids === undefined || iids.length === 0 || iids.includes(m.iid))
    ).sort((a, b) => b.id - a.id);
    return paginate(c, params, items, (m) => renderMilestone(state, m));
  });

  app.get("/api/v4/projects/:id/milestones/:milestone_id", async (c) => {
    const found = await projectFor(state, c, { write: false });
    if (found instanceof Response) return found;
    const id = Number(c.req.param("milestone_id"));
    const milestone = found.project.milestones.find((m) => m.id === id);
    if (milestone === undefined) return messageError(404, "404 Milestone Not Found");
    return Response.json(renderMilestone(state, milestone));
  });

  app.post("/api/v4/projects/:id/milestones", async (c) => {
    const found = await projectFor(state, c, { write: true });
    if (found instanceof Response) return found;
    const { project, params } = found;
    if (state.accessLevel(project, c.get("caller").userId) < ACCESS.reporter) return messageError(403);
    const title = stringParam(params, "title");
    if (title === undefined) return paramError("title is missing");
    if (title === "invalid") return paramError("title is invalid");
    if (title.trim() === "") return messageError(400, { title: ["can't be blank"] });
    const description = stringParam(params, "description");
    const due = stringParam(params, "due_date");
    const start = stringParam(params, "start_date");
    for (const [key, v] of [["due_date", due], ["start_date", start]] as const) {
      if (v !== undefined && v !== "" && (v === "invalid" || !DATE.test(v))) {
        return paramError(`${key} is invalid`);
      }
    }
    if (state.milestoneByTitle(project, title.trim())) {
      return messageError(400, { title: ["has already been taken"] });
    }
    const milestone = state.createMilestone(project, {
      title: title.trim(),
      description: description === "invalid" ? "" : description ?? "",
      due_date: due === undefined || due === "" ? null : due,
      start_date: start === undefined || start === "" ? null : start,
    });
    return Response.json(renderMilestone(state, milestone), { status: 201 });
  });

  app.put("/api/v4/projects/:id/milestones/:milestone_id", async (c) => {
    const found = await projectFor(state, c, { write: true });
    if (found instanceof Response) return found;
    const { project, params } = found;
    const id = Number(c.req.param("milestone_id"));
    const milestone = project.milestones.find((m) => m.id === id);
    if (milestone === undefined) return messageError(404, "404 Milestone Not Found");
    if (state.accessLevel(project, c.get("caller").userId) < ACCESS.reporter) return messageError(403);
    const event = stringParam(params, "state_event");
    if (event !== undefined && event !== "close" && event !== "activate") {
      return paramError("state_event does not have a valid value");
    }
    const title = stringParam(params, "title");
    if (title === "invalid" || (title !== undefined && title.trim() === "")) {
      return messageError(400, { title: ["can't be blank"] });
    }
    if (
      title !== undefined && title.trim() !== milestone.title && state.milestoneByTitle(project, title.trim())
    ) {
      return messageError(400, { title: ["has already been taken"] });
    }
    const description = stringParam(params, "description");
    const due = stringParam(params, "due_date");
    if (due !== undefined && due !== "" && (due === "invalid" || !DATE.test(due))) {
      return paramError("due_date is invalid");
    }
    if (title !== undefined) milestone.title = title.trim();
    if (typeof description === "string" && description !== "invalid") milestone.description = description;
    if (due !== undefined) milestone.due_date = due === "" ? null : due;
    if (event === "close") milestone.state = "closed";
    if (event === "activate") milestone.state = "active";
    milestone.updated_at = state.stamp();
    return Response.json(renderMilestone(state, milestone));
  });

  // Releases.
  app.get("/api/v4/projects/:id/releases", async (c) => {
    const found = await projectFor(state, c, { write: false });
    if (found instanceof Response) return found;
    const { project, params } = found;
    const items = [...project.releases.values()].sort((a, b) => b.released_at - a.released_at);
    return paginate(c, params, items, (r) => renderRelease(state, project, r));
  });

  app.get("/api/v4/projects/:id/releases/:tag", async (c) => {
    const found = await projectFor(state, c, { write: false });
    if (found instanceof Response) return found;
    const release = found.project.releases.get(c.req.param("tag"));
    if (release === undefined) return messageError(404, "404 Not Found");
    return Response.json(renderRelease(state, found.project, release));
  });

  app.post("/api/v4/projects/:id/releases", async (c) => {
    const found = await projectFor(state, c, { write: true });
    if (found instanceof Response) return found;
    const { project, params } = found;
    const caller = c.get("caller");
    if (state.accessLevel(project, caller.userId) < ACCESS.developer) return messageError(403);
    const tag = stringParam(params, "tag_name");
    if (tag === undefined) return paramError("tag_name is missing");
    if (tag === "invalid" || tag.trim() === "") return paramError("tag_name is empty");
    if (project.releases.has(tag)) return messageError(409, "Release already exists");
    const ref = stringParam(params, "ref");
    if (!project.tags.has(tag)) {
      if (ref === undefined || ref === "" || ref === "invalid") {
        return messageError(422, "Ref is not specified");
      }
      if (!project.branches.has(ref) && !project.tags.has(ref) && !/^[0-9a-f]{7,40}$/.test(ref)) {
        return messageError(422, "Ref is invalid");
      }
    }
    const rawMilestones = params["milestones"];
    const titles = rawMilestones === undefined
      ? []
      : Array.isArray(rawMilestones)
      ? rawMilestones.map(String)
      : [String(rawMilestones)];
    const missing = titles.filter((t) => state.milestoneByTitle(project, t) === undefined);
    if (missing.length > 0) return messageError(400, `Milestone(s) not found: ${missing.join(", ")}`);
    const name = stringParam(params, "name");
    const description = stringParam(params, "description");
    const now = state.stamp();
    project.tags.add(tag);
    const release = {
      tag_name: tag,
      name: typeof name === "string" && name !== "invalid" && name !== "" ? name : tag,
      description: typeof description === "string" && description !== "invalid" ? description : "",
      milestone_ids: titles.map((t) => state.milestoneByTitle(project, t)!.id),
      author_id: caller.userId!,
      created_at: now,
      released_at: now,
    };
    project.releases.set(tag, release);
    return Response.json(renderRelease(state, project, release), { status: 201 });
  });
}
