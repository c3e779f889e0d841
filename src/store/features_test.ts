import { Effect, Exit } from "effect";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../testing/assert.ts";
import { AppError } from "../domain/errors.ts";
import { allowedFeatureTransitions, type Feature, FEATURE_STATUSES } from "../domain/feature.ts";
import { loadConfig } from "../config.ts";
import { type AppRuntime, makeRuntime } from "../app.ts";
import { Db } from "./db.ts";
import { type FeatureFilter, Features } from "./features.ts";

async function withRuntime(f: (rt: AppRuntime) => Promise<void>): Promise<void> {
  const rt = await makeRuntime(loadConfig({ FORGESYNC_DB_URL: ":memory:" }));
  try {
    await f(rt);
  } finally {
    await rt.dispose();
  }
}

const features = <A>(rt: AppRuntime, f: (s: Features["Service"]) => Effect.Effect<A, AppError>): Promise<A> =>
  rt.runPromise(Features.use(f));

async function failure<A>(
  rt: AppRuntime,
  f: (s: Features["Service"]) => Effect.Effect<A, AppError>,
): Promise<AppError> {
  const exit = await rt.runPromiseExit(Features.use(f));
  assert(Exit.isFailure(exit), "expected the call to fail");
  const reason = exit.cause.reasons.find((r) => r._tag === "Fail");
  assert(reason !== undefined && reason._tag === "Fail", "expected a typed failure, not a defect");
  assert(reason.error instanceof AppError);
  return reason.error;
}

const rowsOf = (rt: AppRuntime) =>
  rt.runPromise(Db.use((db) => db.query("SELECT * FROM features ORDER BY feature_id")));

Deno.test("Features.propose() stores a proposed feature and get() reads it back", async () => {
  await withRuntime(async (rt) => {
    const feature = await features(
      rt,
      (f) =>
        f.propose({ title: "Dark mode", specification: "# Spec\n\nAll of it.", labels: ["ui", "ui", "a"] }),
    );
    assertMatch(feature.feature_id, /^feat_[0-9A-HJKMNP-TV-Z]{26}$/);
    assertEquals(feature.status, "proposed");
    assertEquals(feature.priority, "medium");
    assertEquals(feature.labels, ["a", "ui"]);
    assertEquals(feature.version, 1);
    assertEquals(await features(rt, (f) => f.get(feature.feature_id)), feature);
    assertEquals((await rowsOf(rt)).length, 1);
  });
});

Deno.test("Features.get() fails with NOT_FOUND naming the id", async () => {
  await withRuntime(async (rt) => {
    const error = await failure(rt, (f) => f.get("feat_NOPE"));
    assertEquals(error.code, "NOT_FOUND");
    assertStringIncludes(error.message, "feat_NOPE");
  });
});

Deno.test("Features.update() bumps version by one on every change and not on a no-op", async () => {
  await withRuntime(async (rt) => {
    const feature = await features(rt, (f) => f.propose({ title: "v1", labels: ["x"] }));
    const id = feature.feature_id;
    const v2 = await features(rt, (f) => f.update(id, { title: "v2" }));
    assertEquals(v2.version, 2);
    const v3 = await features(rt, (f) => f.update(id, { specification: "spec" }));
    assertEquals(v3.version, 3);
    const v4 = await features(rt, (f) => f.update(id, { priority: "low" }));
    assertEquals(v4.version, 4);
    const v5 = await features(rt, (f) => f.update(id, { labels: ["y", "x"] }));
    assertEquals(v5.version, 5);
    assertEquals(v5.labels, ["x", "y"]);
    const v6 = await features(rt, (f) => f.update(id, { status: "approved" }));
    assertEquals(v6.version, 6);
    assertEquals(await features(rt, (f) => f.get(id)), v6);
    const before = await rowsOf(rt);
    for (
      const patch of [
        {},
        { title: "v2" },
        { labels: ["x", "y", "y"] },
        { status: "approved" as const, priority: "low" as const },
      ]
    ) {
      assertEquals(await features(rt, (f) => f.update(id, patch)), v6, `no-op ${JSON.stringify(patch)}`);
    }
    assertEquals(await rowsOf(rt), before);
  });
});

Deno.test("Features.update() refuses a transition the rules forbid, naming from, to and the allowed targets", async () => {
  await withRuntime(async (rt) => {
    const { feature_id } = await features(rt, (f) => f.propose({ title: "Rules" }));
    const before = await rowsOf(rt);
    const error = await failure(rt, (f) => f.update(feature_id, { status: "completed", title: "ignored" }));
    assertEquals(error.code, "CONFLICT");
    assertStringIncludes(error.message, `from "proposed" to "completed"`);
    assertStringIncludes(error.message, feature_id);
    for (const target of allowedFeatureTransitions("proposed")) assertStringIncludes(error.hint, target);
    assertEquals(await rowsOf(rt), before);
  });
});

Deno.test("Features.update() walks every allowed transition and refuses every other", async () => {
  await withRuntime(async (rt) => {
    for (const from of FEATURE_STATUSES) {
      for (const to of FEATURE_STATUSES) {
        const { feature_id } = await features(rt, (f) => f.propose({ title: `${from}→${to}` }));
        // Reach `from` through the sync, which skips the rules.
        await features(rt, (f) => f.update(feature_id, { status: from }, { bySync: true }));
        const allowed = from === to || allowedFeatureTransitions(from).includes(to);
        const exit = await rt.runPromiseExit(Features.use((f) => f.update(feature_id, { status: to })));
        assertEquals(Exit.isSuccess(exit), allowed, `${from} → ${to}`);
      }
    }
  });
});

Deno.test("Features.list() pages with cursors and filters by status, label and text", async () => {
  await withRuntime(async (rt) => {
    const made: Feature[] = [];
    for (let i = 0; i < 5; i++) {
      made.push(
        await features(rt, (f) =>
          f.propose({
            title: `Feature ${i}`,
            specification: i === 3 ? "Mentions SEARCHABLE text" : "",
            labels: i % 2 === 0 ? ["even"] : ["odd"],
          })),
      );
    }
    await features(rt, (f) => f.update(made[1]!.feature_id, { status: "approved" }));
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const page: { features: { feature_id: string }[]; next_cursor: string | null } = await features(
        rt,
        (f) => f.list({ limit: 2, cursor }),
      );
      sizes.push(page.features.length);
      seen.push(...page.features.map((f) => f.feature_id));
      if (page.next_cursor === null) break;
      cursor = page.next_cursor;
    }
    assertEquals(sizes, [2, 2, 1]);
    assertEquals(seen, made.map((f) => f.feature_id));
    const ids = async (filter: FeatureFilter) =>
      (await features(rt, (f) => f.list(filter))).features.map((f) => f.feature_id);
    assertEquals(await ids({ status: ["approved"] }), [made[1]!.feature_id]);
    assertEquals(await ids({ label: "even" }), [made[0]!, made[2]!, made[4]!].map((f) => f.feature_id));
    assertEquals(await ids({ query: "searchable" }), [made[3]!.feature_id]);
    assertEquals(await ids({ query: "feature 4" }), [made[4]!.feature_id]);
  });
});

Deno.test("Features.list() refuses a cursor it did not make", async () => {
  await withRuntime(async (rt) => {
    const error = await failure(rt, (f) => f.list({ cursor: "garbage!" }));
    assertEquals(error.code, "VALIDATION_ERROR");
    assertStringIncludes(error.message, "cursor");
  });
});

Deno.test("Features.update() of an unknown feature fails with NOT_FOUND", async () => {
  await withRuntime(async (rt) => {
    const error = await failure(rt, (f) => f.update("feat_MISSING", { status: "approved" }));
    assertEquals(error.code, "NOT_FOUND");
    assertStringIncludes(error.message, "feat_MISSING");
  });
});
