/**
 * Opens forgesync's Db on an embedded replica of the primary at `Deno.args[1]` (file `Deno.args[0]`)
 * with a one-second sync interval, writes, closes it, says "closed" on stdout, then stays alive
 * until its stdin ends: whatever is still running after close (a periodic sync) shows on stderr.
 */
import { Effect } from "effect";
import { makeDb } from "../db.ts";

const [file, primary] = Deno.args;
const db = await Effect.runPromise(makeDb({ url: `file:${file}`, syncUrl: primary, syncInterval: 1 }));
await Effect.runPromise(db.batch(["CREATE TABLE IF NOT EXISTS close_probe (a)"]));
await Effect.runPromise(db.close);
console.log("closed");
for await (const _ of Deno.stdin.readable) { /* wait for the end of input */ }
console.log("done");
