/**
 * Boards on GitHub: Projects (v2), through the GraphQL API (classic projects are gone). A board is a
 * project; its columns are the options of the project's single-select field "Status"; a card is
 * the project item of an issue, in the column its Status value names.
 *
 * - `createBoard` creates a project owned by the repository's owner (organization or user), linked
 *   to the repository, and replaces the default Status options (Todo, In Progress, Done) with the
 *   board's columns. If setting the columns fails after the project was made, the error names the
 *   project's number so that it can be adopted instead of made again.
 * - `addColumns` must rewrite the whole option list (`updateProjectV2Field` takes the complete list),
 *   and GitHub then gives every option a new id and CLEARS every item's Status. So it reads every
 *   item's Status first and puts each one back afterwards, in batches of aliased mutations.
 * - `moveCard` and `moveCards` (`board_moves.ts`) add the issue to the project
 *   (`addProjectV2ItemById`, idempotent) and set its Status (`updateProjectV2ItemFieldValue`) when
 *   it is not in the column already; `moveCards` sends 25 of each in one request of aliased
 *   mutations, and skips the add for cards the core read from the board.
 *
 * Token: a classic token needs the `project` scope (plus `repo`); a fine-grained one, the
 * organization permission Projects: read and write — and it cannot reach projects owned by a user
 * at all (`token_kind.ts` words the hint by the token's kind). GraphQL answers errors inside HTTP 200 responses: their `type`
 * (`NOT_FOUND`, `FORBIDDEN`, `INSUFFICIENT_SCOPES`, `RATE_LIMITED`) becomes the failure's reason.
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
import { type GitHubContext, ownerRepo } from "./client.ts";
import { chunks, type Json, malformed } from "./graphql.ts";
import { moveCard, moveCards } from "./board_moves.ts";
import { ownerName } from "./node_ids.ts";
import { BATCH, CARD_CONTENT, COLUMN_FIELD, gql, PAGE, toCard } from "./project_graphql.ts";

export { COLUMN_FIELD };

/** Examples of project addresses, shown in errors. */
export const PROJECT_URL_EXAMPLES = [
  "https://github.com/orgs/acme/projects/3",
  "https://github.com/users/octocat/projects/1",
];

const PROJECT = `id number title url
  owner { ... on Organization { login } ... on User { login } }
  field(name: "${COLUMN_FIELD}") { __typename ... on ProjectV2SingleSelectField { id options { id name color description } } }`;

interface Option_ {
  readonly id: string;
  readonly name: string;
  readonly color: string;
  readonly description: string;
}

/** A project's JSON as a board; `Invalid` when it has no single-select Status field. */
function toBoard(project: Json, what: string): RemoteBoard {
  if (typeof project?.id !== "string" || typeof project.number !== "number") {
    throw malformed(what, "no project");
  }
  const field = project.field;
  if (field === null || field?.__typename !== "ProjectV2SingleSelectField") {
    throw new PlatformError({
      reason: "Invalid",
      message: `GitHub project #${project.number} ("${project.title}") has no single-select field named ` +
        `"${COLUMN_FIELD}", which holds a board's columns.`,
      hint:
        `Add a single-select field named "${COLUMN_FIELD}" to the project (or rename its column field), then try again.`,
    });
  }
  return {
    id: project.id,
    number: project.number,
    title: String(project.title ?? ""),
    url: typeof project.url === "string" ? project.url : null,
    owner: typeof project.owner?.login === "string" ? project.owner.login : null,
    columns_field_id: String(field.id),
    columns: (field.options as Option_[]).map((o) => ({ id: o.id, name: o.name })),
  };
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

/** Owner and number of a project address (`…/orgs/acme/projects/3`, `…/users/octocat/projects/1/views/2`). */
export function parseProjectUrl(url: string): { owner: string; number: number } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  const m = /^\/(?:orgs|users)\/([^/]+)\/projects\/(\d+)(?:\/.*)?$/.exec(parsed.pathname.replace(/\/+$/, ""));
  const owner = m === null ? undefined : decodeUrlPart(m[1]!);
  return m === null || owner === undefined ? undefined : { owner, number: Number(m[2]) };
}

function locate(repo: RepoRef, locator: BoardLocator): { owner: string; number: number } | PlatformError {
  if ("url" in locator) {
    const found = parseProjectUrl(locator.url);
    if (found === undefined) {
      return new PlatformError({
        reason: "Invalid",
        message: `${JSON.stringify(locator.url.slice(0, 200))} is not the address of a GitHub project.`,
        hint: `Give the project's address, e.g. ${PROJECT_URL_EXAMPLES.join(" or ")}, or its number.`,
      });
    }
    return found;
  }
  return { owner: locator.owner ?? ownerRepo(repo).owner, number: locator.number };
}

function getBoard(
  ctx: GitHubContext,
  repo: RepoRef,
  locator: BoardLocator,
): Effect.Effect<RemoteBoard, PlatformError> {
  const where = locate(repo, locator);
  if (where instanceof PlatformError) return Effect.fail(where);
  const what = `reading project #${where.number} of ${where.owner}`;
  return gql(
    ctx,
    what,
    `query($login: String!, $number: Int!) {
      repositoryOwner(login: $login) { __typename ... on ProjectV2Owner { projectV2(number: $number) { ${PROJECT} } } }
    }`,
    { login: where.owner, number: where.number },
    (data) => {
      if (data?.repositoryOwner === null || data?.repositoryOwner === undefined) {
        throw new PlatformError({
          reason: "NotFound",
          message: `GitHub has no account named "${where.owner}".`,
          hint: "Give the login of the organization or user owning the project.",
        });
      }
      return toBoard(data.repositoryOwner.projectV2, what);
    },
  );
}

function setOptions(
  ctx: GitHubContext,
  what: string,
  fieldId: string,
  options: ReadonlyArray<{ name: string; color: string; description: string }>,
): Effect.Effect<Option_[], PlatformError> {
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
      return options as Option_[];
    },
  );
}

function createBoard(
  ctx: GitHubContext,
  repo: RepoRef,
  draft: BoardDraft,
): Effect.Effect<RemoteBoard, PlatformError> {
  const { owner, repo: name } = ownerRepo(repo);
  const what = `creating the project "${draft.title}" for ${repo.path}`;
  return Effect.gen(function* () {
    const ids = yield* gql(
      ctx,
      `reading the ids of ${repo.path}`,
      `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { id owner { __typename id login } } }`,
      { owner, name },
      (data) => ({
        repository: String(data.repository.id),
        owner: String(data.repository.owner.id),
        account: {
          login: String(data.repository.owner.login),
          type: data.repository.owner.__typename === "User" ? "User" as const : "Organization" as const,
        },
      }),
    );
    const created = yield* gql(
      ctx,
      what,
      `mutation($owner: ID!, $title: String!, $repository: ID) {
        createProjectV2(input: {ownerId: $owner, title: $title, repositoryId: $repository}) { projectV2 { ${PROJECT} } }
      }`,
      { owner: ids.owner, title: draft.title, repository: ids.repository },
      (data) => toBoard(data?.createProjectV2?.projectV2, what),
      ids.account,
    );
    const options = yield* setOptions(
      ctx,
      `setting the columns of project #${created.number}`,
      created.columns_field_id!,
      draft.columns.map((name, i) => ({ name, color: columnColor(name, i), description: "" })),
    ).pipe(Effect.mapError((e) =>
      new PlatformError({
        ...e,
        message:
          `GitHub project #${created.number} was created, but its columns could not be set: ${e.message}`,
        hint:
          `Adopt it (board_number ${created.number}) instead of creating another; the columns are added then.`,
      })
    ));
    return { ...created, columns: options.map((o) => ({ id: o.id, name: o.name })) };
  });
}

/** Every item of a project with the name of its Status, every page. */
function itemStatuses(
  ctx: GitHubContext,
  board: RemoteBoard,
): Effect.Effect<{ options: Option_[]; items: Array<{ id: string; status: string | null }> }, PlatformError> {
  const what = `reading the cards of project #${board.number}`;
  return Effect.gen(function* () {
    const items: Array<{ id: string; status: string | null }> = [];
    let options: Option_[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { options: Option_[]; nodes: Json[]; next: string | null } = yield* gql(
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
            options: (p.field?.options ?? []) as Option_[],
            nodes: p.items.nodes,
            next: p.items.pageInfo?.hasNextPage ? String(p.items.pageInfo.endCursor) : null,
          };
        },
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
      );
    },
    { discard: true },
  );
}

function addColumns(
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

function getCard(
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
  );
}

function listCards(
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

/** The board operations of a GitHub client. */
export function githubBoards(ctx: GitHubContext): BoardClient {
  return {
    createBoard: (repo, draft) => createBoard(ctx, repo, draft),
    getBoard: (repo, locator) => getBoard(ctx, repo, locator),
    addColumns: (_repo, board, names) => addColumns(ctx, board, names),
    getCard: (repo, board, issue) => getCard(ctx, repo, board, issue),
    moveCard: (repo, board, issue, column) => moveCard(ctx, repo, board, issue, column),
    listCards: (repo, board) => listCards(ctx, repo, board),
    batchSize: BATCH,
    moveCards: (repo, board, moves) => moveCards(ctx, repo, board, moves),
  };
}
