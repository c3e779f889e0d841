/**
 * Boards on GitHub: Projects (v2), through the GraphQL API (classic projects are gone). A board is a
 * project; its columns are the options of the project's single-select field "Status"; a card is
 * the project item of an issue, in the column its Status value names.
 *
 * - `createBoard` creates a project owned by the repository's owner (organization or user), linked
 *   to the repository, and replaces the default Status options (Todo, In Progress, Done) with the
 *   board's columns. If setting the columns fails after the project was made, the error names the
 *   project's number so that it can be adopted instead of made again.
 * - `addColumns` (`board_columns.ts`) must rewrite the whole option list, which clears every item's
 *   Status: it reads them first and puts each one back.
 * - `getCard` and `listCards` are in `board_cards.ts`.
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
import { Effect } from "effect";
import { decodeUrlPart, PlatformError } from "../../src/platform/mod.ts";
import type { BoardClient, BoardDraft, BoardLocator, RemoteBoard, RepoRef } from "../../src/platform/mod.ts";
import { type GitHubContext, ownerRepo } from "./client.ts";
import { gql, type Json, malformed } from "./graphql.ts";
import { addColumns, columnColor, setOptions, type StatusOption } from "./board_columns.ts";
import { getCard, listCards } from "./board_cards.ts";
import { moveCard, moveCards } from "./board_moves.ts";
import { BATCH, COLUMN_FIELD, projectHints } from "./project_graphql.ts";

export { COLUMN_FIELD };

/** Examples of project addresses, shown in errors. */
export const PROJECT_URL_EXAMPLES = [
  "https://github.com/orgs/acme/projects/3",
  "https://github.com/users/octocat/projects/1",
];

const PROJECT = `id number title url
  owner { ... on Organization { login } ... on User { login } }
  field(name: "${COLUMN_FIELD}") { __typename ... on ProjectV2SingleSelectField { id options { id name color description } } }`;

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
    columns: (field.options as StatusOption[]).map((o) => ({ id: o.id, name: o.name })),
  };
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
    projectHints(ctx),
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
      projectHints(ctx),
    );
    const created = yield* gql(
      ctx,
      what,
      `mutation($owner: ID!, $title: String!, $repository: ID) {
        createProjectV2(input: {ownerId: $owner, title: $title, repositoryId: $repository}) { projectV2 { ${PROJECT} } }
      }`,
      { owner: ids.owner, title: draft.title, repository: ids.repository },
      (data) => toBoard(data?.createProjectV2?.projectV2, what),
      projectHints(ctx, ids.account),
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
