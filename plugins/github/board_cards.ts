/**
 * The cards of a GitHub project: an issue's card (its item in the project, in the column its Status
 * names) and every card of the repository's issues on a board, page by page.
 *
 * @module
 */
import { Effect, Option } from "effect";
import type { BoardIssue, PlatformError, RemoteBoard, RemoteCard, RepoRef } from "../../src/platform/mod.ts";
import type { GitHubContext } from "./client.ts";
import { gql, type Json, malformed } from "./graphql.ts";
import { ownerName } from "./node_ids.ts";
import { CARD_CONTENT, COLUMN_FIELD, PAGE, projectHints, toCard } from "./project_graphql.ts";

/** The card of an issue on the board, or none. */
export function getCard(
  ctx: GitHubContext,
  repo: RepoRef,
  board: RemoteBoard,
  issue: BoardIssue,
): Effect.Effect<Option.Option<RemoteCard>, PlatformError> {
  const what = `reading the card of issue #${issue.number} on project #${board.number}`;
  return gql(
    ctx,
    what,
    `query($owner: String!, $name: String!, $number: Int!) { repository(owner: $owner, name: $name) {
      issue(number: $number) { number title url milestone { title }
        projectItems(first: 100) { nodes { id project { id }
          fieldValueByName(name: "${COLUMN_FIELD}") { ... on ProjectV2ItemFieldSingleSelectValue { name } } } } } } }`,
    { ...ownerName(repo), number: issue.number },
    (data) => {
      const found = data?.repository?.issue;
      if (found === null || found === undefined) throw malformed(what, "no issue");
      const item = (found.projectItems?.nodes ?? []).find((n: Json) => n?.project?.id === board.id);
      return item === undefined
        ? Option.none()
        : Option.some(toCard(found, String(item.id), item.fieldValueByName?.name ?? null));
    },
    projectHints(ctx),
  );
}

/** Every card of the repository's issues on the board (other items are left out), every page. */
export function listCards(
  ctx: GitHubContext,
  repo: RepoRef,
  board: RemoteBoard,
): Effect.Effect<readonly RemoteCard[], PlatformError> {
  const what = `listing the cards of project #${board.number}`;
  return Effect.gen(function* () {
    const cards: RemoteCard[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { nodes: Json[]; next: string | null } = yield* gql(
        ctx,
        what,
        `query($id: ID!, $after: String) { node(id: $id) { ... on ProjectV2 {
          items(first: ${PAGE}, after: $after) {
            nodes { id content { __typename ${CARD_CONTENT} }
              fieldValueByName(name: "${COLUMN_FIELD}") { ... on ProjectV2ItemFieldSingleSelectValue { name } } }
            pageInfo { hasNextPage endCursor } } } } }`,
        { id: board.id, after },
        (data) => {
          const items = data?.node?.items;
          if (!Array.isArray(items?.nodes)) throw malformed(what, "no items");
          return {
            nodes: items.nodes,
            next: items.pageInfo?.hasNextPage ? String(items.pageInfo.endCursor) : null,
          };
        },
        projectHints(ctx),
      );
      for (const n of page.nodes) {
        const content = n?.content;
        if (content?.__typename !== "Issue") continue;
        if (String(content.repository?.nameWithOwner ?? "").toLowerCase() !== repo.path.toLowerCase()) {
          continue;
        }
        cards.push(toCard(content, String(n.id), n.fieldValueByName?.name ?? null));
      }
      if (page.next === null) return cards;
      after = page.next;
    }
  });
}
