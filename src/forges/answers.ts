/**
 * The persistent answer cache behind conditional requests: answers are kept in memory during a
 * process's life and written to `http_cache` by {@link EtagCache.flush} (the reconciler flushes
 * after a pass), a few per URL path, keyed by a fingerprint of the token because ETags are tied
 * to it. Bodies are needed because a 304 must be replayed as the 200 it stands for.
 *
 * @module
 */
import { Effect } from "effect";
import type { Db } from "../store/db.ts";
import { readAnswer, writeAnswers } from "../store/http_cache.ts";
import type { AnswerStore, CachedAnswer } from "../platform/forge_fetch.ts";

/** How many answers are kept per URL path (a listing repeats one URL per pass). */
const PER_PATH = 4;

/** A SHA-256 fingerprint of a secret, safe to store. */
export async function fingerprint(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`forgesync:${secret}`));
  return Array.from(new Uint8Array(digest).slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** An {@link AnswerStore} persisted in the database. */
export class EtagCache implements AnswerStore {
  readonly #db: Db["Service"];
  readonly #token: string;
  readonly #memory = new Map<string, CachedAnswer & { stored_at: string }>();
  readonly #dirty = new Set<string>();
  readonly #loaded = new Set<string>();

  /** `tokenHash` comes from {@link fingerprint}. */
  constructor(db: Db["Service"], tokenHash: string) {
    this.#db = db;
    this.#token = tokenHash;
  }

  async get(url: string): Promise<CachedAnswer | undefined> {
    const hit = this.#memory.get(url);
    if (hit !== undefined || this.#loaded.has(url)) return hit;
    this.#loaded.add(url);
    // The answer store of the fetch layer is a Promise interface: a real boundary.
    const answer = await Effect.runPromise(this.#db.reading(readAnswer(this.#token, url)).pipe(Effect.orDie));
    if (answer === undefined) return undefined;
    this.#memory.set(url, answer);
    return answer;
  }

  put(answer: CachedAnswer): void {
    this.#memory.set(answer.url, { ...answer, stored_at: new Date().toISOString() });
    this.#loaded.add(answer.url);
    this.#dirty.add(answer.url);
    const path = pathOf(answer.url);
    const same = [...this.#memory.values()].filter((a) => pathOf(a.url) === path);
    if (same.length > PER_PATH) {
      same.sort((a, b) => a.stored_at.localeCompare(b.stored_at));
      for (const old of same.slice(0, same.length - PER_PATH)) this.#memory.delete(old.url);
    }
  }

  /** Number of answers waiting to be written. */
  get pending(): number {
    return this.#dirty.size;
  }

  /** Writes new answers and prunes old ones, in one transaction. */
  readonly flush: Effect.Effect<void> = Effect.suspend(() => {
    const urls = [...this.#dirty].filter((u) => this.#memory.has(u));
    this.#dirty.clear();
    if (urls.length === 0) return Effect.void;
    const answers = urls.map((u) => this.#memory.get(u)!);
    return this.#db.transaction(writeAnswers(this.#token, answers, pathOf, PER_PATH)).pipe(Effect.orDie);
  });
}

function pathOf(url: string): string {
  const u = new URL(url);
  return u.origin + u.pathname;
}
