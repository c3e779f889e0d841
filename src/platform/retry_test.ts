import { Duration, Effect, Fiber, Random, Result, Stream } from "effect";
import { TestClock } from "effect/testing";
import { assert, assertEquals, assertFalse } from "../testing/assert.ts";
import { classify, type OperationKind, PlatformError, type PlatformErrorReason } from "./errors.ts";
import {
  backoffMs,
  DEFAULT_RETRY,
  isLater,
  mayRetry,
  retrying,
  retryingStream,
  type RetryPolicy,
  retrySchedule,
} from "./retry.ts";

const POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 3_000, maxWaitSeconds: 30 };
const error = (reason: PlatformErrorReason, more: Partial<PlatformError> = {}) =>
  new PlatformError({ reason, message: reason, ...more });

/** Runs `program` on the virtual clock, with the random numbers fixed at `random`. */
const virtual = <A, E>(program: Effect.Effect<A, E>, random = 0.5) =>
  Effect.runPromise(program.pipe(
    Effect.provideService(Random.Random, { ...Random.Random.defaultValue(), nextDoubleUnsafe: () => random }),
    Effect.provide(TestClock.layer()),
  ));

/** Lets forked fibers run up to their next sleep. */
const settle = TestClock.withLive(Effect.sleep(Duration.millis(5)));

Deno.test("classify(): retry now, wait for a later pass, or give up — per reason and kind", () => {
  const kinds: OperationKind[] = ["read", "idempotent", "create"];
  const table = (e: PlatformError) => kinds.map((k) => classify(k, e));
  assertEquals(table(error("RateLimited")), ["retry", "retry", "retry"], "the forge did nothing");
  assertEquals(table(error("Transient")), ["retry", "retry", "later"], "a 5xx may hide a create");
  assertEquals(
    table(error("Transient", { unanswered: true })),
    ["retry", "later", "later"],
    "may still land",
  );
  for (const reason of ["Unauthorized", "Forbidden", "NotFound", "Gone", "Invalid", "Unsupported"] as const) {
    assertEquals(table(error(reason)), ["give_up", "give_up", "give_up"], reason);
  }
  // The names other modules use are thin exports of it.
  assert(mayRetry("idempotent", error("Transient")));
  assertFalse(mayRetry("create", error("Transient")));
  assert(isLater(error("Transient", { unanswered: true })));
  assertFalse(isLater(error("Invalid")));
});

Deno.test("retrySchedule() waits the jittered exponential back-off, capped, on the virtual clock", async () => {
  const waits: number[] = [];
  let attempts = 0;
  const flaky = Effect.suspend(() => ++attempts < 4 ? Effect.fail(error("Transient")) : Effect.succeed("ok"));
  const outcome = await virtual(
    Effect.gen(function* () {
      const fiber = yield* Effect.forkChild(
        flaky.pipe(Effect.retry(retrySchedule("read", POLICY, (_n, _e, ms) => waits.push(ms)))),
      );
      yield* settle;
      const seen: number[] = [];
      // With the random number fixed at 0.5, the waits are 1 s, 2 s, then 3 s (4 s capped).
      for (const ms of [1_000, 2_000, 3_000]) {
        yield* TestClock.adjust(Duration.millis(ms - 1));
        yield* settle;
        seen.push(attempts);
        yield* TestClock.adjust(Duration.millis(1));
        yield* settle;
      }
      return { seen, result: yield* Fiber.join(fiber) };
    }),
  );
  assertEquals(outcome.seen, [1, 2, 3], "no attempt before its wait is over");
  assertEquals([outcome.result, attempts], ["ok", 4]);
  assertEquals(waits, [1_000, 2_000, 3_000]);
  assertEquals(waits, [1, 2, 3].map((n) => backoffMs(POLICY, n, error("Transient"), () => 0.5)));
});

Deno.test("retrySchedule() jitters between half and one and a half times the back-off", async () => {
  for (const [random, expected] of [[0, 500], [0.999, 1_499]] as const) {
    const waits: number[] = [];
    await virtual(
      Effect.gen(function* () {
        const fiber = yield* Effect.forkChild(Effect.result(
          Effect.fail(error("Transient")).pipe(
            Effect.retry(
              retrySchedule("read", { ...POLICY, maxAttempts: 2 }, (_n, _e, ms) => waits.push(ms)),
            ),
          ),
        ));
        yield* settle;
        yield* TestClock.adjust(Duration.seconds(2));
        return yield* Fiber.join(fiber);
      }),
      random,
    );
    assertEquals(waits, [expected]);
  }
});

Deno.test("retrySchedule() never waits less than the retry-after, and fails at once past maxWaitSeconds", async () => {
  let attempts = 0;
  const limited = (seconds: number) =>
    Effect.suspend(() => {
      attempts++;
      return attempts === 1
        ? Effect.fail(error("RateLimited", { retryAfterSeconds: seconds }))
        : Effect.succeed(1);
    });
  const early = await virtual(Effect.gen(function* () {
    const fiber = yield* Effect.forkChild(limited(20).pipe(Effect.retry(retrySchedule("create", POLICY))));
    yield* settle;
    yield* TestClock.adjust(Duration.millis(19_999));
    yield* settle;
    const before = attempts;
    yield* TestClock.adjust(Duration.millis(1));
    return { before, value: yield* Fiber.join(fiber) };
  }));
  assertEquals([early.before, early.value, attempts], [1, 1, 2], "a create is sent again after a 429");
  attempts = 0;
  const tooLong = await virtual(Effect.result(limited(31).pipe(Effect.retry(retrySchedule("read", POLICY)))));
  assert(Result.isFailure(tooLong));
  assertEquals([tooLong.failure.retryAfterSeconds, attempts], [31, 1], "returned as RateLimited, not slept");
});

Deno.test("retrySchedule() stops after maxAttempts and on failures its kind may not repeat", async () => {
  const count = async (kind: OperationKind, e: PlatformError) => {
    let attempts = 0;
    const failing = Effect.suspend(() => {
      attempts++;
      return Effect.fail(e);
    });
    await virtual(Effect.gen(function* () {
      const fiber = yield* Effect.forkChild(
        Effect.result(failing.pipe(Effect.retry(retrySchedule(kind, POLICY)))),
      );
      yield* settle;
      yield* TestClock.adjust(Duration.minutes(1));
      return yield* Fiber.join(fiber);
    }));
    return attempts;
  };
  assertEquals(await count("read", error("Transient")), POLICY.maxAttempts);
  assertEquals(await count("idempotent", error("Transient")), POLICY.maxAttempts);
  assertEquals(await count("idempotent", error("Transient", { unanswered: true })), 1);
  assertEquals(await count("create", error("Transient")), 1);
  assertEquals(await count("read", error("NotFound")), 1);
});

Deno.test("retrying() redacts, marks a write that got no answer, and reports each retry", async () => {
  const events: string[] = [];
  let unanswered = 0;
  let sent = 0;
  const outcome = await virtual(Effect.gen(function* () {
    const fiber = yield* Effect.forkChild(Effect.result(retrying(
      "updateIssue",
      {
        kind: "idempotent",
        policy: POLICY,
        unanswered: () => unanswered,
        events: { onRetry: (op, n, e, ms) => events.push(`${op} ${n} ${e.reason} ${ms}`) },
      },
      () =>
        Effect.suspend(() => {
          sent++;
          if (sent === 2) unanswered++; // the second request got no answer at all
          return Effect.fail(error("Transient", { message: "ghp_0123456789abcdefghijXYZ leaked" }));
        }),
    )));
    yield* settle;
    yield* TestClock.adjust(Duration.seconds(1));
    return yield* Fiber.join(fiber);
  }));
  assert(Result.isFailure(outcome));
  assertEquals([sent, outcome.failure.unanswered], [2, true]);
  assertEquals(outcome.failure.message, "[REDACTED] leaked");
  assertEquals(events, ["updateIssue 1 Transient 1000"]);
  assertEquals(DEFAULT_RETRY.maxAttempts, 5);
});

Deno.test("retryingStream() resumes where the listing failed and counts attempts over the whole listing", async () => {
  const opened: Array<number | null> = [];
  // A listing of pages 1..6 whose every second page fails once: it resumes after the last page seen.
  const failed = new Set<number>();
  const open = (from: number | null) => {
    opened.push(from);
    const first = (from ?? 0) + 1;
    return Stream.range(first, 6).pipe(Stream.mapEffect((page) => {
      if (page % 2 === 0 && !failed.has(page)) {
        failed.add(page);
        return Effect.fail(error("Transient"));
      }
      return Effect.succeed(page);
    }));
  };
  const listing = (policy: RetryPolicy) =>
    virtual(Effect.gen(function* () {
      const fiber = yield* Effect.forkChild(Effect.result(Stream.runCollect(
        retryingStream("listChanged", { policy }, null as number | null, (_last, page) => page, open),
      )));
      for (let i = 0; i < 10; i++) {
        yield* settle;
        yield* TestClock.adjust(Duration.seconds(5));
      }
      return yield* Fiber.join(fiber);
    }));
  const whole = await listing({ ...POLICY, maxAttempts: 4 });
  assert(Result.isSuccess(whole));
  assertEquals([...whole.success], [1, 2, 3, 4, 5, 6], "every page once");
  assertEquals(opened, [null, 1, 3, 5], "reopened after the last page delivered");
  opened.length = 0;
  failed.clear();
  const gaveUp = await listing({ ...POLICY, maxAttempts: 3 });
  assert(Result.isFailure(gaveUp), "three failures in one listing exceed three attempts");
  assertEquals(opened, [null, 1, 3]);
});
