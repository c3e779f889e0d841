/**
 * Boards drawn as columns of cards, as forgesync last recorded them: each card links to its issue
 * and to its item's page; a pending move is marked with the column the forge still has, and why.
 *
 * @module
 */
import type { JSX } from "hono/jsx/jsx-runtime";
import { clip, itemHref, safeUrl } from "./format.ts";
import type { DashboardBoard, DashboardCard, DashboardColumn } from "./overview.ts";

/** "N" or "N of M". */
export function shown(rows: number, total: number): string {
  return rows < total ? `${rows} of ${total}` : String(total);
}

const BOARD_TYPES: Readonly<Record<string, string>> = {
  feature_development: "feature development",
  release_planning: "release planning",
  sprint_board: "sprint board",
};

function BoardCardItem({ card }: { card: DashboardCard }): JSX.Element {
  const href = safeUrl(card.issue_url);
  const issue = card.issue_number === null ? "issue being created" : `#${card.issue_number}`;
  const title = card.issue_title ?? card.item_title ?? card.item_id;
  return (
    <div class={card.pending ? "bcard pending" : "bcard"}>
      <div>
        {href === undefined ? <b>{issue}</b> : <a href={href} rel="noreferrer noopener">{issue}</a>}{" "}
        {clip(title)}
      </div>
      <div class="id">
        <a href={itemHref(card.kind, card.item_id)}>{card.item_id}</a>
        {card.item_title !== null && card.item_title !== title ? ` · ${clip(card.item_title, 80)}` : ""}
      </div>
      {card.pending
        ? (
          <div>
            <span class="badge warn">move pending</span>{" "}
            <span class="muted">forge has it in {card.synced_column ?? "no column yet"}</span>
            {card.last_error === null ? null : <div class="error">{clip(card.last_error, 200)}</div>}
          </div>
        )
        : null}
    </div>
  );
}

function BoardColumnBox({ column }: { column: DashboardColumn }): JSX.Element {
  return (
    <div class="column">
      <h4>
        {column.name ?? "Not in a column"}
        <span class="count">{column.cards.length}</span>
      </h4>
      {column.cards.length === 0
        ? <p class="empty">No card.</p>
        : column.cards.map((card) => BoardCardItem({ card }))}
    </div>
  );
}

/**
 * One board as forgesync last recorded it: its name (linked to the board when its address is
 * http(s)), platform, repository and type, then its columns with their cards; pending moves are
 * marked with the column the forge still has.
 */
export function BoardBox({ board }: { board: DashboardBoard }): JSX.Element {
  const href = safeUrl(board.url);
  const cards = board.columns.reduce((n, c) => n + c.cards.length, 0);
  return (
    <article class="card">
      <h3>
        {href === undefined
          ? clip(board.title)
          : <a href={href} rel="noreferrer noopener">{clip(board.title)}</a>}
        <span class="badge info">{BOARD_TYPES[board.board_type] ?? board.board_type}</span>
        {board.adopted ? <span class="badge info">adopted</span> : null}
        {board.pending_count > 0 ? <span class="badge warn">{board.pending_count} pending</span> : null}
      </h3>
      <p class="muted">
        {board.platform}:{board.repository} · board {board.number} · {shown(cards, board.card_count)}{" "}
        {board.card_count === 1 ? "card" : "cards"}
      </p>
      <div class="board">
        {board.columns.map((column) => BoardColumnBox({ column }))}
      </div>
    </article>
  );
}
