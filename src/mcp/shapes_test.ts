import { Schema } from "effect";
import { assertEquals } from "../testing/assert.ts";
import { LinkShape } from "./shapes.ts";

const link = {
  link_id: 1,
  feature_id: null,
  task_id: "task_01ARZ3NDEKTSV4RRFFQ69G5FAV",
  platform: "github",
  repository: "acme/widgets",
  issue_number: 12,
  issue_url: "https://github.com/acme/widgets/issues/12",
  sync_status: "synced",
  last_synced: "2026-01-01T00:00:00.000Z",
};

Deno.test("LinkShape admits a linked issue", () => {
  assertEquals(Schema.decodeUnknownSync(LinkShape)(link), link);
});

Deno.test("LinkShape admits a pending link whose issue does not exist yet", () => {
  const pending = { ...link, issue_number: null, issue_url: null, sync_status: "pending", last_synced: null };
  assertEquals(Schema.decodeUnknownSync(LinkShape)(pending), pending);
});
