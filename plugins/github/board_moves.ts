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
import { gql, gqlAliased, type Json, malformed } from "./graphql.ts";
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

/** One request of aliased mutations over the moves of `indexes`, on one board. */
interface AliasedBatch<A> {
  /** What the request does, for messages. */
  readonly what: string;
  /** The alias of move `i` is `${prefix}${i}`. */
  readonly prefix: string;
  readonly indexes: readonly number[];
  /** Variables every field uses (`$p` is always the project), with their GraphQL types. */
  readonly shared: Readonly<Record<string, readonly [type: string, value: unknown]>>;
  /** The variables of move `i` and its mutation field (without the alias). */
  readonly each: (i: number) => {
    readonly variables: Readonly<Record<string, readonly [type: string, value: unknown]>>;
    readonly field: string;
  };
  /** What the field of move `i` does, for the message of its refusal. */
  readonly describe: (i: number) => string;
  /** The item in the answer of a field. */
  readonly itemOf: (field: Json) => Json;
  /** The result of move `i` from its item. */
  readonly read: (item: Json, i: number) => A;
}

/**
 * Sends one document of aliased mutations and answers, for each move, GitHub's refusal of its field
 * or the result read from its item (`Transient` when the answer lacks it).
 */
function sendAliased<A>(
  ctx: GitHubContext,
  moves: readonly CardMove[],
  batch: AliasedBatch<A>,
): Effect.Effect<Map<number, Result.Result<A, PlatformError>>, PlatformError> {
  const { what, prefix, indexes } = batch;
  if (indexes.length === 0) return Effect.succeed(new Map());
  const declared = new Map(Object.entries(batch.shared));
  const fields = indexes.map((i) => {
    const { variables, field } = batch.each(i);
    for (const [name, typed] of Object.entries(variables)) declared.set(name, typed);
    return `${prefix}${i}: ${field}`;
  });
  const signature = [...declared].map(([name, [type]]) => `$${name}: ${type}`).join(", ");
  return gqlAliased(
    ctx,
    what,
    `mutation(${signature}) {\n${fields.join("\n")}\n}`,
    Object.fromEntries([...declared].map(([name, [, value]]) => [name, value])),
    indexes.map((i) => `${prefix}${i}`),
    projectHints(ctx),
    (alias) => batch.describe(Number(alias.slice(prefix.length))),
  ).pipe(Effect.map(({ data, refused }) =>
    new Map(indexes.map((i) => {
      const no = refused.get(`${prefix}${i}`);
      const item = batch.itemOf(data?.[`${prefix}${i}`]);
      const result: Result.Result<A, PlatformError> = no !== undefined
        ? Result.fail(no)
        : typeof item?.id === "string"
        ? Result.succeed(batch.read(item, i))
        : Result.fail(malformed(what, `no item for issue #${moves[i]!.issue.number}`));
      return [i, result];
    }))
  ));
}

/** Adds the cards of `indexes` (their issues' node ids known) in one request; the item of each. */
const addItems = (
  ctx: GitHubContext,
  board: RemoteBoard,
  moves: readonly CardMove[],
  indexes: readonly number[],
  contentIds: ReadonlyMap<number, string>,
) =>
  sendAliased<Json>(ctx, moves, {
    what: `adding ${indexes.length} card(s) to project #${board.number}`,
    prefix: "a",
    indexes,
    shared: { p: ["ID!", board.id] },
    each: (i) => ({
      variables: { [`c${i}`]: ["ID!", contentIds.get(i)] },
      field: `addProjectV2ItemById(input: {projectId: $p, contentId: $c${i}}) { item { ${ITEM} } }`,
    }),
    describe: (i) => `adding issue #${moves[i]!.issue.number} to project #${board.number}`,
    itemOf: (field) => field?.item,
    read: (item) => item,
  });

/** Sets the Status of the items of `targets` in one request; the card of each. */
const setColumns = (
  ctx: GitHubContext,
  board: RemoteBoard,
  moves: readonly CardMove[],
  targets: ReadonlyMap<number, { item: string; option: RemoteColumn }>,
) =>
  sendAliased<RemoteCard>(ctx, moves, {
    what: `moving ${targets.size} card(s) of project #${board.number}`,
    prefix: "s",
    indexes: [...targets.keys()],
    shared: { p: ["ID!", board.id], f: ["ID!", board.columns_field_id] },
    each: (i) => ({
      variables: {
        [`t${i}`]: ["ID!", targets.get(i)!.item],
        [`o${i}`]: ["String!", targets.get(i)!.option.id],
      },
      field: `updateProjectV2ItemFieldValue(input: {projectId: $p, itemId: $t${i}, fieldId: $f, ` +
        `value: {singleSelectOptionId: $o${i}}}) { projectV2Item { id content { ${CARD_CONTENT} } } }`,
    }),
    describe: (i) => placing(moves[i]!.issue, targets.get(i)!.option, board),
    itemOf: (field) => field?.projectV2Item,
    read: (item, i) =>
      toCard(item.content ?? { number: moves[i]!.issue.number }, item.id, targets.get(i)!.option.name),
  });

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
