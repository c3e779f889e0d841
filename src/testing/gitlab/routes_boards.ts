/**
 * Issue boards and labels of the GitLab sandbox: `GET/POST /projects/:id/boards`,
 * `GET /projects/:id/boards/:board_id`, `GET/POST /projects/:id/boards/:board_id/lists` and
 * `GET/POST /projects/:id/labels`, with GitLab's answers (201 on create, `404 Board Not Found`,
 * `404 Label Not Found`, 409 `Label already exists`, 400 when a label already has a list on the
 * board). Lists are label lists, as on GitLab Free: a card is in the list whose label its issue
 * carries, and moving it is the issue's `add_labels` / `remove_labels` (the issue routes).
 *
 * @module
 */
import type { Hono } from "hono";
import { type GitLabEnv, intParam, json, messageError, paginate, paramError, stringParam } from "./http.ts";
import { renderProject } from "./render.ts";
import { ACCESS, type GitLabLabel, type GitLabProject, type GitLabState } from "./state.ts";
import { projectFor } from "./routes_issues.ts";

/** A label list of a board. */
export interface GitLabBoardList {
  readonly id: number;
  readonly label_id: number;
  position: number;
}

/** An issue board. */
export interface GitLabBoard {
  readonly id: number;
  readonly project_id: number;
  name: string;
  readonly lists: GitLabBoardList[];
}

/** The boards of a sandbox, by project. */
export class GitLabBoards {
  readonly byProject = new Map<number, GitLabBoard[]>();
  #nextBoard = 7001;
  #nextList = 88_001;

  /** The boards of a project. */
  of(project: GitLabProject): GitLabBoard[] {
    let boards = this.byProject.get(project.id);
    if (boards === undefined) this.byProject.set(project.id, boards = []);
    return boards;
  }

  /** Creates a board. */
  create(project: GitLabProject, name: string): GitLabBoard {
    const board: GitLabBoard = { id: this.#nextBoard++, project_id: project.id, name, lists: [] };
    this.of(project).push(board);
    return board;
  }

  /** Adds a label list at the end of a board. */
  addList(board: GitLabBoard, label: GitLabLabel): GitLabBoardList {
    const list = { id: this.#nextList++, label_id: label.id, position: board.lists.length };
    board.lists.push(list);
    return list;
  }
}

const LABEL_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

function labelById(project: GitLabProject, id: number): GitLabLabel | undefined {
  for (const label of project.labels.values()) if (label.id === id) return label;
  return undefined;
}

function renderLabel(project: GitLabProject, label: GitLabLabel): Record<string, unknown> {
  const open = project.issues.filter((i) =>
    !i.deleted && i.state === "opened" && i.labels.includes(label.name)
  );
  const closed = project.issues.filter((i) =>
    !i.deleted && i.state === "closed" && i.labels.includes(label.name)
  );
  return {
    id: label.id,
    name: label.name,
    description: null,
    description_html: "",
    text_color: "#FFFFFF",
    color: label.color,
    open_issues_count: open.length,
    closed_issues_count: closed.length,
    open_merge_requests_count: 0,
    subscribed: false,
    priority: null,
    is_project_label: true,
  };
}

function renderList(project: GitLabProject, list: GitLabBoardList): Record<string, unknown> {
  const label = labelById(project, list.label_id)!;
  return {
    id: list.id,
    label: { id: label.id, name: label.name, color: label.color, description: null },
    position: list.position,
    max_issue_count: 0,
    max_issue_weight: 0,
    limit_metric: null,
    list_type: "label",
  };
}

function renderBoard(
  state: GitLabState,
  project: GitLabProject,
  board: GitLabBoard,
): Record<string, unknown> {
  return {
    id: board.id,
    name: board.name,
    hide_backlog_list: false,
    hide_closed_list: false,
    project: renderProject(state, project, undefined),
    milestone: null,
    assignee: null,
    labels: [],
    weight: null,
    lists: board.lists.map((l) => renderList(project, l)),
  };
}

/** Mounts the board and label routes under `/api/v4`. */
export function boardRoutes(app: Hono<GitLabEnv>, state: GitLabState, boards: GitLabBoards): void {
  const boardOf = (project: GitLabProject, raw: string | undefined) =>
    boards.of(project).find((b) => String(b.id) === raw);
  const canWrite = (project: GitLabProject, userId: number | undefined) =>
    state.accessLevel(project, userId) >= ACCESS.reporter;

  app.get("/api/v4/projects/:id/labels", async (c) => {
    const found = await projectFor(state, c, { write: false });
    if (found instanceof Response) return found;
    const { project, params } = found;
    const search = stringParam(params, "search");
    const labels = [...project.labels.values()]
      .filter((l) => typeof search !== "string" || l.name.toLowerCase().includes(search.toLowerCase()))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return paginate(c, params, labels, (l) => renderLabel(project, l));
  });

  app.post("/api/v4/projects/:id/labels", async (c) => {
    const found = await projectFor(state, c, { write: true });
    if (found instanceof Response) return found;
    const { project, params } = found;
    if (!canWrite(project, c.get("caller").userId)) return messageError(403);
    const name = stringParam(params, "name");
    const color = stringParam(params, "color");
    if (name === undefined) return paramError("name is missing");
    if (color === undefined) return paramError("color is missing");
    if (name === "invalid" || name.trim() === "" || name.includes(",")) {
      return messageError(400, { title: ["is invalid"] });
    }
    if (color === "invalid" || !LABEL_COLOR.test(color)) {
      return messageError(400, { color: ["must be a valid color code"] });
    }
    if (project.labels.has(name.trim())) return messageError(409, "Label already exists");
    state.ensureLabels(project, [name.trim()]);
    const label = { ...project.labels.get(name.trim())!, color };
    project.labels.set(label.name, label);
    return json(renderLabel(project, label), 201);
  });

  app.get("/api/v4/projects/:id/boards", async (c) => {
    const found = await projectFor(state, c, { write: false, issues: true });
    if (found instanceof Response) return found;
    const { project, params } = found;
    return paginate(c, params, boards.of(project), (b) => renderBoard(state, project, b));
  });

  app.post("/api/v4/projects/:id/boards", async (c) => {
    const found = await projectFor(state, c, { write: true, issues: true });
    if (found instanceof Response) return found;
    const { project, params } = found;
    if (!canWrite(project, c.get("caller").userId)) return messageError(403);
    const name = stringParam(params, "name");
    if (name === undefined) return paramError("name is missing");
    if (name === "invalid" || name.trim() === "") return messageError(400, { name: ["can't be blank"] });
    return json(renderBoard(state, project, boards.create(project, name.trim())), 201);
  });

  app.get("/api/v4/projects/:id/boards/:board_id", async (c) => {
    const found = await projectFor(state, c, { write: false, issues: true });
    if (found instanceof Response) return found;
    const board = boardOf(found.project, c.req.param("board_id"));
    if (board === undefined) return messageError(404, "404 Board Not Found");
    return json(renderBoard(state, found.project, board));
  });

  app.get("/api/v4/projects/:id/boards/:board_id/lists", async (c) => {
    const found = await projectFor(state, c, { write: false, issues: true });
    if (found instanceof Response) return found;
    const board = boardOf(found.project, c.req.param("board_id"));
    if (board === undefined) return messageError(404, "404 Board Not Found");
    return json(board.lists.map((l) => renderList(found.project, l)));
  });

  app.post("/api/v4/projects/:id/boards/:board_id/lists", async (c) => {
    const found = await projectFor(state, c, { write: true, issues: true });
    if (found instanceof Response) return found;
    const { project, params } = found;
    const board = boardOf(project, c.req.param("board_id"));
    if (board === undefined) return messageError(404, "404 Board Not Found");
    if (!canWrite(project, c.get("caller").userId)) return messageError(403);
    const kinds = ["label_id", "assignee_id", "milestone_id", "iteration_id"];
    const given = kinds.filter((k) => params[k] !== undefined);
    if (given.length !== 1) {
      return paramError(`${kinds.join(", ")} are missing, exactly one parameter must be provided`);
    }
    if (given[0] !== "label_id") {
      return messageError(
        400,
        "Only label lists are available: assignee, milestone and iteration lists need GitLab Premium.",
      );
    }
    const labelId = intParam(params, "label_id");
    if (labelId === "invalid" || labelId === null || labelId === undefined) {
      return paramError("label_id is invalid");
    }
    const label = labelById(project, labelId);
    if (label === undefined) return messageError(404, "404 Label Not Found");
    if (board.lists.some((l) => l.label_id === label.id)) {
      return messageError(400, { label: ["has already been taken"] });
    }
    return json(renderList(project, boards.addList(board, label)), 201);
  });
}
