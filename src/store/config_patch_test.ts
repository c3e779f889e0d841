import { assertEquals } from "../testing/assert.ts";
import { patchSettings, SETTING_KEYS } from "./config_patch.ts";
import { unsavedConfig } from "./configs.ts";

const identity = { platform: "github", repository: "o/r", repository_url: "o/r" };
const existing = {
  ...unsavedConfig(identity),
  config_id: 7,
  api_token_name: "ACME_TOKEN",
  default_labels: ["a"],
  auto_sync_enabled: false,
  issue_template: "{{body}}",
  conflict_policy: "manual" as const,
  status_mapping: { in_progress: "doing" },
  webhook_secret_name: "HOOK_SECRET",
  api_url: "https://ghe.example.com/api/v3",
  created_at: "2026-01-01",
  updated_at: "2026-01-01",
};

Deno.test("patchSettings() keeps every setting it is not given", () => {
  assertEquals(patchSettings(identity, existing, {}), existing);
  assertEquals(patchSettings(identity, existing, { conflict_policy: "remote_wins" }), {
    ...existing,
    conflict_policy: "remote_wins",
  });
});

Deno.test("patchSettings() clears a setting given null back to its default", () => {
  const defaults = unsavedConfig(identity);
  for (const key of SETTING_KEYS) {
    assertEquals(
      patchSettings(identity, existing, { [key]: null }),
      { ...existing, [key]: defaults[key] },
      key,
    );
  }
});

Deno.test("patchSettings() starts a new repository from the defaults", () => {
  assertEquals(patchSettings(identity, undefined, { default_labels: ["x"], api_url: null }), {
    ...unsavedConfig(identity),
    default_labels: ["x"],
  });
});

Deno.test("patchSettings() takes the repository text given now", () => {
  const next = patchSettings({ ...identity, repository_url: "https://github.com/o/r" }, existing, {});
  assertEquals(next.repository_url, "https://github.com/o/r");
  assertEquals(next.config_id, 7);
});
