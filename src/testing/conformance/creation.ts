/**
 * The kit's "idempotent creation": a create whose answer is lost is found by its marker; through the core's outbox, a lost answer and a request that got no answer each yield exactly one issue, linked.
 *
 * @module
 */
import fc from "fast-check";
import { Effect, Option, Result } from "effect";
import { defaultMarker } from "../../platform/types.ts";
import { openOutboxRig } from "../outbox_rig.ts";
import { titleArb } from "./fields.ts";
import { type ConformanceOptions, type ConformanceProperty, connect, run } from "./common.ts";

const issuesPath = /\/issues\/?$/;

/** The client's timeout in the idempotent-creation property, and a latency that outlives it. */
const RIG_TIMEOUT_MS = 150;
const RIG_LATENCY_MS = 250;

/** The "idempotent creation through the marker" property. */
export function idempotentCreation(options: ConformanceOptions): ConformanceProperty {
  const { plugin } = options;
  return {
    name: "idempotent creation through the marker",
    run: async () => {
      const { harness, client, repo } = await connect(plugin, options.harness);
      const rig = await openOutboxRig(plugin, harness, repo, { timeoutMs: RIG_TIMEOUT_MS });
      try {
        await fc.assert(
          fc.asyncProperty(titleArb, fc.uuid(), async (title, id) => {
            const marker = (plugin.marker ?? defaultMarker)("task", `task_${id}`);
            const since = new Date(Date.now() - 1000).toISOString();
            const count = () =>
              harness.issueNumbers().filter((n) => harness.readIssue(n)?.body.includes(marker));

            // The plugin's own part: a lost answer maps to Transient, and the marker finds the issue.
            harness.faults.add({ kind: "fail_after", method: "POST", path: issuesPath });
            const lost = await Effect.runPromise(
              Effect.result(client.createIssue(repo, { title, body: `spec\n\n${marker}` })),
            );
            if (Result.isSuccess(lost)) {
              throw new Error("createIssue succeeded although the forge answered 502");
            }
            if (lost.failure.reason !== "Transient") {
              throw new Error(`a 502 after the write mapped to ${lost.failure.reason}, expected Transient`);
            }
            if (count().length !== 1) throw new Error("the sandbox did not keep the write");
            const found = await run(client.findByMarker(repo, marker, since));
            if (Option.isNone(found) || !found.value.body.includes(marker)) {
              throw new Error("findByMarker did not find the issue whose answer was lost");
            }

            // Through the core's outbox, the path create_issue and every pass use. The forge writes
            // the issue, then answers 502: the outbox looks for the marker and sends nothing again.
            const twice = (plugin.marker ?? defaultMarker)("feature", `feat_${id}`);
            const countOf = (m: string) =>
              harness.issueNumbers().filter((n) => harness.readIssue(n)?.body.includes(m));
            harness.faults.add({ kind: "fail_after", method: "POST", path: issuesPath });
            const first = await rig.queueCreate({ title, body: `spec\n\n${twice}` }, twice);
            await rig.flush();
            if (countOf(twice).length !== 1) {
              throw new Error(
                `after a lost answer the forge holds ${countOf(twice).length} issues with the marker`,
              );
            }
            const linked = await rig.issueOf(first);
            if (linked !== countOf(twice)[0]) {
              throw new Error(
                `the outbox linked #${linked}, but the issue with the marker is #${countOf(twice)[0]}`,
              );
            }

            // No answer at all: the forge is still creating it when the client gives up. Nothing is
            // looked for nor sent until the request has surely ended; then the marker settles it.
            const slow = (plugin.marker ?? defaultMarker)("task", `task_slow_${id}`);
            harness.faults.add({ kind: "latency", ms: RIG_LATENCY_MS, method: "POST", path: issuesPath });
            const second = await rig.queueCreate({ title, body: slow }, slow);
            const waiting = await rig.flush();
            if (waiting.pending !== 1 || (await rig.issueOf(second)) !== null) {
              throw new Error("a create that got no answer did not wait for its request to end");
            }
            await new Promise((r) => setTimeout(r, 2 * RIG_TIMEOUT_MS + 50));
            await rig.flush();
            if (countOf(slow).length !== 1) {
              throw new Error(
                `after a create that got no answer the forge holds ${countOf(slow).length} issues`,
              );
            }
            if ((await rig.issueOf(second)) !== countOf(slow)[0]) {
              throw new Error("the create that got no answer was not linked to its issue");
            }
          }),
          {
            numRuns: Math.max(2, Math.ceil((options.numRuns ?? 12) / 4)),
            seed: options.seed,
            endOnFailure: true,
          },
        );
      } finally {
        harness.faults.clear();
        await rig.close();
        await harness.close();
      }
    },
  };
}
