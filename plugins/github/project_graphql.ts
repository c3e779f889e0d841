/**
 * What the board operations on GitHub Projects (v2) share: the column field's name, page and batch
 * sizes, the hints their GraphQL calls fail with (what the token lacks for projects), and the card
 * read from an item's content.
 *
 * @module
 */
import type { RemoteCard } from "../../src/platform/mod.ts";
import type { GitHubContext } from "./client.ts";
import type { GraphqlHints, Json } from "./graphql.ts";
import { type ProjectOwner, projectTokenHint, tokenKind } from "./token_kind.ts";

/** The single-select field whose options are a board's columns. */
export const COLUMN_FIELD = "Status";
/** Items per page of a project listing (GitHub's maximum). */
export const PAGE = 100;
/** Aliased mutations per request (putting cards back, batched moves). */
export const BATCH = 25;

/**
 * What a refusal of a board operation says: what the token in use lacks — its kind (classic or
 * fine-grained) and, where known, the kind of account owning the project.
 */
export function projectHints(ctx: GitHubContext, owner: ProjectOwner | null = null): GraphqlHints {
  const scopeHint = projectTokenHint(tokenKind(ctx.errors.token), ctx.errors.tokenVariable, owner);
  return {
    forbidden: scopeHint,
    notFound: `Check the owner and number; a project the token cannot see answers "not found". ${scopeHint}`,
  };
}

/** The fields of an item's content a card shows. */
export const CARD_CONTENT =
  `... on Issue { number title url milestone { title } repository { nameWithOwner } }`;

/** A card from an item's content (as {@link CARD_CONTENT} selects it), its id and its column. */
export function toCard(content: Json, itemId: string | null, column: string | null): RemoteCard {
  return {
    issue_number: Number(content.number),
    title: String(content.title ?? ""),
    url: typeof content.url === "string" ? content.url : null,
    column,
    item_id: itemId,
    milestone: typeof content.milestone?.title === "string" ? content.milestone.title : null,
  };
}
