import { assertEquals, assertStringIncludes } from "../../../testing/assert.ts";
import type { RunSummary } from "../../../sync/reconcile.ts";
import { passOutcome } from "./sync.ts";

const run = (over: Partial<RunSummary>): RunSummary => ({
  repository: "acme/widgets",
  platform: "github",
  status: "completed",
  pulled: 0,
  pushed: 0,
  created: 0,
  conflicts: 0,
  failed: 0,
  pending: 0,
  requests: 1,
  duration_ms: 1,
  errors: [],
  dry_run: false,
  ...over,
});

Deno.test("passOutcome() reports a clean pass as synced", () => {
  assertEquals(passOutcome(run({})), { sync_status: "synced" });
});

Deno.test("passOutcome() reports a pass that met the forge down as pending, with the reason", () => {
  const out = passOutcome(run({ status: "failed", errors: ["pull: GitHub answered 503."] }));
  assertEquals(out.sync_status, "pending");
  assertStringIncludes(out.reason!, "GitHub answered 503.");
  assertStringIncludes(out.reason!, "queued");
});

Deno.test("passOutcome() reports a write refused for good as failed", () => {
  const out = passOutcome(
    run({ status: "failed", failed: 1, errors: ["update for link 1: title too long"] }),
  );
  assertEquals(out, { sync_status: "failed", reason: "update for link 1: title too long" });
});

Deno.test("passOutcome() reports a pass kept out by another process as pending", () => {
  const out = passOutcome(run({ status: "busy" }));
  assertEquals(out.sync_status, "pending");
});
