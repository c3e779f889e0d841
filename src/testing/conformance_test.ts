import { Effect } from "effect";
import github from "../../plugins/github/mod.ts";
import type { PlatformPlugin } from "../platform/types.ts";
import { assertRejects, assertStringIncludes } from "./assert.ts";
import { conformanceProperties } from "./conformance.ts";
import { createGitHubSandbox } from "./github_sandbox.ts";

/** A plugin that forgets labels on the way out: exactly the bug the kit exists to catch. */
const dropsLabels: PlatformPlugin = {
  ...github,
  id: "drops-labels",
  connect: (env) =>
    github.connect(env).pipe(Effect.map((client) => ({
      ...client,
      createIssue: (repo, draft) => client.createIssue(repo, { ...draft, labels: [] }),
    }))),
};

Deno.test("a plugin that drops labels fails the kit, naming the property", async () => {
  const [roundTrip] = conformanceProperties({
    plugin: dropsLabels,
    harness: createGitHubSandbox,
    numRuns: 25,
    seed: 7,
  });
  const error = await assertRejects(() => roundTrip!.run());
  assertStringIncludes(error.message, "labels");
  assertStringIncludes(roundTrip!.name, "field round trip");
});

Deno.test("runConformance() reports a failing property by name", async () => {
  const { runConformance } = await import("./conformance.ts");
  const failures: string[] = [];
  const fakeContext = {
    step: async (_name: string, fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (e) {
        failures.push((e as Error).message);
      }
      return true;
    },
  } as unknown as Deno.TestContext;
  await runConformance(fakeContext, {
    plugin: dropsLabels,
    harness: createGitHubSandbox,
    numRuns: 25,
    seed: 7,
  });
  const message = failures.find((m) => m.includes("field round trip"));
  if (message === undefined) throw new Error(`no failure named the property: ${JSON.stringify(failures)}`);
  assertStringIncludes(message, 'Conformance property "field round trip" failed for plugin "drops-labels"');
  assertStringIncludes(message, "labels");
});
