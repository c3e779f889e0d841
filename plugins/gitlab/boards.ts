/**
 * Boards on GitLab: issue boards whose columns are label lists (GitLab Free). A column's name is
 * its label's name; an issue's card is in the list whose label it carries (the first, in board
 * order, when it carries several); moving a card is one issue update that adds the target
 * column's label and removes the other columns' labels. A card never closes or reopens an issue:
 * the issue's state is the status sync's business.
 *
 * Creating a board (or adding columns) creates the missing column labels, then one list per label.
 *
 * @module
 */
import { Effect, Option } from "effect";
import { decodeUrlPart, PlatformError } from "../../src/platform/mod.ts";
import type {
  BoardClient,
  BoardDraft,
  BoardIssue,
  BoardLocator,
  RemoteBoard,
  RemoteCard,
  RepoRef,
} from "../../src/platform/mod.ts";
import type { GitLabBoardJson, GitLabListJson } from "./api.ts";
import { context, decode, type GitLabClient, invalid, issueNotFound, run } from "./client.ts";
import type { ErrorContext } from "./errors.ts";
import { asIssueJson, type GitLabIssueJson } from "./mapping.ts";

/** Examples of board addresses, shown in errors. */
export const BOARD_URL_EXAMPLES = ["https://gitlab.com/acme/widgets/-/boards/7"];

/** The color of a new column label, from its name. */
export function labelColor(name: string): string {
  if (/backlog|icebox|later/i.test(name)) return "#828282";
  if (/to ?do|ready|next|planned/i.test(name)) return "#428BCA";
  if (/progress|doing|review|active/i.test(name)) return "#F0AD4E";
  if (/block|hold|stuck/i.test(name)) return "#D9534F";
  if (/done|complete|closed|shipped|released/i.test(name)) return "#5CB85C";
  return "#6699CC";
}

/** The project path and board id of a board address (`…/group/project/-/boards/7`). */
export function parseBoardUrl(url: string): { project: string; id: number } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  const m = /^\/(.+?)\/(?:-\/)?boards\/(\d+)\/?$/.exec(parsed.pathname);
  const project = m === null ? undefined : decodeUrlPart(m[1]!);
  return m === null || project === undefined ? undefined : { project, id: Number(m[2]) };
}

/** The board operations of a GitLab client. */
export function gitLabBoards(client: GitLabClient): BoardClient {
  const api = client.api;
  const ctx = (repo: RepoRef, action: string, notFound?: string): ErrorContext =>
    context(client, repo, action, notFound);
  const cardOf = (c: ErrorContext, raw: unknown, board: RemoteBoard) =>
    decode(c, () => toCard(asIssueJson(raw), board));

  const toBoard = (json: GitLabBoardJson, lists: readonly GitLabListJson[]): RemoteBoard => {
    const web = json.project?.web_url ?? null;
    return {
      id: String(json.id),
      number: json.id,
      title: json.name,
      url: web === null ? null : `${web}/-/boards/${json.id}`,
      owner: null,
      columns_field_id: null,
      columns: [...lists]
        .filter((l) => l.label !== null && l.label !== undefined)
        .sort((a, b) => a.position - b.position)
        .map((l) => ({ id: String(l.id), name: l.label!.name })),
    };
  };

  const readBoard = (repo: RepoRef, id: number) =>
    Effect.gen(function* () {
      const c = ctx(
        repo,
        `read board ${id} of "${repo.path}"`,
        `GitLab board ${id} was not found in "${repo.path}".`,
      );
      const json = yield* run(c, () => api.showBoard(repo.path, id));
      const lists = json.lists ?? (yield* run(c, () => api.lists(repo.path, id)));
      return toBoard(json, lists);
    });

  const addColumns = (repo: RepoRef, board: RemoteBoard, names: readonly string[]) =>
    Effect.gen(function* () {
      const known = new Set(board.columns.map((c) => c.name.toLowerCase()));
      const missing = [...new Set(names)].filter((n) => !known.has(n.toLowerCase()));
      if (missing.length === 0) return board;
      const c = ctx(repo, `add columns to board ${board.number} of "${repo.path}"`);
      const labels = new Map(
        (yield* run(c, () => api.labels(repo.path))).map((l) => [l.name.toLowerCase(), l]),
      );
      for (const name of missing) {
        const label = labels.get(name.toLowerCase()) ??
          (yield* run(
            ctx(repo, `create the label "${name}" in "${repo.path}"`),
            () => api.createLabel(repo.path, name, labelColor(name)),
          ));
        yield* run(
          ctx(repo, `add a list for "${label.name}" to board ${board.number} of "${repo.path}"`),
          () => api.createList(repo.path, board.number, label.id),
        );
      }
      return yield* readBoard(repo, board.number);
    });

  const toCard = (issue: GitLabIssueJson, board: RemoteBoard): RemoteCard => ({
    issue_number: issue.iid,
    title: issue.title,
    url: issue.web_url,
    column: board.columns.find((col) => issue.labels.includes(col.name))?.name ?? null,
    item_id: null,
    milestone: issue.milestone?.title ?? null,
  });

  return {
    createBoard: (repo: RepoRef, draft: BoardDraft) =>
      Effect.gen(function* () {
        const created = yield* run(
          ctx(repo, `create the board "${draft.title}" in "${repo.path}"`),
          () => api.createBoard(repo.path, draft.title),
        );
        const empty = toBoard(created, created.lists ?? []);
        return yield* addColumns(repo, empty, draft.columns).pipe(Effect.mapError((e) =>
          new PlatformError({
            ...e,
            message:
              `GitLab board ${created.id} was created, but its columns could not be added: ${e.message}`,
            hint:
              `Adopt it (board_number ${created.id}) instead of creating another; the columns are added then.`,
          })
        ));
      }),

    getBoard: (repo: RepoRef, locator: BoardLocator) => {
      if ("url" in locator) {
        const found = parseBoardUrl(locator.url);
        if (found === undefined) {
          return invalid(
            `${JSON.stringify(locator.url.slice(0, 200))} is not the address of a GitLab issue board.`,
            `Give the board's address, e.g. ${BOARD_URL_EXAMPLES[0]}, or its id as board_number.`,
          );
        }
        if (!/^\d+$/.test(repo.path) && found.project.toLowerCase() !== repo.path.toLowerCase()) {
          return invalid(
            `The board ${locator.url.slice(0, 200)} belongs to "${found.project}", not to "${repo.path}".`,
            "Adopt a board of the configured project, or configure that project first.",
          );
        }
        return readBoard(repo, found.id);
      }
      return readBoard(repo, locator.number);
    },

    addColumns,

    getCard: (repo: RepoRef, board: RemoteBoard, issue: BoardIssue) => {
      const c = ctx(repo, `read issue #${issue.number} of "${repo.path}"`, issueNotFound(repo, issue.number));
      return run(c, () => api.showIssue(repo.path, issue.number)).pipe(
        Effect.flatMap((json) => cardOf(c, json, board)),
        Effect.map((card) => card.column === null ? Option.none() : Option.some(card)),
      );
    },

    moveCard: (repo: RepoRef, board: RemoteBoard, issue: BoardIssue, column: string) => {
      const target = board.columns.find((c) => c.name === column) ??
        board.columns.find((c) => c.name.toLowerCase() === column.toLowerCase());
      if (target === undefined) {
        return invalid(
          `GitLab board ${board.number} has no column "${column}" (columns: ${
            board.columns.map((c) => `"${c.name}"`).join(", ")
          }).`,
          "Use one of the columns, or add it first.",
        );
      }
      const others = board.columns.filter((c) => c !== target).map((c) => c.name);
      const c = ctx(
        repo,
        `move issue #${issue.number} to "${target.name}" on board ${board.number}`,
        issueNotFound(repo, issue.number),
      );
      return run(c, () =>
        api.editIssue(repo.path, issue.number, {
          addLabels: target.name,
          ...(others.length > 0 ? { removeLabels: others.join(",") } : {}),
        })).pipe(Effect.flatMap((json) => cardOf(c, json, board)));
    },

    listCards: (repo: RepoRef, board: RemoteBoard) =>
      Effect.gen(function* () {
        const seen = new Map<number, RemoteCard>();
        for (const column of board.columns) {
          const c = ctx(repo, `list the issues in column "${column.name}" of board ${board.number}`);
          for (let page: number | null = 1; page !== null;) {
            const result: { data: readonly unknown[]; next: number | null } = yield* run(
              c,
              () => api.issuesWithLabel(repo.path, column.name, page!),
            );
            for (const raw of result.data) {
              const card = yield* cardOf(c, raw, board);
              if (!seen.has(card.issue_number)) seen.set(card.issue_number, card);
            }
            page = result.next;
          }
        }
        return [...seen.values()].sort((a, b) => a.issue_number - b.issue_number);
      }),
  };
}
