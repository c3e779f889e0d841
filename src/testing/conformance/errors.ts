/**
 * The kit's "error mapping": 401/403/404/410/422/429/5xx, resets and malformed bodies map to the right `PlatformError` reason, and no message carries the token.
 *
 * @module
 */
import { Effect, Option, Result } from "effect";
import { PlatformError, type PlatformErrorReason } from "../../platform/errors.ts";
import { type ConformanceOptions, type ConformanceProperty, connect, run } from "./common.ts";

/** The "error mapping" property. */
export function errorMapping(options: ConformanceOptions): ConformanceProperty {
  const { plugin } = options;
  return {
    name: "error mapping",
    run: async () => {
      const { harness, client, repo } = await connect(plugin, options.harness);
      try {
        const [number] = await harness.seedIssues(1);
        const cases: Array<{
          what: string;
          arm: () => void;
          call: () => Effect.Effect<unknown, PlatformError>;
          reason: PlatformErrorReason;
          retryAfter?: number;
        }> = [
          {
            what: "401",
            arm: () => harness.faults.add({ kind: "status", status: 401 }),
            call: () => client.verify(repo),
            reason: "Unauthorized",
          },
          {
            what: "403",
            arm: () => harness.faults.add({ kind: "status", status: 403 }),
            call: () => client.verify(repo),
            reason: "Forbidden",
          },
          {
            what: "404",
            arm: () => harness.faults.add({ kind: "status", status: 404 }),
            call: () => client.verify(repo),
            reason: "NotFound",
          },
          {
            what: "410",
            arm: () => harness.faults.add({ kind: "status", status: 410 }),
            call: () => client.getIssue(repo, number!),
            reason: "Gone",
          },
          {
            what: "422",
            arm: () => harness.faults.add({ kind: "status", status: 422 }),
            call: () => client.updateIssue(repo, number!, { title: "x" }),
            reason: "Invalid",
          },
          {
            what: "429 with retry-after",
            arm: () => harness.faults.add({ kind: "rate_limit", status: 429, retryAfter: 7 }),
            call: () => client.getIssue(repo, number!),
            reason: "RateLimited",
            retryAfter: 7,
          },
          {
            what: "500",
            arm: () => harness.faults.add({ kind: "status", status: 500 }),
            call: () => client.getIssue(repo, number!),
            reason: "Transient",
          },
          {
            what: "502",
            arm: () => harness.faults.add({ kind: "status", status: 502 }),
            call: () => client.verify(repo),
            reason: "Transient",
          },
          {
            what: "503",
            arm: () => harness.faults.add({ kind: "status", status: 503 }),
            call: () => client.getIssue(repo, number!),
            reason: "Transient",
          },
          {
            what: "reset",
            arm: () => harness.faults.add({ kind: "reset" }),
            call: () => client.getIssue(repo, number!),
            reason: "Transient",
          },
          {
            what: "malformed body",
            arm: () => harness.faults.add({ kind: "malformed" }),
            call: () => client.getIssue(repo, number!),
            reason: "Transient",
          },
        ];
        const problems: string[] = [];
        for (const c of cases) {
          harness.faults.clear();
          c.arm();
          const outcome = await Effect.runPromise(Effect.result(c.call()));
          if (Result.isSuccess(outcome)) {
            problems.push(`${c.what}: the call succeeded`);
            continue;
          }
          const e = outcome.failure;
          if (!(e instanceof PlatformError)) {
            problems.push(`${c.what}: failed with ${String(e)}, not a PlatformError`);
          } else if (e.reason !== c.reason) {
            problems.push(`${c.what}: reason ${e.reason}, expected ${c.reason}`);
          } else if (c.retryAfter !== undefined && e.retryAfterSeconds !== c.retryAfter) {
            problems.push(`${c.what}: retryAfterSeconds ${e.retryAfterSeconds}, expected ${c.retryAfter}`);
          }
          if (e instanceof PlatformError && `${e.message} ${e.hint ?? ""}`.includes(harness.token)) {
            problems.push(`${c.what}: the message carries the token`);
          }
        }
        harness.faults.clear();
        const absent = await run(client.getIssue(repo, 987_654));
        if (Option.isSome(absent)) problems.push("getIssue of a missing issue returned an issue");
        if (problems.length > 0) throw new Error(problems.join("; "));
      } finally {
        harness.faults.clear();
        await harness.close();
      }
    },
  };
}
