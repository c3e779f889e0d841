/**
 * The kit's "incremental listing": `listChanged` from no cursor yields every issue across pages, oldest change first; from the last cursor it yields every issue changed since; any page's cursor resumes without losing an issue.
 *
 * @module
 */
import fc from "fast-check";
import { Stream } from "effect";
import { type PlatformClient, type RepoRef } from "../../platform/types.ts";
import { type ConformanceOptions, type ConformanceProperty, connect, run } from "./common.ts";

async function collect(client: PlatformClient, repo: RepoRef, cursor: string | null) {
  return await run(Stream.runCollect(client.listChanged(repo, cursor)));
}

/** The "incremental listing" property. */
export function incrementalListing(options: ConformanceOptions): ConformanceProperty {
  const { plugin } = options;
  return {
    name: "incremental listing",
    run: async () => {
      const { harness, client, repo } = await connect(plugin, options.harness);
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 0, max: 230 }),
            fc.integer({ min: 0, max: 8 }),
            fc.nat(),
            async (seed, edits, pick) => {
              await harness.seedIssues(seed);
              const all = harness.issueNumbers();
              const pages = await collect(client, repo, null);
              const seen = new Set(pages.flatMap((p) => p.issues.map((i) => i.number)));
              const missing = all.filter((n) => !seen.has(n));
              if (missing.length > 0) {
                throw new Error(
                  `listChanged(null) missed ${missing.length} of ${all.length} issues, e.g. #${missing[0]}`,
                );
              }
              const extra = [...seen].filter((n) => !all.includes(n));
              if (extra.length > 0) {
                throw new Error(`listChanged(null) returned unknown issues, e.g. #${extra[0]}`);
              }
              const stamps = pages.flatMap((p) => p.issues.map((i) => Date.parse(i.updated_at)));
              for (let i = 1; i < stamps.length; i++) {
                if (stamps[i]! < stamps[i - 1]!) {
                  throw new Error("listChanged is not in ascending updated_at order");
                }
              }
              if (pages.length > 0) {
                const i = pick % pages.length;
                const resumed = await collect(client, repo, pages[i]!.cursor);
                const covered = new Set([
                  ...pages.slice(0, i + 1).flatMap((p) => p.issues.map((x) => x.number)),
                  ...resumed.flatMap((p) => p.issues.map((x) => x.number)),
                ]);
                const lost = all.filter((n) => !covered.has(n));
                if (lost.length > 0) throw new Error(`resuming from page ${i}'s cursor lost #${lost[0]}`);
              }
              const cursor = pages.length > 0 ? pages[pages.length - 1]!.cursor : null;
              const edited = all.length === 0 ? [] : [
                ...new Set(
                  Array.from({ length: edits }, (_, k) => all[(pick + k * 7919) % all.length]!),
                ),
              ];
              // No waiting: an edit in the same second as the cursor must still be listed.
              for (const n of edited) await harness.remoteEdit(n, { title: `edited ${n} ${pick}` });
              const next = await collect(client, repo, cursor);
              const changed = new Map(next.flatMap((p) => p.issues.map((x) => [x.number, x] as const)));
              for (const n of edited) {
                const issue = changed.get(n);
                if (issue === undefined) {
                  throw new Error(`listChanged(last cursor) missed edited issue #${n}`);
                }
                if (issue.title !== `edited ${n} ${pick}`) {
                  throw new Error(`listChanged returned a stale #${n}`);
                }
              }
            },
          ),
          {
            numRuns: Math.max(2, Math.ceil((options.numRuns ?? 12) / 3)),
            seed: options.seed,
            endOnFailure: true,
          },
        );
      } finally {
        await harness.close();
      }
    },
  };
}
