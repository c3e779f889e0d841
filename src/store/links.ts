/**
 * Feature/task ↔ issue links (the `feature_issue_links` table): the {@link Links} reader the tools
 * use to show an item's issues, and the reads the Git integration and the sync run on links inside
 * their own transactions. Writes are in `link_writes.ts`.
 *
 * @module
 */
import { Context, Effect, Layer, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import { Db } from "./db.ts";
import { decodeRows, type SqlRead } from "./sql.ts";

/** A link between a local feature or task and a remote issue, as the tools return it. */
export interface Link {
  readonly link_id: number;
  readonly feature_id: string | null;
  readonly task_id: string | null;
  readonly platform: string;
  readonly repository: string;
  /** Null while the issue is still being created. */
  readonly issue_number: number | null;
  readonly issue_url: string | null;
  readonly sync_status: "synced" | "pending" | "failed" | "manual";
  readonly last_synced: string | null;
}

/** A link with the columns the sync needs. */
export interface LinkState extends Link {
  readonly config_id: number;
  readonly issue_id: string | null;
  readonly last_error: string | null;
}

const LinkFields = {
  id: Schema.Number,
  feature_id: Schema.NullOr(Schema.String),
  task_id: Schema.NullOr(Schema.String),
  platform: Schema.String,
  repository: Schema.String,
  issue_number: Schema.NullOr(Schema.Number),
  issue_url: Schema.NullOr(Schema.String),
  sync_status: Schema.NullOr(Schema.Literals(["synced", "pending", "failed", "manual"])),
  last_synced: Schema.NullOr(Schema.String),
};

/** A `feature_issue_links` row as the tools show it (a link made before configurations had ids too). */
export const LinkRow = Schema.Struct(LinkFields);

/** A `feature_issue_links` row of a configured repository, with the columns the sync needs. */
export const LinkStateRow = Schema.Struct({
  ...LinkFields,
  config_id: Schema.Number,
  issue_id: Schema.NullOr(Schema.String),
  last_error: Schema.NullOr(Schema.String),
});

/** A decoded row as a {@link Link}. */
function toLink(row: typeof LinkRow.Type): Link {
  return {
    link_id: row.id,
    feature_id: row.feature_id,
    task_id: row.task_id,
    platform: row.platform,
    repository: row.repository,
    issue_number: row.issue_number,
    issue_url: row.issue_url,
    sync_status: row.sync_status ?? "pending",
    last_synced: row.last_synced,
  };
}

/** A decoded row as a {@link LinkState}. */
export function toLinkState(row: typeof LinkStateRow.Type): LinkState {
  return { ...toLink(row), config_id: row.config_id, issue_id: row.issue_id, last_error: row.last_error };
}

/** The link as tools return it. */
export function linkOut(link: LinkState): Link {
  return {
    link_id: link.link_id,
    feature_id: link.feature_id,
    task_id: link.task_id,
    platform: link.platform,
    repository: link.repository,
    issue_number: link.issue_number,
    issue_url: link.issue_url,
    sync_status: link.sync_status,
    last_synced: link.last_synced,
  };
}

const decodeLink = Schema.decodeUnknownSync(LinkRow);

/** Converts a `feature_issue_links` row (`SELECT *`, or `l.*` with more columns) to a {@link Link}. */
export function rowToLink(row: Record<string, unknown>): Link {
  return toLink(decodeLink(row));
}

const links = decodeRows(LinkStateRow);
/** The links a statement over `feature_issue_links` selects (`SELECT *`). */
export const readLinks = (
  sql: string,
  args: ReadonlyArray<string | number>,
): Effect.Effect<LinkState[], AppError, SqlRead> =>
  links(sql, [...args]).pipe(Effect.map((rows) => rows.map(toLinkState)));

/** The links reader service. */
export class Links extends Context.Service<Links, {
  /** Links of a feature or a task. */
  of(owner: { readonly feature_id: string } | { readonly task_id: string }): Effect.Effect<Link[]>;
  /** Links of many owners at once, keyed by owner id. */
  ofMany(ids: readonly string[]): Effect.Effect<Map<string, Link[]>>;
}>()("forgesync/store/Links") {
  /** The reader over {@link Db}. */
  static readonly layer: Layer.Layer<Links, never, Db> = Layer.effect(
    Links,
    Effect.gen(function* () {
      const db = yield* Db;
      // A storage fault while reading links is a defect (the service's contract has no error).
      const read = (sql: string, args: ReadonlyArray<string | number>) =>
        db.reading(decodeRows(LinkRow)(sql, [...args])).pipe(
          Effect.map((found) => found.map(toLink)),
          Effect.orDie,
        );
      const of = (owner: { readonly feature_id: string } | { readonly task_id: string }) =>
        read(
          "feature_id" in owner
            ? "SELECT * FROM feature_issue_links WHERE feature_id = ? AND task_id IS NULL ORDER BY id"
            : "SELECT * FROM feature_issue_links WHERE task_id = ? ORDER BY id",
          ["feature_id" in owner ? owner.feature_id : owner.task_id],
        );
      const ofMany = (ids: readonly string[]) =>
        Effect.gen(function* () {
          const result = new Map<string, Link[]>();
          if (ids.length === 0) return result;
          const marks = ids.map(() => "?").join(", ");
          const found = yield* read(
            `SELECT * FROM feature_issue_links
              WHERE task_id IN (${marks}) OR (task_id IS NULL AND feature_id IN (${marks})) ORDER BY id`,
            [...ids, ...ids],
          );
          for (const link of found) {
            const owner = link.task_id ?? link.feature_id!;
            result.set(owner, [...(result.get(owner) ?? []), link]);
          }
          return result;
        });
      return Links.of({ of, ofMany });
    }),
  );
}

/** A link by its id. */
export const linkById = (linkId: number): Effect.Effect<LinkState | undefined, AppError, SqlRead> =>
  readLinks("SELECT * FROM feature_issue_links WHERE id = ?", [linkId]).pipe(Effect.map((found) => found[0]));

/** How a call names a link within a repository: by its id, its item or its issue. */
export type LinkKey =
  | { readonly link_id: number }
  | { readonly task_id: string }
  | { readonly feature_id: string }
  | { readonly issue_number: number };

/** The link of a configuration a key names, if any (a feature's own link, not its tasks'). */
export const findLink = (
  configId: number,
  key: LinkKey,
): Effect.Effect<LinkState | undefined, AppError, SqlRead> => {
  const [where, arg] = "link_id" in key
    ? ["id = ?", key.link_id]
    : "task_id" in key
    ? ["task_id = ?", key.task_id]
    : "feature_id" in key
    ? ["feature_id = ? AND task_id IS NULL", key.feature_id]
    : ["issue_number = ?", key.issue_number];
  return readLinks(`SELECT * FROM feature_issue_links WHERE config_id = ? AND ${where} ORDER BY id`, [
    configId,
    arg,
  ])
    .pipe(
      Effect.map((found) => found[0]),
    );
};

const Numbers = Schema.Struct({ n: Schema.Number });
const numbers = decodeRows(Numbers);

/** The issue numbers among `issueNumbers` that are linked in a configuration. */
export const linkedAmong = (
  configId: number,
  issueNumbers: readonly number[],
): Effect.Effect<Set<number>, AppError, SqlRead> =>
  issueNumbers.length === 0 ? Effect.succeed(new Set()) : numbers(
    `SELECT issue_number AS n FROM feature_issue_links
      WHERE config_id = ? AND issue_number IN (SELECT value FROM json_each(?))`,
    [configId, JSON.stringify(issueNumbers)],
  ).pipe(Effect.map((rows) => new Set(rows.map((r) => r.n))));

/** Every issue number linked in a configuration. */
export const linkedIssueNumbers = (configId: number): Effect.Effect<Set<number>, AppError, SqlRead> =>
  numbers(
    "SELECT issue_number AS n FROM feature_issue_links WHERE config_id = ? AND issue_number IS NOT NULL",
    [configId],
  ).pipe(Effect.map((rows) => new Set(rows.map((r) => r.n))));

/** How many links of a configuration are in each sync status. */
export const linkCounts = (
  configId: number,
): Effect.Effect<Record<Link["sync_status"], number>, AppError, SqlRead> =>
  decodeRows(Schema.Struct({ s: LinkFields.sync_status, n: Schema.Number }))(
    "SELECT sync_status AS s, COUNT(*) AS n FROM feature_issue_links WHERE config_id = ? GROUP BY sync_status",
    [configId],
  ).pipe(Effect.map((rows) => {
    const counts = { synced: 0, pending: 0, failed: 0, manual: 0 };
    for (const r of rows) if (r.s !== null) counts[r.s] = r.n;
    return counts;
  }));
