/**
 * The board service (SPEC §5 "Project boards"): create or adopt a board on a configured
 * repository's forge, put linked features and tasks on it, move cards by column name, push every
 * card's column from its local status (or, on release-planning boards, its milestone), add a column
 * per open milestone, and show the board. Platform specifics stay in the plugins' `boards` member;
 * this module decides columns and records boards and their items locally.
 *
 * Local-first: when the forge does not answer (5xx after retries, network down, rate limited) a
 * move is kept locally as pending, with the reason, and the next `update_progress` sends it; `view`
 * answers from the local record, saying so. A forge that refuses (401, 403, 404, 422) gets an error
 * and nothing is recorded.
 *
 * @module
 */
import { Effect, Option, Result } from "effect";
import { AppError } from "../domain/errors.ts";
import { type BoardClient, hasBoards, type RemoteBoard, type RemoteCard } from "../platform/boards.ts";
import { PlatformError } from "../platform/errors.ts";
import { toAppError } from "../platform/to_app_error.ts";
import { Configs, type RepoConfig } from "../store/configs.ts";
import type { Db } from "../store/db.ts";
import type { Features } from "../store/features.ts";
import type { Tasks } from "../store/tasks.ts";
import { type ConnectedForge, Forges } from "../sync/forges.ts";
import {
  type BoardLink,
  type BoardLocal,
  describe,
  type ItemSelector,
  linksByIssue,
  type LoadedItem,
  loadItems,
  loadLocals,
  resolveItem,
} from "./items.ts";
import {
  type BoardType,
  columnForMilestone,
  columnForStatus,
  columnsFor,
  findColumn,
  kindsOf,
  mergeMapping,
  openMilestoneColumns,
  type StatusMapping,
  type StatusMappingInput,
} from "./mapping.ts";
import {
  boardItem,
  type BoardRecord,
  dropOrphans,
  findBoard,
  listBoards,
  type MoveRecord,
  recordMoves,
  refreshBoard,
  saveBoard,
} from "./store.ts";

/** The services board actions use. */
export type BoardServices = Db | Configs | Forges | Tasks | Features;

/** A board as tools return it. */
export interface BoardView {
  readonly board_id: number;
  readonly board_type: BoardType;
  readonly title: string;
  readonly platform: string;
  readonly repository: string;
  readonly number: number;
  readonly url: string | null;
  readonly owner: string | null;
  readonly columns: readonly string[];
  readonly status_mapping: StatusMapping;
  readonly adopted: boolean;
  readonly created_at: string;
  readonly updated_at: string;
}

/** The local item of a card. */
export interface ItemView {
  readonly kind: "feature" | "task";
  readonly id: string;
  readonly title: string;
  readonly status: string;
}

/** A card as tools return it. */
export interface CardView {
  readonly issue_number: number;
  readonly title: string;
  readonly url: string | null;
  readonly column: string | null;
  /** The linked feature or task; null for an issue on the board that no local item is linked to. */
  readonly item: ItemView | null;
  readonly link_id: number | null;
  /** Whether the forge has the card's column forgesync decided; null for cards forgesync did not place. */
  readonly sync_status: "synced" | "pending" | null;
}

/** A card moved (or, in a dry run, to move). */
export interface MoveView {
  readonly issue_number: number;
  readonly item: ItemView | null;
  readonly from: string | null;
  readonly to: string;
}

/** An item left where it is, and why. */
export interface SkipView {
  readonly issue_number: number | null;
  readonly item: ItemView | null;
  readonly reason: string;
}

/** A column with its cards. */
export interface ColumnView {
  /** Null for the cards that are on the board but in no column. */
  readonly name: string | null;
  readonly cards: readonly CardView[];
}

/** Which board a call means: by id, or the only board of the (only) configured repository. */
export interface BoardSelector {
  readonly board_id?: number;
  readonly repository?: string;
  readonly platform?: string;
}

interface Selected {
  readonly cfg: RepoConfig;
  readonly forge: ConnectedForge;
  readonly boards: BoardClient;
  readonly board: BoardRecord;
}

type Progress = (done: number, total: number, message?: string) => Effect.Effect<void>;

const queueable = (e: PlatformError) => e.reason === "Transient" || e.reason === "RateLimited";
const kept = (e: PlatformError) =>
  `${e.message} The move is kept locally and sent by the next update_progress.`;

function boardView(cfg: RepoConfig, board: BoardRecord): BoardView {
  return {
    board_id: board.board_id,
    board_type: board.board_type,
    title: board.remote.title,
    platform: cfg.platform,
    repository: cfg.repository,
    number: board.remote.number,
    url: board.remote.url,
    owner: board.remote.owner,
    columns: board.remote.columns.map((c) => c.name),
    status_mapping: board.status_mapping,
    adopted: board.adopted,
    created_at: board.created_at,
    updated_at: board.updated_at,
  };
}

function itemView(local: BoardLocal | undefined): ItemView | null {
  return local === undefined ? null : describe(local);
}

const columnNames = (board: RemoteBoard) => board.columns.map((c) => c.name);

function listColumns(names: readonly string[]): string {
  return names.length === 0 ? "(none)" : names.map((n) => `"${n}"`).join(", ");
}

/** Connects a configuration's forge and checks it has boards (UNSUPPORTED with the plugin's reason otherwise). */
const connectBoards = (cfg: RepoConfig) =>
  Effect.gen(function* () {
    const forge = yield* Forges.use((f) => f.connect(cfg));
    const boards = forge.client.boards;
    if (!hasBoards(boards)) {
      return yield* Effect.fail(AppError.unsupported(
        boards?.unsupported.message ?? `${forge.plugin.name} has no project boards that forgesync can drive.`,
        boards?.unsupported.hint ?? "Configure a GitHub or GitLab repository for boards.",
      ));
    }
    return { forge, boards };
  });

/** The board a call means, connected. */
const selectBoard = (input: BoardSelector): Effect.Effect<Selected, AppError, BoardServices> =>
  Effect.gen(function* () {
    const configs = yield* Configs;
    if (input.board_id !== undefined) {
      const board = yield* findBoard(input.board_id);
      if (board === undefined) {
        return yield* Effect.fail(AppError.notFound(
          `No board has board_id ${input.board_id}.`,
          `Call {action:"view"} without board_id to list the boards, or create one with {action:"create_board"}.`,
        ));
      }
      const cfg = yield* configs.get(board.config_id);
      if (input.repository !== undefined || input.platform !== undefined) {
        const named = yield* configs.resolve(input.repository, input.platform);
        if (named.config_id !== cfg.config_id) {
          return yield* Effect.fail(AppError.validation(
            `Board ${board.board_id} belongs to ${cfg.platform}:${cfg.repository}, not to ${named.platform}:${named.repository}.`,
            "Pass the board_id of a board of that repository, or leave repository out.",
          ));
        }
      }
      return { cfg, ...(yield* connectBoards(cfg)), board };
    }
    const cfg = yield* configs.resolve(input.repository, input.platform);
    const connected = yield* connectBoards(cfg);
    const all = yield* listBoards(cfg.config_id);
    if (all.length === 0) {
      return yield* Effect.fail(AppError.notFound(
        `No board is set up for ${cfg.platform}:${cfg.repository}.`,
        `Create one with {action:"create_board", board_type:"feature_development"}, or adopt an existing one ` +
          `with {action:"create_board", board_number}.`,
      ));
    }
    if (all.length > 1) {
      return yield* Effect.fail(AppError.validation(
        `Several boards are set up for ${cfg.platform}:${cfg.repository}, so board_id is required.`,
        `Pass board_id, one of: ${
          all.map((b) => `${b.board_id} ("${b.remote.title}", ${b.board_type})`).join(", ")
        }.`,
      ));
    }
    return { cfg, ...connected, board: all[0]! };
  });

/** Reads the board from the forge and stores what changed (columns renamed or added there). */
const refresh = (s: Selected) =>
  s.boards.getBoard(
    s.forge.repo,
    s.board.remote.owner === null
      ? { number: s.board.remote.number }
      : { number: s.board.remote.number, owner: s.board.remote.owner },
  ).pipe(Effect.flatMap((remote) => refreshBoard(s.board, remote).pipe(Effect.orDie)));

// ------------------------------------------------------------------------------ create_board

/** Input of {@link createBoard}. */
export interface CreateBoardInput {
  readonly board_type?: BoardType;
  readonly title?: string;
  readonly board_number?: number;
  readonly board_url?: string;
  readonly owner?: string;
  readonly status_mapping?: StatusMappingInput;
  readonly repository?: string;
  readonly platform?: string;
}

const TYPE_TITLES: Readonly<Record<BoardType, string>> = {
  feature_development: "Feature development",
  release_planning: "Release planning",
  sprint_board: "Sprint board",
};

/**
 * Creates a board with the columns of its type and mapping, or adopts an existing one (by number
 * or address), adding the columns it lacks; records it locally. A board of the same type and
 * title already recorded for the repository is returned as it is.
 */
export const createBoard = (
  input: CreateBoardInput,
): Effect.Effect<Record<string, unknown>, AppError, BoardServices> =>
  Effect.gen(function* () {
    const type = input.board_type ?? "feature_development";
    const adopting = input.board_number !== undefined || input.board_url !== undefined;
    if (input.board_number !== undefined && input.board_url !== undefined) {
      return yield* Effect.fail(AppError.validation(
        "Both board_number and board_url were given.",
        "Pass one of them to adopt an existing board, or neither to create one.",
      ));
    }
    if (input.owner !== undefined && input.board_number === undefined) {
      return yield* Effect.fail(AppError.validation(
        "owner goes with board_number (the account owning the project to adopt).",
        "Pass board_number too, or give the project's address as board_url.",
      ));
    }
    if (adopting && input.title !== undefined) {
      return yield* Effect.fail(AppError.validation(
        "title names a new board; an adopted board keeps its own title.",
        "Leave title out when adopting with board_number or board_url.",
      ));
    }
    const cfg = yield* Configs.use((c) => c.resolve(input.repository, input.platform));
    const { forge, boards } = yield* connectBoards(cfg);
    const mapping = mergeMapping(input.status_mapping);
    const remoteError = (e: PlatformError) => toAppError(e);
    let milestones: string[] = [];
    if (type === "release_planning") {
      milestones = openMilestoneColumns(
        yield* forge.client.listMilestones!(forge.repo).pipe(Effect.mapError(remoteError)),
      );
    }
    const columns = columnsFor(type, mapping, milestones);
    if (adopting) {
      const found = yield* boards.getBoard(
        forge.repo,
        input.board_url !== undefined
          ? { url: input.board_url }
          : input.owner !== undefined
          ? { number: input.board_number!, owner: input.owner }
          : { number: input.board_number! },
      ).pipe(Effect.mapError(remoteError));
      const missing = columns.filter((c) => findColumn(columnNames(found), c) === undefined);
      const remote = yield* boards.addColumns(forge.repo, found, missing).pipe(Effect.mapError(remoteError));
      const board = yield* saveBoard({
        config_id: cfg.config_id,
        board_type: type,
        remote,
        status_mapping: mapping,
        adopted: true,
      });
      return { board: boardView(cfg, board), created: false, columns_added: missing };
    }
    const title = input.title ?? `${forge.repo.path.split("/").at(-1)} — ${TYPE_TITLES[type]}`;
    const same = (yield* listBoards(cfg.config_id)).find((b) =>
      b.board_type === type && b.remote.title === title && !b.adopted
    );
    if (same !== undefined) return { board: boardView(cfg, same), created: false, already_exists: true };
    const remote = yield* boards.createBoard(forge.repo, { title, columns }).pipe(
      Effect.mapError(remoteError),
    );
    const board = yield* saveBoard({
      config_id: cfg.config_id,
      board_type: type,
      remote,
      status_mapping: mapping,
      adopted: false,
    });
    return { board: boardView(cfg, board), created: true };
  });

// ------------------------------------------------------------------------------ placing cards

/** The column an item belongs in on a board, or why it has none. */
function targetOf(
  board: BoardRecord,
  columns: readonly string[],
  local: BoardLocal,
  milestone: string | null,
): { column: string } | { reason: string } {
  if (board.board_type === "release_planning") return { column: columnForMilestone(columns, milestone) };
  const { kind, status } = describe(local);
  const column = columnForStatus(board.status_mapping, kind, status);
  if (column === undefined) {
    return { reason: `${kind} status "${status}" maps to no column of this board (status_mapping)` };
  }
  return { column: findColumn(columns, column) ?? column };
}

/** The card of a placed item as tools return it. */
function cardView(
  card: { issue_number: number; title: string; url: string | null; column: string | null },
  link: BoardLink | undefined,
  local: BoardLocal | undefined,
  status: "synced" | "pending" | null,
): CardView {
  return {
    issue_number: card.issue_number,
    title: card.title,
    url: card.url,
    column: card.column,
    item: itemView(local),
    link_id: link?.link_id ?? null,
    sync_status: status,
  };
}

/** Input of {@link addToBoard}. */
export interface AddInput extends BoardSelector, ItemSelector {
  readonly column?: string;
}

/**
 * Puts a linked feature's or task's issue on the board, in the column its status maps to (on
 * release boards: its milestone's), or in `column`. Idempotent: an item already there is put in
 * that column again and reported as `already_on_board`.
 */
export const addToBoard = (
  input: AddInput,
): Effect.Effect<Record<string, unknown>, AppError, BoardServices> =>
  Effect.gen(function* () {
    const s = yield* selectBoard(input);
    const { link, local } = yield* resolveItem(s.cfg, input, "add_to_board", false);
    const { kind, id } = describe(local);
    if (!kindsOf(s.board.board_type).includes(kind)) {
      return yield* Effect.fail(AppError.validation(
        `Board ${s.board.board_id} is a ${s.board.board_type}, which holds tasks, not features like "${id}".`,
        'Put features on a feature_development or release_planning board (create one with {action:"create_board"}).',
      ));
    }
    const known = columnNames(s.board.remote);
    let wanted: string | undefined;
    if (input.column !== undefined) {
      wanted = findColumn(known, input.column);
      if (wanted === undefined) return yield* Effect.fail(unknownColumn(s.board, input.column, known));
    } else if (s.board.board_type !== "release_planning") {
      const target = targetOf(s.board, known, local, null);
      if ("reason" in target) {
        return yield* Effect.fail(AppError.validation(
          `${
            kind === "task" ? "Task" : "Feature"
          } "${id}" cannot go on board ${s.board.board_id}: ${target.reason}.`,
          `Pass column (one of ${
            listColumns(known)
          }), or adopt the board again with a status_mapping for that status.`,
        ));
      }
      wanted = target.column;
    }
    const before = yield* boardItem(s.board.board_id, link.link_id);
    const issue = { number: link.issue_number!, id: link.issue_id };
    const attempt = yield* Effect.result(Effect.gen(function* () {
      const remote = (yield* refresh(s)).remote;
      let column = wanted;
      if (column === undefined) {
        const found = yield* s.forge.client.getIssue(s.forge.repo, issue.number);
        column = columnForMilestone(columnNames(remote), Option.isSome(found) ? found.value.milestone : null);
      }
      let board = remote;
      if (findColumn(columnNames(board), column) === undefined) {
        if (input.column !== undefined) {
          return yield* Effect.fail(
            new PlatformError({
              reason: "Invalid",
              message: `Column "${column}" is no longer on the board (columns: ${
                listColumns(columnNames(board))
              }).`,
              hint: "Pass one of the board's columns.",
            }),
          );
        }
        board = yield* s.boards.addColumns(s.forge.repo, board, [column]);
        yield* refreshBoard(s.board, board).pipe(Effect.orDie);
      }
      return yield* s.boards.moveCard(s.forge.repo, board, issue, column);
    }));
    if (Result.isSuccess(attempt)) {
      const card = attempt.success;
      yield* recordMoves(s.board.board_id, [{
        link_id: link.link_id,
        column: card.column!,
        synced: true,
        item_id: card.item_id,
      }]);
      const board = (yield* findBoard(s.board.board_id))!;
      return {
        board: boardView(s.cfg, board),
        card: cardView(card, link, local, "synced"),
        already_on_board: before !== undefined,
        sync_status: "synced",
      };
    }
    const error = attempt.failure;
    if (!queueable(error)) return yield* Effect.fail(toAppError(error));
    const column = wanted ?? before?.column ?? columnForMilestone(known, null);
    yield* recordMoves(s.board.board_id, [{
      link_id: link.link_id,
      column,
      synced: false,
      error: error.message,
    }]);
    return {
      board: boardView(s.cfg, s.board),
      card: cardView(
        { issue_number: issue.number, title: describe(local).title, url: link.issue_url, column },
        link,
        local,
        "pending",
      ),
      already_on_board: before !== undefined,
      sync_status: "pending",
      reason: kept(error),
    };
  });

function unknownColumn(board: BoardRecord, column: string, known: readonly string[]): AppError {
  return AppError.validation(
    `Board ${board.board_id} ("${board.remote.title}") has no column "${column.slice(0, 100)}".`,
    `Columns: ${listColumns(known)}. Pass one of them as column (by name).`,
  );
}

/** Input of {@link moveCard}. */
export interface MoveInput extends BoardSelector, ItemSelector {
  readonly column: string;
}

/** Moves a card already on the board to the column named `column`. */
export const moveCard = (input: MoveInput): Effect.Effect<Record<string, unknown>, AppError, BoardServices> =>
  Effect.gen(function* () {
    const s = yield* selectBoard(input);
    const { link, local } = yield* resolveItem(s.cfg, input, "move_card", true);
    const before = yield* boardItem(s.board.board_id, link.link_id);
    const { kind, id } = describe(local);
    if (before === undefined) {
      return yield* Effect.fail(AppError.notFound(
        `${
          kind === "task" ? "Task" : "Feature"
        } "${id}" (issue #${link.issue_number}) is not on board ${s.board.board_id}.`,
        `Put it there first with {action:"add_to_board", board_id:${s.board.board_id}, ${kind}_id:"${id}"}.`,
      ));
    }
    const known = columnNames(s.board.remote);
    const column = findColumn(known, input.column);
    if (column === undefined) return yield* Effect.fail(unknownColumn(s.board, input.column, known));
    const issue = { number: link.issue_number!, id: link.issue_id };
    const attempt = yield* Effect.result(Effect.gen(function* () {
      const fresh = yield* refresh(s);
      const target = findColumn(columnNames(fresh.remote), column);
      if (target === undefined) return { kind: "missing", board: fresh } as const;
      return {
        kind: "moved",
        card: yield* s.boards.moveCard(s.forge.repo, fresh.remote, issue, target),
      } as const;
    }));
    if (Result.isSuccess(attempt)) {
      const outcome = attempt.success;
      if (outcome.kind === "missing") {
        return yield* Effect.fail(
          unknownColumn(outcome.board, input.column, columnNames(outcome.board.remote)),
        );
      }
      const card = outcome.card;
      yield* recordMoves(s.board.board_id, [{
        link_id: link.link_id,
        column: card.column!,
        synced: true,
        item_id: card.item_id,
      }]);
      return {
        board: boardView(s.cfg, (yield* findBoard(s.board.board_id))!),
        card: cardView(card, link, local, "synced"),
        sync_status: "synced",
      };
    }
    const error = attempt.failure;
    if (!queueable(error)) return yield* Effect.fail(toAppError(error));
    yield* recordMoves(s.board.board_id, [{
      link_id: link.link_id,
      column,
      synced: false,
      error: error.message,
    }]);
    return {
      board: boardView(s.cfg, s.board),
      card: cardView(
        { issue_number: issue.number, title: describe(local).title, url: link.issue_url, column },
        link,
        local,
        "pending",
      ),
      sync_status: "pending",
      reason: kept(error),
    };
  });

// ------------------------------------------------------------------------------ update_progress

interface Plan {
  readonly item: LoadedItem;
  readonly from: string | null;
  readonly to: string;
}

/**
 * Puts every item of the board in the column its local status maps to (release boards: its issue's
 * milestone), reading the board once and moving only the cards not there yet. Items whose status
 * maps to no column, and items the forge refuses (a deleted issue), are skipped with the reason.
 */
const push = (
  s: Selected,
  options: { readonly dryRun: boolean; readonly progress: Progress },
): Effect.Effect<Record<string, unknown>, AppError, BoardServices> =>
  Effect.gen(function* () {
    yield* dropOrphans(s.board.board_id);
    const items = (yield* loadItems(s.board.board_id)).filter((i) => i.link.issue_number !== null);
    const skipped: SkipView[] = [];
    const read = yield* Effect.result(Effect.gen(function* () {
      const fresh = yield* refresh(s);
      const cards = yield* s.boards.listCards(s.forge.repo, fresh.remote);
      return { fresh, cards: new Map(cards.map((c) => [c.issue_number, c])) };
    }));
    if (Result.isFailure(read)) {
      const error = read.failure;
      if (!queueable(error)) return yield* Effect.fail(toAppError(error));
      // The forge is out of reach: decide what can be decided locally and keep it pending.
      const known = columnNames(s.board.remote);
      const moves: MoveRecord[] = [];
      for (const item of items) {
        if (item.local === undefined || s.board.board_type === "release_planning") continue;
        const target = targetOf(s.board, known, item.local, null);
        if (
          "column" in target &&
          (target.column !== item.record.column || item.record.sync_status === "pending")
        ) {
          moves.push({
            link_id: item.link.link_id,
            column: target.column,
            synced: false,
            error: error.message,
          });
        }
      }
      if (!options.dryRun) yield* recordMoves(s.board.board_id, moves);
      return {
        board: boardView(s.cfg, s.board),
        moved: [],
        unchanged: 0,
        skipped: [],
        pending: moves.length,
        sync_status: "pending",
        reason:
          `${error.message} ${moves.length} card move(s) are kept locally and sent by the next update_progress.`,
        ...(options.dryRun ? { dry_run: true } : {}),
      };
    }
    let { fresh, cards } = read.success;
    const milestoneOf = new Map<number, string | null>();
    if (s.board.board_type === "release_planning") {
      // A card taken off the board on the forge says nothing of its milestone: read its issue.
      for (const item of items) {
        const number = item.link.issue_number!;
        const card = cards.get(number);
        if (card !== undefined) {
          milestoneOf.set(number, card.milestone);
          continue;
        }
        const issue = yield* Effect.result(s.forge.client.getIssue(s.forge.repo, number));
        milestoneOf.set(
          number,
          Result.isSuccess(issue) && Option.isSome(issue.success) ? issue.success.value.milestone : null,
        );
      }
    }
    const plans: Plan[] = [];
    const confirm: MoveRecord[] = [];
    let unchanged = 0;
    for (const item of items) {
      const number = item.link.issue_number!;
      const card = cards.get(number);
      if (item.local === undefined) {
        skipped.push({ issue_number: number, item: null, reason: "the linked item no longer exists" });
        continue;
      }
      const target = targetOf(fresh, columnNames(fresh.remote), item.local, milestoneOf.get(number) ?? null);
      if ("reason" in target) {
        skipped.push({ issue_number: number, item: itemView(item.local), reason: target.reason });
        continue;
      }
      if (card !== undefined && card.column === target.column) {
        unchanged++;
        if (item.record.sync_status !== "synced" || item.record.column !== target.column) {
          confirm.push({
            link_id: item.link.link_id,
            column: target.column,
            synced: true,
            item_id: card.item_id,
          });
        }
        continue;
      }
      plans.push({ item, from: card?.column ?? null, to: target.column });
    }
    const moved: MoveView[] = plans.map((p) => ({
      issue_number: p.item.link.issue_number!,
      item: itemView(p.item.local),
      from: p.from,
      to: p.to,
    }));
    if (options.dryRun) {
      return { board: boardView(s.cfg, fresh), moved, unchanged, skipped, pending: 0, dry_run: true };
    }
    yield* recordMoves(s.board.board_id, confirm);
    // Columns a mapping or a milestone needs but the board lacks (deleted on the forge) come back first.
    const lacking = [...new Set(plans.map((p) => p.to))].filter((c) =>
      findColumn(columnNames(fresh.remote), c) === undefined
    );
    let remote = fresh.remote;
    const records: MoveRecord[] = [];
    let failure: PlatformError | undefined;
    if (lacking.length > 0) {
      const grown = yield* Effect.result(s.boards.addColumns(s.forge.repo, remote, lacking));
      if (Result.isFailure(grown)) {
        if (!queueable(grown.failure)) return yield* Effect.fail(toAppError(grown.failure));
        failure = grown.failure;
      } else {
        remote = grown.success;
        fresh = yield* refreshBoard(fresh, remote);
      }
    }
    const done: MoveView[] = [];
    for (const [index, plan] of plans.entries()) {
      const view = moved[index]!;
      if (failure !== undefined) {
        records.push({
          link_id: plan.item.link.link_id,
          column: plan.to,
          synced: false,
          error: failure.message,
        });
        continue;
      }
      const result = yield* Effect.result(
        s.boards.moveCard(
          s.forge.repo,
          remote,
          { number: view.issue_number, id: plan.item.link.issue_id },
          plan.to,
        ),
      );
      if (Result.isSuccess(result)) {
        records.push({
          link_id: plan.item.link.link_id,
          column: plan.to,
          synced: true,
          item_id: result.success.item_id,
        });
        done.push(view);
      } else if (queueable(result.failure)) {
        failure = result.failure;
        records.push({
          link_id: plan.item.link.link_id,
          column: plan.to,
          synced: false,
          error: failure.message,
        });
      } else {
        skipped.push({ issue_number: view.issue_number, item: view.item, reason: result.failure.message });
      }
      yield* options.progress(index + 1, plans.length, `issue #${view.issue_number} → ${plan.to}`);
    }
    yield* recordMoves(s.board.board_id, records);
    const pending = records.filter((r) => !r.synced).length;
    return {
      board: boardView(s.cfg, (yield* findBoard(s.board.board_id))!),
      moved: done,
      unchanged,
      skipped,
      pending,
      sync_status: pending > 0 ? "pending" : "synced",
      ...(failure !== undefined
        ? {
          reason:
            `${failure.message} ${pending} card move(s) are kept locally and sent by the next update_progress.`,
        }
        : {}),
    };
  });

/** Input of {@link updateProgress}. */
export interface ProgressInput extends BoardSelector {
  readonly dry_run?: boolean;
}

/** Pushes every card's column from its item's local status (release boards: its milestone). */
export const updateProgress = (
  input: ProgressInput,
  progress: Progress,
): Effect.Effect<Record<string, unknown>, AppError, BoardServices> =>
  Effect.gen(function* () {
    const s = yield* selectBoard(input);
    return yield* push(s, { dryRun: input.dry_run === true, progress });
  });

/**
 * On a release-planning board: adds a column per open milestone the board lacks, then puts every
 * card in its issue's milestone column.
 */
export const syncMilestones = (
  input: BoardSelector,
  progress: Progress,
): Effect.Effect<Record<string, unknown>, AppError, BoardServices> =>
  Effect.gen(function* () {
    const s = yield* selectBoard(input);
    if (s.board.board_type !== "release_planning") {
      return yield* Effect.fail(AppError.validation(
        `sync_milestones works on release_planning boards; board ${s.board.board_id} ("${s.board.remote.title}") ` +
          `is a ${s.board.board_type} board.`,
        'Create a release board with {action:"create_board", board_type:"release_planning"}, or pass its board_id.',
      ));
    }
    const milestones = yield* s.forge.client.listMilestones!(s.forge.repo).pipe(Effect.mapError(toAppError));
    const open = openMilestoneColumns(milestones);
    const fresh = yield* refresh(s).pipe(Effect.mapError(toAppError));
    const missing = open.filter((t) => findColumn(columnNames(fresh.remote), t) === undefined);
    const grown = yield* s.boards.addColumns(s.forge.repo, fresh.remote, missing).pipe(
      Effect.mapError(toAppError),
    );
    const board = yield* refreshBoard(fresh, grown);
    const result = yield* push({ ...s, board }, { dryRun: false, progress });
    return { ...result, columns_added: missing };
  });

// ------------------------------------------------------------------------------ view

/** Shows a board's columns with their cards (or, without board_id and with several boards, the boards). */
export const viewBoard = (
  input: BoardSelector,
): Effect.Effect<Record<string, unknown>, AppError, BoardServices> =>
  Effect.gen(function* () {
    if (input.board_id === undefined) {
      const cfg = yield* Configs.use((c) => c.resolve(input.repository, input.platform));
      yield* connectBoards(cfg);
      const all = yield* listBoards(cfg.config_id);
      if (all.length > 1) return { boards: all.map((b) => boardView(cfg, b)) };
    }
    const s = yield* selectBoard(input);
    const items = yield* loadItems(s.board.board_id);
    const byLink = new Map(items.map((i) => [i.link.link_id, i]));
    const read = yield* Effect.result(Effect.gen(function* () {
      const fresh = yield* refresh(s);
      return { fresh, cards: yield* s.boards.listCards(s.forge.repo, fresh.remote) };
    }));
    if (Result.isFailure(read)) {
      if (!queueable(read.failure)) return yield* Effect.fail(toAppError(read.failure));
      const cards = items.map((i) =>
        cardView(
          {
            issue_number: i.link.issue_number ?? 0,
            title: i.local === undefined ? "" : describe(i.local).title,
            url: i.link.issue_url,
            column: i.record.column,
          },
          i.link,
          i.local,
          i.record.sync_status,
        )
      );
      return {
        board: boardView(s.cfg, s.board),
        columns: group(columnNames(s.board.remote), cards),
        source: "local",
        reason: `${read.failure.message} This is the board as forgesync last recorded it.`,
      };
    }
    const { fresh, cards } = read.success;
    const links = yield* linksByIssue(s.cfg);
    const shown = new Set(cards.map((c) => c.issue_number));
    const locals = yield* loadLocals([...links.values()].filter((l) => shown.has(l.issue_number!)));
    const views = cards.map((card: RemoteCard) => {
      const link = links.get(card.issue_number);
      const item = link === undefined ? undefined : byLink.get(link.link_id);
      const local = link === undefined ? undefined : locals.get(link.link_id);
      return cardView(card, link, local, item?.record.sync_status ?? null);
    });
    return {
      board: boardView(s.cfg, fresh),
      columns: group(columnNames(fresh.remote), views),
      source: "forge",
    };
  });

function group(columns: readonly string[], cards: readonly CardView[]): ColumnView[] {
  const out: ColumnView[] = columns.map((name) => ({ name, cards: cards.filter((c) => c.column === name) }));
  const elsewhere = cards.filter((c) => c.column === null || !columns.includes(c.column));
  return elsewhere.length > 0 ? [...out, { name: null, cards: elsewhere }] : out;
}
