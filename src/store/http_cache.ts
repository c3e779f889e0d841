/**
 * The answer cache behind conditional requests (`http_cache`): a few answers per URL path and
 * token fingerprint, with the bodies a 304 must be replayed as. `../forges/answers.ts` keeps them in
 * memory during a process's life and writes them here.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import { decodeRow, execute, type SqlRead, type SqlWrite } from "./sql.ts";

/** A stored answer. */
export const StoredAnswer = Schema.Struct({
  url: Schema.String,
  etag: Schema.String,
  status: Schema.Number,
  headers: Schema.fromJsonString(Schema.Array(Schema.Tuple([Schema.String, Schema.String]))),
  body: Schema.String,
  stored_at: Schema.String,
});
/** See {@link StoredAnswer}. */
export type StoredAnswer = typeof StoredAnswer.Type;

/** The answer stored for a URL under a token fingerprint, if any. */
export const readAnswer = (
  tokenHash: string,
  url: string,
): Effect.Effect<StoredAnswer | undefined, AppError, SqlRead> =>
  decodeRow(StoredAnswer)(
    "SELECT url, etag, status, headers, body, stored_at FROM http_cache WHERE token_hash = ? AND url = ?",
    [tokenHash, url],
  );

/** Writes answers and keeps only the newest `perPath` of each of their URL paths (`pathOf`). */
export const writeAnswers = (
  tokenHash: string,
  answers: readonly StoredAnswer[],
  pathOf: (url: string) => string,
  perPath: number,
): Effect.Effect<void, AppError, SqlWrite> =>
  Effect.gen(function* () {
    for (const a of answers) {
      yield* execute(
        `INSERT INTO http_cache (token_hash, url, path, etag, status, headers, body, stored_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (token_hash, url) DO UPDATE SET etag = excluded.etag, status = excluded.status,
           headers = excluded.headers, body = excluded.body, stored_at = excluded.stored_at, path = excluded.path`,
        [tokenHash, a.url, pathOf(a.url), a.etag, a.status, JSON.stringify(a.headers), a.body, a.stored_at],
      );
    }
    for (const p of new Set(answers.map((a) => pathOf(a.url)))) {
      yield* execute(
        `DELETE FROM http_cache WHERE token_hash = ? AND path = ? AND url NOT IN (
           SELECT url FROM http_cache WHERE token_hash = ? AND path = ? ORDER BY stored_at DESC LIMIT ?)`,
        [tokenHash, p, tokenHash, p, perPath],
      );
    }
  });
