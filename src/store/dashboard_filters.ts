/**
 * The filters of the dashboard's lists and the one way a list is read: conditions built one filter
 * at a time, a count of what matches, and one page of rows in the order asked, bounded by
 * {@link PAGE_SIZE}.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import { decodeRow, type RowsReader, type SqlRead } from "./sql.ts";

/** Rows per page of every list. */
export const PAGE_SIZE = 50;

/** Orders of a list. */
export const SORTS = ["newest", "updated", "oldest"] as const;
/** One of {@link SORTS}. */
export type Sort = typeof SORTS[number];

/** A list's filters, order and page. */
export interface ListQuery {
  /** A status of the list's kind, or undefined for the default set. */
  readonly status: string | undefined;
  /** A configuration id, "none" (not linked to any issue), or undefined for every repository. */
  readonly repository: number | "none" | undefined;
  readonly feature: string | undefined;
  /** Text searched in titles, bodies and ids. */
  readonly q: string | undefined;
  readonly sort: Sort;
  /** 1-based. */
  readonly page: number;
}

/** The first page of a list, newest first, with no filter. */
export const FIRST_PAGE: ListQuery = {
  status: undefined,
  repository: undefined,
  feature: undefined,
  q: undefined,
  sort: "newest",
  page: 1,
};

/** A page of rows and how many match in all. */
export interface Page<T> {
  readonly rows: readonly T[];
  readonly total: number;
}

/**
 * A LIKE pattern matching `text` anywhere (with `\` as the escape character).
 *
 * @example
 * ```ts
 * import { likePattern } from "./dashboard_filters.ts";
 * likePattern("50%"); // "%50\\%%"
 * ```
 */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A bound value of a condition. */
export type Arg = string | number | null;

/** Conditions and their arguments, built one filter at a time. */
export class Where {
  readonly parts: string[] = [];
  readonly args: Arg[] = [];
  /** Adds a condition with its arguments. */
  add(sql: string, ...args: Arg[]): void {
    this.parts.push(sql);
    this.args.push(...args);
  }
  /** The WHERE clause (empty when there is no condition). */
  get sql(): string {
    return this.parts.length === 0 ? "" : `WHERE ${this.parts.join(" AND ")}`;
  }
}

/** Where a list's text search looks: columns matched anywhere, columns equal to it, an issue number. */
export interface SearchIn {
  readonly like: readonly string[];
  readonly equal: readonly string[];
  /** A column equal to the text read as an issue number (`12` or `#12`). */
  readonly issue?: string;
}

/** Adds the text search `q` (nothing without it): one of the conditions of `columns` must hold. */
export function search(where: Where, q: string | undefined, columns: SearchIn): void {
  if (q === undefined) return;
  const pattern = likePattern(q);
  const conditions = [
    ...columns.like.map((c) => `${c} LIKE ? ESCAPE '\\'`),
    ...columns.equal.map((c) => `${c} = ?`),
  ];
  const args: Arg[] = [...columns.like.map(() => pattern), ...columns.equal.map(() => q)];
  if (columns.issue !== undefined) {
    conditions.push(`${columns.issue} = ?`);
    args.push(/^#?\d{1,9}$/.test(q) ? Number(q.replace("#", "")) : -1);
  }
  where.add(`(${conditions.join(" OR ")})`, ...args);
}

/** How one list is read: its tables, the columns selected, the order of each sort, and its rows. */
export interface ListSpec<T> {
  readonly from: string;
  readonly select: string;
  readonly order: Readonly<Record<Sort, string>>;
  readonly rows: RowsReader<readonly T[]>;
}

const count = decodeRow(Schema.Struct({ n: Schema.Number }));

/** A page of a list: how many rows match `where`, and the rows of page `q.page`. */
export const paged = <T>(
  spec: ListSpec<T>,
  where: Where,
  q: ListQuery,
): Effect.Effect<Page<T>, AppError, SqlRead> =>
  Effect.gen(function* () {
    const total = (yield* count(`SELECT COUNT(*) AS n FROM ${spec.from} ${where.sql}`, where.args))?.n ?? 0;
    const rows = yield* spec.rows(
      `SELECT ${spec.select} FROM ${spec.from} ${where.sql} ORDER BY ${spec.order[q.sort]} LIMIT ? OFFSET ?`,
      [...where.args, PAGE_SIZE, (q.page - 1) * PAGE_SIZE],
    );
    return { rows, total };
  });

/** A row's own columns decoded by `fields`; the others kept as they are, for a repository's converter. */
export const withRest = <F extends Schema.Struct.Fields>(
  fields: F,
): Schema.StructWithRest<Schema.Struct<F>, readonly [Schema.$Record<Schema.String, Schema.Unknown>]> =>
  Schema.StructWithRest(Schema.Struct(fields), [Schema.Record(Schema.String, Schema.Unknown)]);

/** A reader of rows decoded by `schema` and converted one by one. */
export const converted = <A, T>(
  reader: RowsReader<ReadonlyArray<A>>,
  convert: (row: A) => T,
): RowsReader<readonly T[]> =>
(sql, args) => reader(sql, args).pipe(Effect.map((found) => found.map(convert)));
