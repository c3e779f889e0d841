/**
 * The columns of a GitHub project: the options of its single-select "Status" field. Adding columns
 * must rewrite the whole option list (`updateProjectV2Field` takes the complete list), and GitHub
 * then gives every option a new id and CLEARS every item's Status. So {@link addColumns} reads
 * every item's Status first and puts each one back afterwards, in batches of aliased mutations.
 *
 * @module
 */
import { Effect } from "effect";
import { PlatformError, type RemoteBoard } from "../../src/platform/mod.ts";
import type { GitHubContext } from "./client.ts";
import { chunks, gql, type Json, malformed } from "./graphql.ts";
import { BATCH, COLUMN_FIELD, PAGE, projectHints } from "./project_graphql.ts";

/** An option of the Status field, as GitHub answers it. */
export interface StatusOption {
  readonly id: string;
  readonly name: string;
  readonly color: string;
  readonly description: string;
}

/** The color of a new column, from its name. */
export function columnColor(name: string, index: number): string {
  if (/backlog|icebox|later/i.test(name)) return "GRAY";
  if (/to ?do|ready|next|planned/i.test(name)) return "BLUE";
  if (/progress|doing|review|active/i.test(name)) return "YELLOW";
  if (/block|hold|stuck/i.test(name)) return "RED";
  if (/done|complete|closed|shipped|released/i.test(name)) return "GREEN";
  return ["PURPLE", "PINK", "ORANGE", "BLUE", "GRAY"][index % 5]!;
}

/** Replaces the options of the Status field (the whole list); answers the new options. */
export function setOptions(
  ctx: GitHubContext,
  what: string,
  fieldId: string,
  options: ReadonlyArray<{ name: string; color: string; description: string }>,
): Effect.Effect<StatusOption[], PlatformError> {
  return gql(
    ctx,
    what,
    `mutation($field: ID!, $options: [ProjectV2SingleSelectFieldOptionInput!]) {
      updateProjectV2Field(input: {fieldId: $field, singleSelectOptions: $options}) {
        projectV2Field { ... on ProjectV2SingleSelectField { options { id name color description } } }
      }
    }`,
    { field: fieldId, options },
    (data) => {
      const options = data?.updateProjectV2Field?.projectV2Field?.options;
      if (!Array.isArray(options)) throw malformed(what, "no options");
      return options as StatusOption[];
    },
    projectHints(ctx),
  );
}

/** Every item of a project with the name of its Status, every page. */
function itemStatuses(
  ctx: GitHubContext,
  board: RemoteBoard,
): Effect.Effect<
  { options: StatusOption[]; items: Array<{ id: string; status: string | null }> },
  PlatformError
> {
  const what = `reading the cards of project #${board.number}`;
  return Effect.gen(function* () {
    const items: Array<{ id: string; status: string | null }> = [];
    let options: StatusOption[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { options: StatusOption[]; nodes: Json[]; next: string | null } = yield* gql(
        ctx,
        what,
        `query($id: ID!, $after: String) { node(id: $id) { ... on ProjectV2 {
          field(name: "${COLUMN_FIELD}") { ... on ProjectV2SingleSelectField { options { id name color description } } }
          items(first: ${PAGE}, after: $after) {
            nodes { id fieldValueByName(name: "${COLUMN_FIELD}") { ... on ProjectV2ItemFieldSingleSelectValue { name } } }
            pageInfo { hasNextPage endCursor }
          } } } }`,
        { id: board.id, after },
        (data) => {
          const p = data?.node;
          if (!Array.isArray(p?.items?.nodes)) throw malformed(what, "no items");
          return {
            options: (p.field?.options ?? []) as StatusOption[],
            nodes: p.items.nodes,
            next: p.items.pageInfo?.hasNextPage ? String(p.items.pageInfo.endCursor) : null,
          };
        },
        projectHints(ctx),
      );
      options = page.options;
      for (const n of page.nodes) items.push({ id: String(n.id), status: n.fieldValueByName?.name ?? null });
      if (page.next === null) return { options, items };
      after = page.next;
    }
  });
}

function setValues(
  ctx: GitHubContext,
  board: RemoteBoard,
  values: ReadonlyArray<{ item: string; option: string }>,
): Effect.Effect<void, PlatformError> {
  return Effect.forEach(
    chunks(values, BATCH),
    (batch) => {
      const declarations = batch.map((_, i) => `$i${i}: ID!, $o${i}: String!`).join(", ");
      const fields = batch.map((_, i) =>
        `m${i}: updateProjectV2ItemFieldValue(input: {projectId: $p, itemId: $i${i}, fieldId: $f, ` +
        `value: {singleSelectOptionId: $o${i}}}) { clientMutationId }`
      ).join("\n");
      const variables: Record<string, string> = { p: board.id, f: board.columns_field_id! };
      batch.forEach((v, i) => {
        variables[`i${i}`] = v.item;
        variables[`o${i}`] = v.option;
      });
      return gql(
        ctx,
        `putting ${batch.length} cards of project #${board.number} back in their columns`,
        `mutation($p: ID!, $f: ID!, ${declarations}) {\n${fields}\n}`,
        variables,
        () => undefined,
        projectHints(ctx),
      );
    },
    { discard: true },
  );
}

/** Adds the columns of `names` the board lacks, after the existing ones, keeping every card in its column. */
export function addColumns(
  ctx: GitHubContext,
  board: RemoteBoard,
  names: readonly string[],
): Effect.Effect<RemoteBoard, PlatformError> {
  return Effect.gen(function* () {
    const known = new Set(board.columns.map((c) => c.name.toLowerCase()));
    const missing = [...new Set(names)].filter((n) => !known.has(n.toLowerCase()));
    if (missing.length === 0) return board;
    // GitHub takes the whole option list, renews every option id and clears every item's Status:
    // read them all first, then put each back by name.
    const before = yield* itemStatuses(ctx, board);
    const existing = before.options.map((o) => ({
      name: o.name,
      color: o.color,
      description: o.description,
    }));
    const offset = existing.length;
    const options = yield* setOptions(
      ctx,
      `adding columns to project #${board.number}`,
      board.columns_field_id!,
      [
        ...existing,
        ...missing.map((name, i) => ({ name, color: columnColor(name, offset + i), description: "" })),
      ],
    );
    const byName = new Map(options.map((o) => [o.name, o.id]));
    const restore = before.items.flatMap((item) => {
      const option = item.status === null ? undefined : byName.get(item.status);
      return option === undefined ? [] : [{ item: item.id, option }];
    });
    const after: RemoteBoard = { ...board, columns: options.map((o) => ({ id: o.id, name: o.name })) };
    yield* setValues(ctx, after, restore).pipe(Effect.mapError((e) =>
      new PlatformError({
        ...e,
        message:
          `Columns were added to GitHub project #${board.number}, but putting its cards back in their ` +
          `columns failed: ${e.message}`,
        hint:
          "Run update_progress to put forgesync's cards back; other cards need their Status set again on GitHub.",
      })
    ));
    return after;
  });
}
