import { Duration, Effect, Fiber, Option, Result, Stream } from "effect";
import { TestClock } from "effect/testing";
import github from "../../plugins/github/mod.ts";
import { createGitHubSandbox } from "../testing/github_sandbox.ts";
import { assert, assertEquals, assertFalse, assertStringIncludes } from "../testing/assert.ts";
import { PlatformError } from "./errors.ts";
import { wrapClient } from "./wrap.ts";
import { backoffMs, DEFAULT_RETRY, type RetryPolicy } from "./retry.ts";
import { githubClient } from "./test_support.ts";
import type { PlatformClient, RemoteIssue } from "./types.ts";

const FAST: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2, maxWaitSeconds: 10 };
const ISSUES = /\/issues$/;

Deno.test("a create is sent once: a 502 before or after the write fails it, for its caller to settle", async (t) => {
  const sandbox = await createGitHubSandbox();
  try {
    const { client, repo } = await githubClient(sandbox);
    const wrapped = wrapClient(github, client, { policy: FAST });
    for (const fault of ["status", "fail_after"] as const) {
      await t.step(`${fault}: one request, a Transient failure`, async () => {
        const posts = sandbox.log.count({ method: "POST", path: ISSUES });
        sandbox.faults.add(
          fault === "status"
            ? { kind: "status", status: 502, method: "POST", path: ISSUES }
            : { kind: "fail_after", method: "POST", path: ISSUES },
        );
        const outcome = await Effect.runPromise(Effect.result(
          wrapped.createIssue(repo, { title: "Once", body: `<!-- forgesync:task=task_${fault} -->` }),
        ));
        assert(Result.isFailure(outcome));
        assertEquals(outcome.failure.reason, "Transient");
        assertEquals(sandbox.log.count({ method: "POST", path: ISSUES }), posts + 1, "never sent twice");
      });
    }
    await t.step("a rate-limit refusal (nothing happened) is waited out and sent again", async () => {
      const before = sandbox.issueNumbers().length;
      sandbox.faults.add({ kind: "rate_limit", status: 429, retryAfter: 0, method: "POST", path: ISSUES });
      await Effect.runPromise(wrapped.createIssue(repo, { title: "After a 429", body: "" }));
      assertEquals(sandbox.issueNumbers().length, before + 1);
    });
  } finally {
    await sandbox.close();
  }
});

Deno.test("an update whose request got no answer is not sent again; an answered 5xx is", async () => {
  let sent = 0;
  let unanswered = 0;
  let answer: "none" | "502" = "none";
  const issue = { number: 1 } as unknown as RemoteIssue;
  const flaky = {
    updateIssue: () =>
      Effect.suspend(() => {
        sent++;
        if (sent > 1) return Effect.succeed(issue);
        if (answer === "none") unanswered++; // the request left and no answer came back (a timeout)
        return Effect.fail(new PlatformError({ reason: "Transient", message: "no luck" }));
      }),
  } as unknown as PlatformClient;
  const wrapped = wrapClient(github, flaky, { policy: FAST, unansweredWrites: () => unanswered });
  const repo = { platform: "github", path: "a/b" };
  const lost = await Effect.runPromise(Effect.result(wrapped.updateIssue(repo, 1, { title: "T" })));
  assert(Result.isFailure(lost));
  assertEquals(
    [lost.failure.unanswered, sent],
    [true, 1],
    "it may still land: a second one could undo a newer write",
  );
  assertEquals(lost.failure.message, "no luck", "the failure keeps its message");
  sent = 0;
  answer = "502";
  await Effect.runPromise(wrapped.updateIssue(repo, 1, { title: "T" }));
  assertEquals(sent, 2, "the forge answered 502: it is done with the request, which may be sent again");
});

Deno.test("a 429 with retry-after: 2 is waited out on the virtual clock", async () => {
  const sandbox = await createGitHubSandbox();
  try {
    const { client, repo } = await githubClient(sandbox);
    const [number] = await sandbox.seedIssues(1);
    const wrapped = wrapClient(github, client, { policy: DEFAULT_RETRY });
    sandbox.faults.add({ kind: "rate_limit", status: 429, retryAfter: 2 });
    const gets = () =>
      sandbox.log.count({ method: "GET", path: `/api/v3/repos/${repo.path}/issues/${number}` });
    const program = Effect.gen(function* () {
      const fiber = yield* Effect.forkChild(wrapped.getIssue(repo, number!));
      // Let the first (throttled) request happen on the real network.
      while (gets() < 1) yield* TestClock.withLive(Effect.sleep(Duration.millis(5)));
      yield* TestClock.withLive(Effect.sleep(Duration.millis(20)));
      yield* TestClock.adjust(Duration.millis(1_999));
      yield* TestClock.withLive(Effect.sleep(Duration.millis(50)));
      const early = { done: fiber.pollUnsafe() !== undefined, requests: gets() };
      yield* TestClock.adjust(Duration.millis(1));
      const issue = yield* Fiber.join(fiber);
      return { early, issue, requests: gets() };
    }).pipe(Effect.provide(TestClock.layer()));
    const { early, issue, requests } = await Effect.runPromise(program);
    assertFalse(early.done, "the retry must wait for retry-after");
    assertEquals(early.requests, 1, "no request is sent before retry-after has passed");
    assert(Option.isSome(issue));
    assertEquals(requests, 2);
  } finally {
    await sandbox.close();
  }
});

Deno.test("a 401 is not retried and names the token variable without its value", async () => {
  const sandbox = await createGitHubSandbox();
  try {
    const { client, repo } = await githubClient(sandbox, {
      token: "ghp_wrongwrongwrongwrongwrongwrong1234",
      tokenVariable: "ACME_GH_TOKEN",
    });
    const wrapped = wrapClient(github, client, { policy: FAST });
    const before = sandbox.log.entries.length;
    const outcome = await Effect.runPromise(Effect.result(wrapped.verify(repo)));
    assert(Result.isFailure(outcome));
    const error = outcome.failure;
    assertEquals(error.reason, "Unauthorized");
    assertEquals(sandbox.log.entries.length - before, 1, "a 401 is sent once, never retried");
    assertStringIncludes(error.message, "ACME_GH_TOKEN");
    assertFalse(
      `${error.message} ${error.hint}`.includes("wrongwrongwrong"),
      "the token value never appears",
    );
  } finally {
    await sandbox.close();
  }
});

Deno.test("other 4xx answers are never retried", async () => {
  const sandbox = await createGitHubSandbox();
  try {
    const { client, repo } = await githubClient(sandbox);
    const wrapped = wrapClient(github, client, { policy: FAST });
    for (const status of [403, 404, 410, 422]) {
      sandbox.faults.clear();
      sandbox.faults.add({ kind: "status", status, times: 5 });
      const before = sandbox.log.entries.length;
      await Effect.runPromise(Effect.result(wrapped.verify(repo)));
      assertEquals(sandbox.log.entries.length - before, 1, `a ${status} is sent once`);
    }
  } finally {
    await sandbox.close();
  }
});

Deno.test("listChanged resumes from the last page's cursor after a failure", async () => {
  const sandbox = await createGitHubSandbox();
  try {
    const { client, repo } = await githubClient(sandbox);
    await sandbox.seedIssues(350);
    const clean = await Effect.runPromise(Stream.runCollect(client.listChanged(repo, null)));
    const cleanRequests = clean.length;
    sandbox.log.reset();
    // The third page request fails once with a 503.
    let seen = 0;
    const original = client.listChanged;
    const flaky: PlatformClient = {
      ...client,
      listChanged: (r, c) =>
        original(r, c).pipe(
          Stream.tap(() =>
            Effect.suspend(() =>
              ++seen === 2
                ? Effect.sync(() => sandbox.faults.add({ kind: "status", status: 503 }))
                : Effect.void
            )
          ),
        ),
    };
    const pages = await Effect.runPromise(
      Stream.runCollect(wrapClient(github, flaky, { policy: FAST }).listChanged(repo, null)),
    );
    const numbers = new Set(pages.flatMap((p) => p.issues.map((i) => i.number)));
    assertEquals(numbers.size, sandbox.issueNumbers().length, "every issue once listed");
    assertEquals(sandbox.log.count({ status: 503 }), 1);
    // Resuming costs the failed request and its retry, not a new listing from the start.
    assert(sandbox.log.entries.length <= cleanRequests + 1, `${sandbox.log.entries.length} requests`);
  } finally {
    await sandbox.close();
  }
});

Deno.test("backoffMs() grows exponentially with jitter and honours retry-after", () => {
  const error = new PlatformError({ reason: "Transient", message: "x" });
  assertEquals(backoffMs(DEFAULT_RETRY, 1, error, () => 0.5), 500);
  assertEquals(backoffMs(DEFAULT_RETRY, 3, error, () => 0.5), 2000);
  assertEquals(backoffMs(DEFAULT_RETRY, 20, error, () => 0.5), 30_000);
  assertEquals(backoffMs(DEFAULT_RETRY, 1, error, () => 0), 250);
  const limited = new PlatformError({ reason: "RateLimited", message: "x", retryAfterSeconds: 7 });
  assertEquals(backoffMs(DEFAULT_RETRY, 1, limited, () => 0.5), 7000);
});

Deno.test("a rate limit longer than maxWaitSeconds fails at once with its retry-after", async () => {
  let calls = 0;
  const failing = {
    getIssue: () => {
      calls++;
      return Effect.fail(
        new PlatformError({ reason: "RateLimited", message: "limit", retryAfterSeconds: 3600 }),
      );
    },
  } as unknown as PlatformClient;
  const wrapped = wrapClient(github, failing, { policy: DEFAULT_RETRY });
  const outcome = await Effect.runPromise(
    Effect.result(wrapped.getIssue({ platform: "github", path: "a/b" }, 1)),
  );
  assert(Result.isFailure(outcome));
  assertEquals(outcome.failure.retryAfterSeconds, 3600);
  assertEquals(calls, 1);
});

Deno.test("operations a plugin lacks fail Unsupported with a hint", async () => {
  const bare = {} as PlatformClient;
  const wrapped = wrapClient({ ...github, name: "Bare" }, bare);
  const outcome = await Effect.runPromise(
    Effect.result(wrapped.createMilestone!({ platform: "x", path: "a/b" }, { title: "v1" })),
  );
  assert(Result.isFailure(outcome));
  assertEquals(outcome.failure.reason, "Unsupported");
  assertStringIncludes(outcome.failure.message, "Bare");
  assert((outcome.failure.hint ?? "").length > 0);
});

Deno.test("createTag() of a plugin without tags fails Unsupported with a hint", async () => {
  const wrapped = wrapClient({ ...github, name: "Bare" }, {} as PlatformClient);
  const outcome = await Effect.runPromise(
    Effect.result(wrapped.createTag!({ platform: "x", path: "a/b" }, { name: "v1", target: "abcdef0" })),
  );
  assert(Result.isFailure(outcome));
  assertEquals(outcome.failure.reason, "Unsupported");
  assertStringIncludes(outcome.failure.message, "Bare does not support creating tags");
  assertStringIncludes(outcome.failure.hint ?? "", "git");
});

Deno.test("error messages are redacted", async () => {
  const secret = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
  const leaking = {
    verify: () => Effect.fail(new PlatformError({ reason: "Invalid", message: `bad token ${secret}` })),
  } as unknown as PlatformClient;
  const outcome = await Effect.runPromise(
    Effect.result(wrapClient(github, leaking).verify({ platform: "github", path: "a/b" })),
  );
  assert(Result.isFailure(outcome));
  assertFalse(outcome.failure.message.includes(secret));
});

Deno.test("a create that got no answer is neither looked for nor sent again", async () => {
  let creates = 0;
  let finds = 0;
  let unanswered = 0;
  const slow = {
    createIssue: () => {
      creates++;
      unanswered++; // the request left and no answer came back (a timeout)
      return Effect.fail(new PlatformError({ reason: "Transient", message: "request timed out" }));
    },
    findByMarker: () => {
      finds++;
      return Effect.succeed(Option.none());
    },
  } as unknown as PlatformClient;
  const wrapped = wrapClient(github, slow, { policy: FAST, unansweredWrites: () => unanswered });
  const outcome = await Effect.runPromise(
    Effect.result(wrapped.createIssue({ platform: "github", path: "a/b" }, {
      title: "t",
      body: "<!-- forgesync:task=task_X -->",
    })),
  );
  assert(Result.isFailure(outcome));
  assert(outcome.failure.unanswered === true);
  assertEquals([creates, finds], [1, 0], "the forge may still be creating it: no look, no second create");
});

Deno.test("batched milestone writes: retried like an update (never after no answer), reads retried, absent when the plugin has none", async () => {
  let writes = 0;
  let reads = 0;
  let unanswered = 0;
  const milestone = {
    id: "1",
    title: "v1",
    state: "open",
    description: "",
    due_on: null,
    url: null,
  } as const;
  const batching = {
    batchSize: 25,
    setMilestones: () =>
      Effect.suspend(() => {
        writes++;
        if (writes === 1) return Effect.fail(new PlatformError({ reason: "Transient", message: "502" }));
        if (writes === 2) {
          unanswered++;
          return Effect.fail(new PlatformError({ reason: "Transient", message: "timed out" }));
        }
        return Effect.succeed([Result.succeed(undefined)]);
      }),
    readMilestones: () =>
      Effect.suspend(() => {
        reads++;
        return reads === 1
          ? Effect.fail(new PlatformError({ reason: "Transient", message: "503" }))
          : Effect.succeed([Result.succeed("v1")]);
      }),
  } as unknown as PlatformClient;
  const wrapped = wrapClient(github, batching, { policy: FAST, unansweredWrites: () => unanswered });
  const repo = { platform: "github", path: "a/b" };
  const issues = [{ number: 1, id: null }];
  assertEquals(wrapped.batchSize, 25);
  const lost = await Effect.runPromise(Effect.flip(wrapped.setMilestones!(repo, milestone, issues)));
  assertEquals([lost.unanswered, writes], [true, 2]);
  assertEquals((await Effect.runPromise(wrapped.setMilestones!(repo, milestone, issues))).length, 1);
  assertEquals(await Effect.runPromise(wrapped.readMilestones!(repo, issues)), [Result.succeed("v1")]);
  assertEquals(reads, 2);
  const plain = wrapClient(github, {} as PlatformClient);
  assertEquals([plain.setMilestones, plain.readMilestones, plain.batchSize], [
    undefined,
    undefined,
    undefined,
  ]);
});
