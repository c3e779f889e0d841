import { Effect, Option } from "effect";
import github from "../../plugins/github/mod.ts";
import type { PlatformPlugin } from "../platform/types.ts";
import {
  assert,
  assertEquals,
  assertFalse,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "./assert.ts";
import { conformanceProperties, type ConformanceSkip, runConformance } from "./conformance.ts";
import type { SandboxHarness } from "./harness.ts";
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

/** A plugin whose marker search never finds anything: a lost create answer would become two issues. */
const neverFinds: PlatformPlugin = {
  ...github,
  id: "never-finds",
  connect: (env) =>
    github.connect(env).pipe(Effect.map((client) => ({
      ...client,
      findByMarker: () => Effect.succeed(Option.none()),
    }))),
};

Deno.test("a plugin whose marker search finds nothing fails idempotent creation through the outbox", async () => {
  const property = conformanceProperties({
    plugin: neverFinds,
    harness: createGitHubSandbox,
    numRuns: 4,
    seed: 3,
  })
    .find((p) => p.name === "idempotent creation through the marker")!;
  const error = await assertRejects(() => property.run());
  assertStringIncludes(
    `${error.message} ${(error.cause as Error | undefined)?.message}`,
    "findByMarker did not find the issue whose answer was lost",
  );
});

/** A plugin that answers yes to every delivery: anyone could trigger its syncs. */
const trustsEveryone: PlatformPlugin = {
  ...github,
  id: "trusts-everyone",
  webhooks: { ...github.webhooks!, verify: () => Promise.resolve(true) },
};

/** A fake test context that runs only the steps named `only`, recording failures and sub-steps. */
function recordingContext(only: string) {
  const failures: string[] = [];
  const ignored: string[] = [];
  const ran: string[] = [];
  const inner = {
    step: (definition: { name: string; ignore?: boolean }) => {
      if (definition.ignore) ignored.push(definition.name);
      return Promise.resolve(true);
    },
  } as unknown as Deno.TestContext;
  const context = {
    step: async (name: string, fn: (t: Deno.TestContext) => Promise<void>) => {
      if (name !== only) return true;
      ran.push(name);
      try {
        await fn(inner);
      } catch (e) {
        failures.push((e as Error).message);
      }
      return true;
    },
  } as unknown as Deno.TestContext;
  return { context, failures, ignored, ran };
}

Deno.test("a plugin whose webhook verify always answers true fails the webhook property, naming it", async () => {
  const property = conformanceProperties({ plugin: trustsEveryone, harness: createGitHubSandbox, seed: 3 })
    .find((p) => p.name === "webhook verification");
  assert(property !== undefined, "the kit has no webhook property for a plugin with webhooks");
  const error = await assertRejects(() => property.run());
  assertStringIncludes(error.message, "verified");

  const { context, failures, ran } = recordingContext("webhook verification");
  await runConformance(context, { plugin: trustsEveryone, harness: createGitHubSandbox, seed: 3 });
  assertEquals(ran, ["webhook verification"]);
  assertEquals(failures.length, 1);
  assertStringIncludes(
    failures[0]!,
    'Conformance property "webhook verification" failed for plugin "trusts-everyone"',
  );
});

Deno.test("a plugin that parses a push as an issue event fails the webhook property", async () => {
  const parsesEverything: PlatformPlugin = {
    ...github,
    id: "parses-everything",
    webhooks: {
      ...github.webhooks!,
      parse: (request) => {
        const headers = new Headers(request.headers);
        headers.set("x-github-event", "issues");
        return github.webhooks!.parse({ headers, body: request.body });
      },
    },
  };
  const property = conformanceProperties({ plugin: parsesEverything, harness: createGitHubSandbox, seed: 3 })
    .find((p) => p.name === "webhook verification");
  const error = await assertRejects(() => property!.run());
  assertStringIncludes(error.message, "an unrelated event parsed to");
});

Deno.test("a plugin that verifies the GitHub signature's form but not its value fails on another secret", async () => {
  const checksFormOnly: PlatformPlugin = {
    ...github,
    id: "checks-form-only",
    webhooks: {
      ...github.webhooks!,
      verify: (request) =>
        Promise.resolve(/^sha256=[0-9a-f]{64}$/.test(request.headers.get("x-hub-signature-256") ?? "")),
    },
  };
  const property = conformanceProperties({ plugin: checksFormOnly, harness: createGitHubSandbox, seed: 3 })
    .find((p) => p.name === "webhook verification");
  const error = await assertRejects(() => property!.run());
  assertStringIncludes(error.message, "another");
});

Deno.test("a plugin that compares only the start of the signature fails on a changed character", async () => {
  const comparesPrefix: PlatformPlugin = {
    ...github,
    id: "compares-prefix",
    webhooks: {
      ...github.webhooks!,
      verify: async (request, secret) => {
        const sent = request.headers.get("x-hub-signature-256") ?? "";
        const key = await crypto.subtle.importKey(
          "raw",
          new TextEncoder().encode(secret),
          { name: "HMAC", hash: "SHA-256" },
          false,
          ["sign"],
        );
        const mac = new Uint8Array(
          await crypto.subtle.sign("HMAC", key, request.body as Uint8Array<ArrayBuffer>),
        );
        const hex = [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
        return sent.length >= 16 && `sha256=${hex}`.startsWith(sent.slice(0, 16));
      },
    },
  };
  const property = conformanceProperties({ plugin: comparesPrefix, harness: createGitHubSandbox, seed: 3 })
    .find((p) => p.name === "webhook verification");
  const error = await assertRejects(() => property!.run());
  assertMatch(
    error.message,
    /a delivery with (character \d+ of x-hub-signature-256|x-hub-signature-256 (followed|cut to)).* verified/,
  );
});

Deno.test("the webhook property is skipped, with a step note, when the harness cannot build deliveries", async () => {
  const withoutDeliveries = async (): Promise<SandboxHarness> => {
    const sandbox = await createGitHubSandbox();
    return { ...sandbox, webhookDelivery: undefined };
  };
  const property = conformanceProperties({ plugin: github, harness: withoutDeliveries })
    .find((p) => p.name === "webhook verification");
  const outcome = await property!.run();
  assertStringIncludes((outcome as ConformanceSkip).skipped, "webhookDelivery");

  const { context, failures, ignored } = recordingContext("webhook verification");
  await runConformance(context, { plugin: github, harness: withoutDeliveries });
  assertEquals(failures, []);
  assertEquals(ignored.length, 1);
  assertMatch(ignored[0]!, /^skipped: the "github" harness has no webhookDelivery\(\)/);
});

Deno.test("conformanceProperties() has the webhook property only for plugins with webhooks", () => {
  const names = (plugin: PlatformPlugin) =>
    conformanceProperties({ plugin, harness: createGitHubSandbox }).map((p) => p.name);
  assert(names(github).includes("webhook verification"));
  const { webhooks: _, ...rest } = github;
  const withoutHooks: PlatformPlugin = { ...rest, capabilities: { ...github.capabilities, webhooks: false } };
  assertFalse(names(withoutHooks).includes("webhook verification"));
});
