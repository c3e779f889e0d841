import { assertEquals } from "../testing/assert.ts";
import { planChanged, type PlanFields } from "./save_plan.ts";
import type { Release } from "../store/releases_repo.ts";

const release: Release = {
  release_id: 1,
  release_version: "v1.0.0",
  platform: "github",
  repository: "org/repo",
  milestone_name: "v1.0.0",
  platform_milestone_id: "7",
  milestone_url: null,
  target_date: "2026-12-01",
  description: null,
  included_features: ["f1", "f2"],
  assigned_issues: [3, 5],
  status: "active",
  tag_name: null,
  tag_ref: null,
  release_url: null,
  notes: null,
  created_at: "2026-11-01T00:00:00Z",
  updated_at: "2026-11-01T00:00:00Z",
  tagged_at: null,
  cancelled_at: null,
};

const same: PlanFields = {
  milestone_name: "v1.0.0",
  target_date: "2026-12-01",
  platform_milestone_id: "7",
  milestone_url: null,
  description: null,
  included_features: '["f1","f2"]',
  assigned_issues: "[3,5]",
  status: "active",
};

Deno.test("planChanged() is false for the plan as recorded, so a repeated plan_release writes nothing", () => {
  assertEquals(planChanged(release, same), false);
});

Deno.test("planChanged() is true for a release not recorded yet and for any field that differs", () => {
  assertEquals(planChanged(undefined, same), true);
  assertEquals(planChanged(release, { ...same, assigned_issues: "[3,5,8]" }), true);
  assertEquals(planChanged(release, { ...same, included_features: '["f1"]' }), true);
  assertEquals(planChanged(release, { ...same, status: "planning" }), true);
});
