import fc from "fast-check";
import { assert, assertEquals } from "../testing/assert.ts";
import {
  type Base,
  confirmSent,
  type ConflictPolicy,
  type Conversions,
  FIELDS,
  isEmptyPlan,
  merge,
  type MergeInput,
  mergeSet,
  type Snapshot,
} from "./merge.ts";

/** Identity conversions: both sides speak the same terms. */
const same: Conversions = {
  toRemote: (_f, v) => v,
  toLocal: (_f, v) => v,
  sameRemote: (_f, a, b) => a === b,
};

const snapshot: fc.Arbitrary<Snapshot> = fc.record({
  title: fc.constantFrom("A", "B", "C"),
  body: fc.constantFrom("", "x", "y"),
  status: fc.constantFrom("open", "in_progress", "completed"),
  labels: fc.uniqueArray(fc.constantFrom("bug", "ui", "docs", "p1"), { maxLength: 4 }).map((l) => l.sort()),
  assignees: fc.uniqueArray(fc.constantFrom("ann", "bob", "cy"), { maxLength: 3 }).map((l) => l.sort()),
});
const policy = fc.constantFrom<ConflictPolicy>("newest_wins", "local_wins", "remote_wins", "manual");
const stamp = fc.constantFrom("2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z");

const input = (
  base: Base,
  local: Snapshot,
  remote: Snapshot,
  p: ConflictPolicy,
  l: string,
  r: string,
): MergeInput => ({
  base,
  local,
  remote,
  localUpdatedAt: l,
  remoteUpdatedAt: r,
  policy: p,
  fields: FIELDS,
  convert: same,
});

/** Applies a plan to both sides, as the reconciler and the forge would. */
function apply(local: Snapshot, remote: Snapshot, plan: ReturnType<typeof merge>) {
  const nextLocal = { ...local, ...plan.local } as Snapshot;
  const nextRemote = { ...remote, ...plan.remote } as Snapshot;
  const sent = Object.keys(plan.remote) as Array<keyof Snapshot>;
  const base = confirmSent(plan.base, sent, nextLocal, nextRemote);
  return { local: nextLocal, remote: nextRemote, base };
}

Deno.test("merge() of unchanged sides plans nothing", () => {
  fc.assert(fc.property(snapshot, policy, stamp, stamp, (s, p, l, r) => {
    const plan = merge(input({ local: s, remote: s }, s, s, p, l, r));
    assert(isEmptyPlan(plan));
    assertEquals(plan.conflicts, []);
  }));
});

Deno.test("merge() then applying the plan then merging again plans nothing (idempotent)", () => {
  fc.assert(fc.property(snapshot, snapshot, snapshot, policy, stamp, stamp, (b, l, r, p, lt, rt) => {
    const first = merge(input({ local: b, remote: b }, l, r, p, lt, rt));
    const after = apply(l, r, first);
    const second = merge(input(after.base, after.local, after.remote, p, lt, rt));
    assert(isEmptyPlan(second), JSON.stringify({ first, second }));
    // A manual conflict stays recorded but writes nothing either way.
    if (p !== "manual") assertEquals(second.conflicts, []);
  }));
});

Deno.test("merge() converges both sides, except fields waiting on a manual conflict", () => {
  fc.assert(fc.property(snapshot, snapshot, snapshot, policy, stamp, stamp, (b, l, r, p, lt, rt) => {
    const plan = merge(input({ local: b, remote: b }, l, r, p, lt, rt));
    const after = apply(l, r, plan);
    const waiting = new Set(plan.conflicts.filter((c) => c.resolution === "manual").map((c) => c.field));
    for (const f of FIELDS) {
      if (waiting.has(f as never)) continue;
      assertEquals(after.local[f], after.remote[f], `field ${f}`);
    }
  }));
});

Deno.test("merge() loses no local edit silently: it is kept, or recorded as a conflict", () => {
  fc.assert(fc.property(snapshot, snapshot, snapshot, policy, stamp, stamp, (b, l, r, p, lt, rt) => {
    const plan = merge(input({ local: b, remote: b }, l, r, p, lt, rt));
    const after = apply(l, r, plan);
    for (const f of ["title", "body", "status"] as const) {
      if (l[f] === b[f]) continue;
      const kept = after.remote[f] === l[f];
      const recorded = plan.conflicts.some((c) => c.field === f && c.local === l[f]);
      assert(kept || recorded, `local ${f} "${l[f]}" vanished`);
    }
    for (const f of ["labels", "assignees"] as const) {
      // An addition cannot be a removal on the other side (it was not in the base): it survives.
      for (const added of l[f].filter((x) => !b[f].includes(x))) {
        assert(after.remote[f].includes(added), `added ${f} "${added}" lost`);
      }
    }
  }));
});

Deno.test("mergeSet() keeps both sides' additions and removals, and is symmetric", () => {
  const set = fc.uniqueArray(fc.constantFrom("a", "b", "c", "d", "e"), { maxLength: 5 }).map((x) => x.sort());
  fc.assert(fc.property(set, set, set, (base, left, right) => {
    const fromLeft = mergeSet(left, base, right);
    const fromRight = mergeSet(right, base, left);
    assertEquals(fromLeft, fromRight, "the same merged set from either side");
    for (const x of [...left, ...right]) {
      if (!base.includes(x)) assert(fromLeft.includes(x), `addition ${x} kept`);
    }
    for (const x of base) {
      if (!left.includes(x) || !right.includes(x)) assert(!fromLeft.includes(x), `removal ${x}`);
    }
  }));
});

Deno.test("merge() settles scalar conflicts by policy and records them", () => {
  const b = { title: "A", body: "", status: "open", labels: [], assignees: [] };
  const l = { ...b, title: "L" };
  const r = { ...b, title: "R" };
  const run = (p: ConflictPolicy, lt: string, rt: string) =>
    merge(input({ local: b, remote: b }, l, r, p, lt, rt));
  assertEquals(run("local_wins", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z").remote, { title: "L" });
  assertEquals(run("remote_wins", "2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z").local, { title: "R" });
  assertEquals(run("newest_wins", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z").local, { title: "R" });
  assertEquals(run("newest_wins", "2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z").remote, { title: "L" });
  const manual = run("manual", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z");
  assert(isEmptyPlan(manual));
  assertEquals(manual.conflicts, [{
    field: "title",
    base: { local: "A", remote: "A" },
    local: "L",
    remote: "R",
    resolution: "manual",
  }]);
});

Deno.test("merge() keeps the base of a field being sent until the forge confirms it", () => {
  const b = { title: "A", body: "", status: "open", labels: ["x"], assignees: [] };
  const plan = merge(
    input({ local: b, remote: b }, { ...b, title: "L", labels: ["x", "y"] }, b, "newest_wins", "", ""),
  );
  assertEquals(plan.remote, { title: "L", labels: ["x", "y"] });
  assertEquals(plan.base.local.title, "A", "a failed send must still look like a local change");
  assertEquals(plan.base.remote.labels, ["x"]);
});

Deno.test("merge() respects a local limit on a set (one assignee per task)", () => {
  const b = { title: "A", body: "", status: "open", labels: [], assignees: [] };
  const plan = merge({
    ...input(
      { local: b, remote: b },
      { ...b, assignees: ["ann"] },
      { ...b, assignees: ["bob", "cy"] },
      "newest_wins",
      "",
      "",
    ),
    convert: { ...same, localLimit: (f) => (f === "assignees" ? 1 : Infinity) },
  });
  assertEquals(plan.local, {}, "the local assignee is kept");
  assertEquals(plan.remote.assignees, ["ann", "bob", "cy"]);
});
