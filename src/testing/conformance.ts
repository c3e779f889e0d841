/**
 * The plugin conformance kit: one property-based suite (fast-check) that any platform plugin runs
 * against its sandbox harness with a few lines, as Hono runs one router contract against every
 * router. It respects the plugin's capabilities and status aliases.
 *
 * Properties:
 * - **field round trip**: what `createIssue`/`updateIssue` write is what they and `getIssue`
 *   return and what the forge holds — unicode titles, empty and 64 KB bodies, label sets,
 *   assignees, milestones, every status;
 * - **incremental listing**: `listChanged` from no cursor yields every issue across pages, oldest
 *   change first; from the last cursor it yields every issue changed since; any page's cursor
 *   resumes without losing an issue;
 * - **idempotent creation**: a create whose answer is lost (the forge wrote it, then answered 502)
 *   is found by its marker; through the core's outbox — the one path production creates issues by —
 *   a lost answer, and a request that got no answer at all, each yield exactly one issue, linked;
 * - **error mapping**: 401/403/404/410/422/429/5xx, resets and malformed bodies map to the right
 *   `PlatformError` reason, and no message carries the token;
 * - **webhook verification** (plugins with `capabilities.webhooks` and `webhooks`): a delivery the
 *   harness signed ({@link SandboxHarness.webhookDelivery}) verifies and parses to the harness
 *   repository, its delivery id and its issue; arbitrary byte flips, truncations and extensions of
 *   the signature (and of the body, where the forge signs it), a missing signature and another
 *   secret all fail verification; an unrelated event (a push) parses to null. Skipped, with a step
 *   note, when the harness cannot build deliveries.
 *
 * @example
 * ```ts ignore
 * import plugin from "../../plugins/github/mod.ts";
 * import { createGitHubSandbox } from "./github_sandbox.ts";
 * import { runConformance } from "./conformance.ts";
 * Deno.test("GitHub plugin conforms", (t) => runConformance(t, { plugin, harness: createGitHubSandbox }));
 * ```
 *
 * @module
 */
import {
  type ConformanceOptions,
  type ConformanceProperty,
  type ConformanceSkip,
} from "./conformance/common.ts";
import { fieldRoundTrip } from "./conformance/fields.ts";
import { incrementalListing } from "./conformance/listing.ts";
import { idempotentCreation } from "./conformance/creation.ts";
import { errorMapping } from "./conformance/errors.ts";
import { webhookVerification } from "./conformance/webhooks.ts";

export type { ConformanceOptions, ConformanceProperty, ConformanceSkip };

/**
 * The kit's properties for a plugin, to run with any test runner. "webhook verification" is among
 * them when the plugin declares `capabilities.webhooks` and has `webhooks`.
 */
export function conformanceProperties(options: ConformanceOptions): ConformanceProperty[] {
  const webhooks = options.plugin.capabilities.webhooks && options.plugin.webhooks !== undefined;
  return [
    fieldRoundTrip(options),
    incrementalListing(options),
    idempotentCreation(options),
    errorMapping(options),
    ...(webhooks ? [webhookVerification(options)] : []),
  ];
}

/**
 * Runs the kit as steps of a Deno test. A failing property fails its step with a message naming
 * the property and the plugin, and fast-check's counterexample. A property that could not run
 * passes with an ignored sub-step whose name says why ("skipped: …").
 */
export async function runConformance(t: Deno.TestContext, options: ConformanceOptions): Promise<void> {
  for (const property of conformanceProperties(options)) {
    await t.step(property.name, async (step) => {
      let outcome: void | ConformanceSkip;
      try {
        outcome = await property.run();
      } catch (error) {
        // fast-check keeps the property's own error as the cause: its message says what went wrong.
        const cause = error instanceof Error && error.cause instanceof Error
          ? ` — ${error.cause.message}`
          : "";
        const detail = error instanceof Error ? `${error.message}${cause}` : String(error);
        throw new Error(
          `Conformance property "${property.name}" failed for plugin "${options.plugin.id}": ${detail}`,
        );
      }
      if (outcome !== undefined) {
        await step.step({ name: `skipped: ${outcome.skipped}`, ignore: true, fn: () => {} });
      }
    });
  }
}
