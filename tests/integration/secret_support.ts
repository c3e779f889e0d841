/**
 * Support of the secret tests: a secret must be absent from the raw bytes of the database file and
 * of its write-ahead log, not only from what SQL reads back (a row overwritten or deleted may still
 * sit in a WAL frame or a free page).
 *
 * @module
 */
import { assert } from "../../src/testing/assert.ts";

/** The path of a `file:` database URL. */
export function dbPath(dbUrl: string): string {
  if (!dbUrl.startsWith("file:")) throw new Error(`not a file database: ${dbUrl}`);
  return dbUrl.slice("file:".length).split("?")[0]!;
}

async function bytesOf(path: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return new Uint8Array();
    throw error;
  }
}

/** Whether `needle` occurs in `haystack`. */
export function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length === 0) return true;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * Asserts that none of `secrets` occurs in the database file, its WAL or its shared-memory file
 * (as UTF-8 bytes), and that the WAL was actually read when it exists.
 */
export async function assertNotInDatabaseFiles(dbUrl: string, secrets: readonly string[]): Promise<void> {
  const path = dbPath(dbUrl);
  const files = [path, `${path}-wal`, `${path}-shm`];
  const main = await bytesOf(path);
  assert(main.length > 0, `the database file ${path} is empty or missing`);
  for (const file of files) {
    const bytes = file === path ? main : await bytesOf(file);
    for (const secret of secrets) {
      assert(
        !containsBytes(bytes, new TextEncoder().encode(secret)),
        `the secret ${secret.slice(0, 6)}… is in ${file}`,
      );
    }
  }
}

/** Whether the WAL of a file database holds any frame (so that a check of it means something). */
export async function walSize(dbUrl: string): Promise<number> {
  return (await bytesOf(`${dbPath(dbUrl)}-wal`)).length;
}
