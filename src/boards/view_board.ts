/**
 * `view`: a board's columns with their cards as the forge shows them — or, with the forge out of
 * reach, as forgesync last recorded them, saying so; without board_id and with several boards of
 * the repository, the boards.
 *
 * @module
 */
import { Effect, Result } from "effect";
import type { AppError } from "../domain/errors.ts";
import type { RemoteCard } from "../platform/boards.ts";
import { toAppError } from "../platform/to_app_error.ts";
import { Configs } from "../store/configs.ts";
import { describe, loadItems, loadLocals } from "./items.ts";
import { queueable } from "./placement.ts";
import { type BoardSelector, type BoardServices, connectBoards, readCards, selectBoard } from "./select.ts";
import { listBoards } from "../store/boards_repo.ts";
import { linksByIssue } from "../store/boards_links.ts";
import { reading } from "./records.ts";
import { boardView, type CardView, cardView, columnNames, type ColumnView } from "./views.ts";

/** The cards by column, in the board's order, then the cards in no column of the board. */
function group(columns: readonly string[], cards: readonly CardView[]): ColumnView[] {
  const out: ColumnView[] = columns.map((name) => ({ name, cards: cards.filter((c) => c.column === name) }));
  const elsewhere = cards.filter((c) => c.column === null || !columns.includes(c.column));
  return elsewhere.length > 0 ? [...out, { name: null, cards: elsewhere }] : out;
}

/** Shows a board's columns with their cards (or, without board_id and with several boards, the boards). */
export const viewBoard = (
  input: BoardSelector,
): Effect.Effect<Record<string, unknown>, AppError, BoardServices> =>
  Effect.gen(function* () {
    if (input.board_id === undefined) {
      const cfg = yield* Configs.use((c) => c.resolve(input.repository, input.platform));
      yield* connectBoards(cfg);
      const all = yield* reading(listBoards(cfg.config_id));
      if (all.length > 1) return { boards: all.map((b) => boardView(cfg, b)) };
    }
    const s = yield* selectBoard(input);
    const items = yield* loadItems(s.board.board_id);
    const byLink = new Map(items.map((i) => [i.link.link_id, i]));
    const read = yield* Effect.result(readCards(s));
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
    const links = yield* reading(linksByIssue(s.cfg.config_id));
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
