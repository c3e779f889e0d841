/**
 * One process per embedded replica file. Several processes syncing one replica file corrupt it
 * ("database disk image is malformed", for good: seen with three processes writing and syncing
 * 300 times each), and two MCP clients on one machine, or `deno task status` beside a running server,
 * would do exactly that with the same settings. So a replica is opened only while holding an
 * exclusive lock on `<file>.lock` (`flock`: released by the OS when the process ends, so never
 * stale), which names the holder's process id.
 *
 * @module
 */
import { AppError } from "../domain/errors.ts";

/** A held lock; `release` unlocks it. */
export interface ReplicaLock {
  release(): void;
}

/** The lock file of a replica file. */
export function lockPath(replicaPath: string): string {
  return `${replicaPath}.lock`;
}

/**
 * Takes the lock of a replica file, or throws a CONFLICT {@link AppError} naming the process that
 * holds it and the fix.
 */
export async function lockReplica(replicaPath: string): Promise<ReplicaLock> {
  const path = lockPath(replicaPath);
  const file = await Deno.open(path, { read: true, write: true, create: true });
  let locked = false;
  try {
    locked = await file.tryLock(true);
  } catch {
    locked = false;
  }
  if (!locked) {
    let holder = "";
    try {
      const bytes = new Uint8Array(64);
      const n = await file.read(bytes);
      holder = new TextDecoder().decode(bytes.subarray(0, n ?? 0)).trim();
    } catch {
      // unreadable: say less
    }
    file.close();
    throw new AppError({
      code: "CONFLICT",
      message:
        `Another forgesync process${/^\d+$/.test(holder) ? ` (pid ${holder})` : ""} already uses the ` +
        `replica file ${replicaPath}: two processes on one replica file corrupt it.`,
      hint:
        "Give each forgesync process its own FORGESYNC_DB_URL file (one per MCP client), use remote mode " +
        "(FORGESYNC_DB_URL set to the primary's URL), or stop the other process.",
    });
  }
  await file.truncate(0);
  await file.write(new TextEncoder().encode(`${Deno.pid}\n`));
  return {
    release: () => {
      try {
        file.unlockSync();
        file.close();
      } catch {
        // already released
      }
    },
  };
}
