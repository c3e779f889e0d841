/**
 * GitHub's GraphQL API as the plugin's operations use it (boards, batched milestone writes): send a
 * document through Octokit (hence the core's `fetch`), read its answer, and map failures to a
 * {@link PlatformError}. GraphQL answers errors inside HTTP 200 responses: their `type`
 * (`NOT_FOUND`, `FORBIDDEN`, `INSUFFICIENT_SCOPES`, `RATE_LIMITED`) becomes the failure's reason.
 *
 * A document of aliased fields (`m0: updateIssue(…) m1: updateIssue(…)`) can fail for some aliases
 * and succeed for the others: {@link gqlAliased} answers the data with the refusal of each alias,
 * and fails as a whole only when the error concerns the whole request (a rate limit, a document
 * GitHub rejects, an answer without data).
 *
 * @module
 */
import { Effect } from "effect";
import { DEFAULT_RATE_LIMIT_WAIT_SECONDS, PlatformError, resetSeconds } from "../../src/platform/mod.ts";
import type { GitHubContext } from "./client.ts";
import { toPlatformError } from "./errors.ts";

// deno-lint-ignore no-explicit-any
export type Json = any;

/** One entry of a GraphQL answer's `errors`. */
export interface GraphqlErrorEntry {
  readonly type?: string;
  readonly message?: string;
  readonly path?: ReadonlyArray<string | number>;
}

interface GraphqlFailure {
  readonly name: string;
  readonly errors: readonly GraphqlErrorEntry[];
  readonly data?: Json;
  readonly headers?: Readonly<Record<string, string | number | undefined>>;
}

function isGraphqlFailure(error: unknown): error is GraphqlFailure {
  return typeof error === "object" && error !== null &&
    (error as { name?: unknown }).name === "GraphqlResponseError" &&
    Array.isArray((error as { errors?: unknown }).errors);
}

/** What the caller of a GraphQL operation says when GitHub refuses it. */
export interface GraphqlHints {
  /** The hint of a `FORBIDDEN` or `INSUFFICIENT_SCOPES` refusal: what the token lacks. */
  readonly forbidden: string;
  /** The hint of a `NOT_FOUND` refusal. */
  readonly notFound?: string;
}

/**
 * Maps the GraphQL errors of a call made while doing `what` to one {@link PlatformError}: a rate
 * limit waits for the reset the headers give, a refusal carries the caller's hint.
 */
export function fromGraphqlErrors(
  errors: readonly GraphqlErrorEntry[],
  what: string,
  hints: GraphqlHints,
  headers: GraphqlFailure["headers"] = {},
  now = Date.now,
): PlatformError {
  const said = errors.map((e) => e.message ?? "").filter((m) => m !== "").join("; ").replace(/\.$/, "");
  const types = new Set(errors.map((e) => e.type));
  if (types.has("RATE_LIMITED")) {
    const wait = resetSeconds(headers ?? {}, now()) ?? DEFAULT_RATE_LIMIT_WAIT_SECONDS;
    return new PlatformError({
      reason: "RateLimited",
      message: `GitHub's GraphQL rate limit is used up while ${what} (${said}); it resets in ${wait} s.`,
      hint: "forgesync waits for the reset; board actions and batched writes cost GraphQL points, issue " +
        "syncs do not.",
      retryAfterSeconds: wait,
    });
  }
  if (types.has("FORBIDDEN") || types.has("INSUFFICIENT_SCOPES")) {
    return new PlatformError({
      reason: "Forbidden",
      message: `GitHub refused ${what}: ${said}.`,
      hint: hints.forbidden,
    });
  }
  if (types.has("NOT_FOUND")) {
    return new PlatformError({
      reason: "NotFound",
      message: `GitHub found nothing while ${what}: ${said}.`,
      ...(hints.notFound !== undefined ? { hint: hints.notFound } : {}),
    });
  }
  return new PlatformError({ reason: "Invalid", message: `GitHub refused ${what}: ${said}.` });
}

/** Maps a failed GraphQL call made while doing `what` to a {@link PlatformError}. */
export function graphqlError(
  error: unknown,
  what: string,
  ctx: GitHubContext,
  hints: GraphqlHints,
  now = Date.now,
): PlatformError {
  if (error instanceof PlatformError) return error;
  if (!isGraphqlFailure(error)) return toPlatformError(error, what, ctx.errors);
  return fromGraphqlErrors(error.errors, what, hints, error.headers, now);
}

/** An answer that is not what GitHub sends: `Transient`, so that a read is tried again. */
export function malformed(what: string, detail: string): PlatformError {
  return new PlatformError({
    reason: "Transient",
    message: `GitHub answered something unexpected while ${what}: ${detail}.`,
    hint: "The request will be retried.",
  });
}

/** Sends a GraphQL document and reads its data; any error in the answer fails the call. */
export function gql<A>(
  ctx: GitHubContext,
  what: string,
  query: string,
  variables: Record<string, unknown>,
  read: (data: Json) => A,
  hints: GraphqlHints,
): Effect.Effect<A, PlatformError> {
  return Effect.tryPromise({
    try: async () => read(await ctx.octokit.graphql<Json>(query, variables)),
    catch: (error) => graphqlError(error, what, ctx, hints),
  });
}

/** The answer of a document of aliased fields: its data, and the refusal of each alias refused. */
export interface AliasedAnswer {
  readonly data: Json;
  /** Alias → why GitHub refused that field (its value in `data` is null). */
  readonly refused: ReadonlyMap<string, PlatformError>;
}

/**
 * Sends a document of aliased fields (`aliases`, e.g. `m0`, `m1`…, at the root or nested) whose
 * fields may fail one by one. Errors naming an alias in their `path` refuse that alias only; any other error (no path, another
 * alias, a rate limit) or an answer without data fails the whole call.
 */
export function gqlAliased(
  ctx: GitHubContext,
  what: string,
  query: string,
  variables: Record<string, unknown>,
  aliases: readonly string[],
  hints: GraphqlHints,
  describe: (alias: string) => string = (alias) => `${what} (${alias})`,
): Effect.Effect<AliasedAnswer, PlatformError> {
  const known = new Set(aliases);
  const aliasOf = (e: GraphqlErrorEntry) =>
    e.path?.find((p): p is string => typeof p === "string" && known.has(p));
  return Effect.tryPromise({
    try: async () => ({ data: await ctx.octokit.graphql<Json>(query, variables), refused: new Map() }),
    catch: (error) => error,
  }).pipe(Effect.catch((error): Effect.Effect<AliasedAnswer, PlatformError> => {
    if (!isGraphqlFailure(error)) return Effect.fail(graphqlError(error, what, ctx, hints));
    const perAlias = error.errors.every((e) => aliasOf(e) !== undefined && e.type !== "RATE_LIMITED");
    if (!perAlias || error.data === null || typeof error.data !== "object") {
      return Effect.fail(graphqlError(error, what, ctx, hints));
    }
    const byAlias = new Map<string, GraphqlErrorEntry[]>();
    for (const e of error.errors) {
      const alias = aliasOf(e)!;
      byAlias.set(alias, [...(byAlias.get(alias) ?? []), e]);
    }
    const refused = new Map<string, PlatformError>();
    for (const [alias, errors] of byAlias) {
      refused.set(alias, fromGraphqlErrors(errors, describe(alias), hints, error.headers));
    }
    return Effect.succeed({ data: error.data, refused });
  }));
}

/**
 * Splits `items` into chunks of at most `size`.
 *
 * @example
 * ```ts
 * import { chunks } from "./graphql.ts";
 * chunks([1, 2, 3, 4, 5], 2); // [[1, 2], [3, 4], [5]]
 * ```
 */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from(
    { length: Math.ceil(items.length / size) },
    (_, i) => items.slice(i * size, (i + 1) * size),
  );
}
