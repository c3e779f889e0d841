/**
 * The board part of the plugin contract (SPEC §5 "Project boards", §6): a small, optional member
 * of {@link PlatformClient} (`boards`) through which the core creates or adopts a board, adds the
 * columns it needs, and puts an issue's card in a column named by its **name**. How a forge holds
 * columns is the plugin's business: GitHub Projects v2 keeps them as the options of the project's
 * single-select "Status" field; GitLab issue boards as label lists (a card is in the list whose label
 * the issue carries).
 *
 * A client without boards either leaves the member out (the core answers `Unsupported` with a
 * generic hint) or sets it to a {@link NoBoards} value saying why and what to do instead (Bitbucket:
 * boards live in Jira).
 *
 * @module
 */
import type { Effect, Option } from "effect";
import type { PlatformError } from "./errors.ts";
import type { BatchResults, IssueKey, RepoRef } from "./refs.ts";

/** One column of a board. */
export interface RemoteColumn {
  /** The name people see (and tools use). */
  readonly name: string;
  /** The forge's id of the column (GitHub: the single-select option id; GitLab: the list id). */
  readonly id: string;
}

/** A board as the forge holds it. */
export interface RemoteBoard {
  /** The forge's id (GitHub: the project's node id; GitLab: the board id, as text). */
  readonly id: string;
  /** The number people use to name it (GitHub: the project number; GitLab: the board id). */
  readonly number: number;
  readonly title: string;
  /** The web page of the board. */
  readonly url: string | null;
  /** The account owning the board, where boards belong to accounts (GitHub); null otherwise. */
  readonly owner: string | null;
  /**
   * Where columns are the values of a field (GitHub: the project's single-select "Status"), that
   * field's id; null where columns are lists (GitLab).
   */
  readonly columns_field_id: string | null;
  /** Columns in board order. */
  readonly columns: readonly RemoteColumn[];
}

/** A new board. */
export interface BoardDraft {
  readonly title: string;
  /** Column names, in order (at least one). */
  readonly columns: readonly string[];
}

/**
 * How to find an existing board: its number (GitHub project number, GitLab board id), with the
 * owning account where boards belong to accounts (GitHub; default: the repository's owner), or its
 * web address.
 */
export type BoardLocator =
  | { readonly number: number; readonly owner?: string }
  | { readonly url: string };

/**
 * The issue a card stands for: its number, and the forge's global id (`RemoteIssue.id`) when known;
 * the plugin looks it up otherwise.
 */
export type BoardIssue = IssueKey;

/** One move of a batch ({@link BoardClient.moveCards}). */
export interface CardMove {
  readonly issue: BoardIssue;
  /** The column, by name (one of `board.columns`). */
  readonly column: string;
  /** The card's id when the core read it from the board (`RemoteCard.item_id`): spares adding the issue again. */
  readonly item_id: string | null;
}

/** A card: an issue on a board. */
export interface RemoteCard {
  readonly issue_number: number;
  readonly title: string;
  readonly url: string | null;
  /** The column the card is in, by name; null when it is on the board but in no column. */
  readonly column: string | null;
  /** The forge's id of the card, where cards have their own (GitHub project items). */
  readonly item_id: string | null;
  /** The milestone title of the issue, or null. */
  readonly milestone: string | null;
}

/** The board operations of a connected client (capability `boards`). */
export interface BoardClient {
  /** Creates a board whose columns are `draft.columns`, in that order. Not idempotent. */
  createBoard(repo: RepoRef, draft: BoardDraft): Effect.Effect<RemoteBoard, PlatformError>;
  /** An existing board (`NotFound` when there is none; `Invalid` for a locator of another forge). */
  getBoard(repo: RepoRef, locator: BoardLocator): Effect.Effect<RemoteBoard, PlatformError>;
  /**
   * Adds the columns of `names` the board lacks, after the existing ones. Existing columns and the
   * cards in them stay as they are. Returns the board as it is afterwards.
   */
  addColumns(
    repo: RepoRef,
    board: RemoteBoard,
    names: readonly string[],
  ): Effect.Effect<RemoteBoard, PlatformError>;
  /** The card of an issue on the board, or none when the issue is not on it. */
  getCard(
    repo: RepoRef,
    board: RemoteBoard,
    issue: BoardIssue,
  ): Effect.Effect<Option.Option<RemoteCard>, PlatformError>;
  /**
   * Puts the issue's card in the column named `column` (one of `board.columns`), adding the issue to
   * the board when it is not on it yet. Idempotent: a card already there stays, and only one card
   * per issue ever exists.
   */
  moveCard(
    repo: RepoRef,
    board: RemoteBoard,
    issue: BoardIssue,
    column: string,
  ): Effect.Effect<RemoteCard, PlatformError>;
  /** Every card of the repository's issues on the board (other items are left out), every page. */
  listCards(repo: RepoRef, board: RemoteBoard): Effect.Effect<readonly RemoteCard[], PlatformError>;
  /** The most moves one {@link moveCards} call takes. Set with it. */
  readonly batchSize?: number;
  /**
   * Makes several moves, each as {@link moveCard} would, in as few requests as the forge allows
   * (GitHub: aliased mutations, {@link batchSize} a request) — at most {@link batchSize} moves per
   * call. Returns the card of each move, or why the forge refused that one. Idempotent. Optional:
   * without it the core calls {@link moveCard} for each card.
   */
  moveCards?(
    repo: RepoRef,
    board: RemoteBoard,
    moves: readonly CardMove[],
  ): Effect.Effect<BatchResults<RemoteCard>, PlatformError>;
}

/** What a client sets as `boards` when its forge has no boards it can drive, and why. */
export interface NoBoards {
  readonly unsupported: {
    /** What is missing, naming the forge. */
    readonly message: string;
    /** What to do instead. */
    readonly hint: string;
  };
}

/** Whether a client's `boards` member offers board operations. */
export function hasBoards(boards: BoardClient | NoBoards | undefined): boards is BoardClient {
  return boards !== undefined && !("unsupported" in boards);
}

/** The names of the {@link BoardClient} operations every board client has ({@link BoardClient.moveCards} is optional). */
export const BOARD_OPERATIONS = [
  "createBoard",
  "getBoard",
  "addColumns",
  "getCard",
  "moveCard",
  "listCards",
] as const satisfies ReadonlyArray<keyof BoardClient>;
