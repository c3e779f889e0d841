/**
 * Card moves on GitHub Projects (v2): add the issue to the project (`addProjectV2ItemById`,
 * idempotent: it answers the existing item) and set its Status (`updateProjectV2ItemFieldValue`) —
 * only when the item is not in that column already. `moveCards` does the same for up to
 * {@link BATCH} moves in as few requests: one lookup of the issues' node ids the core does not
 * know, one request of aliased adds for the cards not on the board (a move naming the card's item
 * id skips it), one request of aliased Status changes. A move GitHub refuses (a deleted issue) is
 * refused alone.
 *
 * @module
 */
import { Effect, Result } from "effect";
import { PlatformError } from "../../src/platform/mod.ts";
import type {
  BatchResults,
  BoardIssue,
  CardMove,
  RemoteBoard,
  RemoteCard,
  RemoteColumn,
  RepoRef,
} from "../../src/platform/mod.ts";
import type { GitHubContext } from "./client.ts";
import { type AliasedAnswer, gql, gqlAliased, type Json, malformed } from "./graphql.ts";
import { nodeIds } from "./node_ids.ts";
import { BATCH, CARD_CONTENT, COLUMN_FIELD, projectHints, toCard } from "./project_graphql.ts";

/** An item as an add answers it: its id, its Status and its content. */
const ITEM =
  `id fieldValueByName(name: "${COLUMN_FIELD}") { ... on ProjectV2ItemFieldSingleSelectValue { optionId } }
  content { ${CARD_CONTENT} }`;

/** The column named `column` (exact name first, then case-insensitive), or undefined. */
function findOption(board: RemoteBoard, column: string): RemoteColumn | undefined {
  return board.columns.find((c) => c.name === column) ??
    board.columns.find((c) => c.name.toLowerCase() === column.toLowerCase());
}

function noColumn(board: RemoteBoard, column: string): PlatformError {
  return new PlatformError({
    reason: "Invalid",
    message: `GitHub project #${board.number} has no column "${column}" (columns: ${
      board.columns.map((c) => `"${c.name}"`).join(", ")
    }).`,
    hint: "Use one of the columns, or add it first.",
  });
}

const placing = (issue: BoardIssue, option: RemoteColumn, board: RemoteBoard) =>
  `putting issue #${issue.number} in column "${option.name}" of project #${board.number}`;

/** Puts the issue's card in `column`, adding it to the project first; sets nothing when it is there. */
export function moveCard(
  ctx: GitHubContext,
  repo: RepoRef,
  board: RemoteBoard,
  issue: BoardIssue,
  column: string,
): Effect.Effect<RemoteCard, PlatformError> {
  const option = findOption(board, column);
  if (option === undefined) return Effect.fail(noColumn(board, column));
  const what = placing(issue, option, board);
  return Effect.gen(function* () {
    const ids = yield* nodeIds(ctx, repo, [issue], undefined, projectHints(ctx));
    const content = ids.issues[0]!;
    if (Result.isFailure(content)) return yield* Effect.fail(content.failure);
    const item = yield* gql(
      ctx,
      what,
      `mutation($project: ID!, $content: ID!) { addProjectV2ItemById(input: {projectId: $project, contentId: $content}) {
        item { ${ITEM} } } }`,
      { project: board.id, content: content.success },
      (data) => {
        const item = data?.addProjectV2ItemById?.item;
        if (typeof item?.id !== "string") throw malformed(what, "no item");
        return item as Json;
      },
      projectHints(ctx),
    );
    if (item.fieldValueByName?.optionId !== option.id) {
      yield* gql(
        ctx,
        what,
        `mutation($project: ID!, $item: ID!, $field: ID!, $option: String!) {
          updateProjectV2ItemFieldValue(input: {projectId: $project, itemId: $item, fieldId: $field,
            value: {singleSelectOptionId: $option}}) { projectV2Item { id } } }`,
        { project: board.id, item: item.id, field: board.columns_field_id, option: option.id },
        () => undefined,
        projectHints(ctx),
      );
    }
    return toCard(item.content ?? { number: issue.number }, item.id, option.name);
  });
}

type Outcome = Result.Result<RemoteCard, PlatformError>;

/**
 * The result of each alias `${prefix}${i}` of an aliased answer: its refusal, or `read` of the
 * item `itemOf` finds in its field, or `missing` when there is none.
 */
function perAlias<A>(
  { data, refused }: AliasedAnswer,
  prefix: string,
  indexes: readonly number[],
  itemOf: (field: Json) => Json,
  read: (item: Json, i: number) => A,
  missing: (i: number) => PlatformError,
): Map<number, Result.Result<A, PlatformError>> {
  return new Map(indexes.map((i) => {
    const no = refused.get(`${prefix}${i}`);
    const item = itemOf(data?.[`${prefix}${i}`]);
    const result: Result.Result<A, PlatformError> = no !== undefined
      ? Result.fail(no)
      : typeof item?.id === "string"
      ? Result.succeed(read(item, i))
      : Result.fail(missing(i));
    return [i, result];
  }));
}

/** Adds the cards of `indexes` (their issues' node ids known) in one request; the item of each. */
function addItems(
  ctx: GitHubContext,
  board: RemoteBoard,
  moves: readonly CardMove[],
  indexes: readonly number[],
  contentIds: ReadonlyMap<number, string>,
): Effect.Effect<Map<number, Result.Result<Json, PlatformError>>, PlatformError> {
  if (indexes.length === 0) return Effect.succeed(new Map());
  const what = `adding ${indexes.length} card(s) to project #${board.number}`;
  const variables: Record<string, unknown> = { p: board.id };
  for (const i of indexes) variables[`c${i}`] = contentIds.get(i);
  const query = `mutation($p: ID!, ${indexes.map((i) => `$c${i}: ID!`).join(", ")}) {\n${
    indexes.map((i) =>
      `a${i}: addProjectV2ItemById(input: {projectId: $p, contentId: $c${i}}) { item { ${ITEM} } }`
    )
      .join("\n")
  }\n}`;
  return gqlAliased(
    ctx,
    what,
    query,
    variables,
    indexes.map((i) => `a${i}`),
    projectHints(ctx),
    (alias) => `adding issue #${moves[Number(alias.slice(1))]!.issue.number} to project #${board.number}`,
  ).pipe(
    Effect.map((answer) =>
      perAlias(
        answer,
        "a",
        indexes,
        (field) => field?.item,
        (item) => item,
        (i) => malformed(what, `no item for issue #${moves[i]!.issue.number}`),
      )
    ),
  );
}

/** Sets the Status of the items of `indexes` in one request; the card of each. */
function setColumns(
  ctx: GitHubContext,
  board: RemoteBoard,
  moves: readonly CardMove[],
  targets: ReadonlyMap<number, { item: string; option: RemoteColumn }>,
): Effect.Effect<Map<number, Outcome>, PlatformError> {
  const indexes = [...targets.keys()];
  if (indexes.length === 0) return Effect.succeed(new Map());
  const what = `moving ${indexes.length} card(s) of project #${board.number}`;
  const variables: Record<string, unknown> = { p: board.id, f: board.columns_field_id };
  for (const i of indexes) {
    variables[`t${i}`] = targets.get(i)!.item;
    variables[`o${i}`] = targets.get(i)!.option.id;
  }
  const query = `mutation($p: ID!, $f: ID!, ${
    indexes.map((i) => `$t${i}: ID!, $o${i}: String!`).join(", ")
  }) {\n${
    indexes.map((i) =>
      `s${i}: updateProjectV2ItemFieldValue(input: {projectId: $p, itemId: $t${i}, fieldId: $f, ` +
      `value: {singleSelectOptionId: $o${i}}}) { projectV2Item { id content { ${CARD_CONTENT} } } }`
    ).join("\n")
  }\n}`;
  return gqlAliased(
    ctx,
    what,
    query,
    variables,
    indexes.map((i) => `s${i}`),
    projectHints(ctx),
    (alias) => {
      const i = Number(alias.slice(1));
      return placing(moves[i]!.issue, targets.get(i)!.option, board);
    },
  ).pipe(Effect.map((answer) =>
    perAlias(
      answer,
      "s",
      indexes,
      (field) => field?.projectV2Item,
      (item, i) =>
        toCard(item.content ?? { number: moves[i]!.issue.number }, item.id, targets.get(i)!.option.name),
      (i) => malformed(what, `no item for issue #${moves[i]!.issue.number}`),
    )
  ));
}

/** Makes up to {@link BATCH} moves: one lookup of unknown node ids, one request of adds, one of Status changes. */
export function moveCards(
  ctx: GitHubContext,
  repo: RepoRef,
  board: RemoteBoard,
  moves: readonly CardMove[],
): Effect.Effect<BatchResults<RemoteCard>, PlatformError> {
  if (moves.length > BATCH) {
    return Effect.fail(
      new PlatformError({
        reason: "Invalid",
        message: `A batch of ${moves.length} card moves was given; GitHub batches take at most ${BATCH}.`,
        hint: `Split the moves into batches of batchSize (${BATCH}).`,
      }),
    );
  }
  return Effect.gen(function* () {
    const outcomes = new Map<number, Outcome>();
    const targets = new Map<number, { item: string; option: RemoteColumn }>();
    const toAdd: number[] = [];
    moves.forEach((move, i) => {
      const option = findOption(board, move.column);
      if (option === undefined) outcomes.set(i, Result.fail(noColumn(board, move.column)));
      else if (move.item_id !== null) targets.set(i, { item: move.item_id, option });
      else toAdd.push(i);
    });
    const ids = yield* nodeIds(ctx, repo, toAdd.map((i) => moves[i]!.issue), undefined, projectHints(ctx));
    const contentIds = new Map<number, string>();
    toAdd.forEach((i, k) => {
      const id = ids.issues[k]!;
      if (Result.isSuccess(id)) contentIds.set(i, id.success);
      else outcomes.set(i, Result.fail(id.failure));
    });
    const added = yield* addItems(ctx, board, moves, [...contentIds.keys()], contentIds);
    for (const [i, item] of added) {
      if (Result.isFailure(item)) {
        outcomes.set(i, Result.fail(item.failure));
        continue;
      }
      const option = findOption(board, moves[i]!.column)!;
      if (item.success.fieldValueByName?.optionId === option.id) {
        outcomes.set(
          i,
          Result.succeed(
            toCard(item.success.content ?? { number: moves[i]!.issue.number }, item.success.id, option.name),
          ),
        );
      } else targets.set(i, { item: item.success.id, option });
    }
    for (const [i, outcome] of yield* setColumns(ctx, board, moves, targets)) outcomes.set(i, outcome);
    return moves.map((_, i) => outcomes.get(i)!);
  });
}
