/**
 * What `configure` does to a repository's settings (SPEC §12): on an existing repository it
 * changes only the settings it is given, and `null` clears one back to its default; a new
 * repository starts from the defaults. Pure, so that the rule is tested on its own.
 *
 * @module
 */
import type { ConflictPolicy } from "../domain/merge.ts";
import type { StatusLabels } from "../domain/remote_status.ts";
import { type RepoConfig, type RepoConfigInput, unsavedConfig } from "./configs.ts";

/** The settings a `configure` call may give: absent keeps, `null` clears, a value sets. */
export interface SettingsPatch {
  readonly api_token_name?: string | null;
  readonly default_labels?: readonly string[] | null;
  readonly auto_sync_enabled?: boolean | null;
  readonly issue_template?: string | null;
  readonly conflict_policy?: ConflictPolicy | null;
  readonly status_mapping?: Partial<StatusLabels> | null;
  readonly webhook_secret_name?: string | null;
  readonly api_url?: string | null;
}

/** The settable keys, in the order configurations list them. */
export const SETTING_KEYS = [
  "api_token_name",
  "default_labels",
  "auto_sync_enabled",
  "issue_template",
  "conflict_policy",
  "status_mapping",
  "webhook_secret_name",
  "api_url",
] as const satisfies ReadonlyArray<keyof SettingsPatch>;

/**
 * The configuration to save: `existing` (or the defaults) with `patch` applied.
 *
 * @example
 * ```ts ignore
 * const next = patchSettings(existing, { conflict_policy: "manual", issue_template: null });
 * // every other setting of `existing` is kept
 * ```
 */
export function patchSettings(
  identity: { readonly platform: string; readonly repository: string; readonly repository_url: string },
  existing: RepoConfig | undefined,
  patch: SettingsPatch,
): RepoConfig {
  const defaults = unsavedConfig(identity);
  const base: RepoConfig = existing === undefined ? defaults : { ...existing, ...identity };
  const out: Record<string, unknown> = { ...base };
  for (const key of SETTING_KEYS) {
    const value = patch[key];
    if (value === undefined) continue;
    out[key] = value === null ? defaults[key] : value;
  }
  return out as unknown as RepoConfig;
}

/** The saved form of a configuration. */
export function toInput(config: RepoConfig): RepoConfigInput {
  const { config_id: _, created_at: __, updated_at: ___, ...input } = config;
  return input;
}
