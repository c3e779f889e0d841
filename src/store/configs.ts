/**
 * Repository configurations (`git_integration_config`): which repository on which platform, the
 * NAME of the token variable (never the token), labels, template, policy and status labels.
 *
 * @module
 */
import { Context, Effect, Layer } from "effect";
import { Db } from "./db.ts";
import { AppError } from "../domain/errors.ts";
import { nowIso } from "../domain/ids.ts";
import type { ConflictPolicy } from "../domain/merge.ts";
import type { StatusLabels } from "../domain/remote_status.ts";
import { parseStringArray } from "./rows.ts";

/** A configured repository. */
export interface RepoConfig {
  readonly config_id: number;
  readonly platform: string;
  /** Canonical repository path as the plugin parsed it. */
  readonly repository: string;
  /** The repository as the user gave it. */
  readonly repository_url: string;
  readonly api_token_name: string | null;
  readonly default_labels: readonly string[];
  readonly auto_sync_enabled: boolean;
  readonly issue_template: string | null;
  readonly conflict_policy: ConflictPolicy;
  /** Status label names overriding the defaults. */
  readonly status_mapping: Partial<StatusLabels> | null;
  readonly webhook_secret_name: string | null;
  readonly api_url: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

/** The settable fields of a configuration. */
export interface RepoConfigInput {
  readonly platform: string;
  readonly repository: string;
  readonly repository_url: string;
  readonly api_token_name?: string | null;
  readonly default_labels?: readonly string[];
  readonly auto_sync_enabled?: boolean;
  readonly issue_template?: string | null;
  readonly conflict_policy?: ConflictPolicy;
  readonly status_mapping?: Partial<StatusLabels> | null;
  readonly webhook_secret_name?: string | null;
  readonly api_url?: string | null;
}

function rowToConfig(row: Record<string, unknown>): RepoConfig {
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    config_id: Number(row.id),
    platform: String(row.platform),
    repository: String(row.repository ?? row.repository_url),
    repository_url: String(row.repository_url),
    api_token_name: str(row.api_token_name),
    default_labels: parseStringArray(row.default_labels),
    auto_sync_enabled: row.auto_sync_enabled === null || row.auto_sync_enabled === undefined
      ? true
      : Boolean(Number(row.auto_sync_enabled)),
    issue_template: str(row.issue_template),
    conflict_policy: String(row.conflict_policy ?? "newest_wins") as ConflictPolicy,
    status_mapping: row.status_mapping ? JSON.parse(String(row.status_mapping)) : null,
    webhook_secret_name: str(row.webhook_secret_name),
    api_url: str(row.api_url),
    created_at: String(row.created_at ?? ""),
    updated_at: String(row.updated_at ?? row.created_at ?? ""),
  };
}

/** A configuration not saved yet (to test access before saving it), with the defaults filled in. */
export function unsavedConfig(input: RepoConfigInput): RepoConfig {
  return {
    config_id: -1,
    platform: input.platform,
    repository: input.repository,
    repository_url: input.repository_url,
    api_token_name: input.api_token_name ?? null,
    default_labels: input.default_labels ?? [],
    auto_sync_enabled: input.auto_sync_enabled ?? true,
    issue_template: input.issue_template ?? null,
    conflict_policy: input.conflict_policy ?? "newest_wins",
    status_mapping: input.status_mapping ?? null,
    webhook_secret_name: input.webhook_secret_name ?? null,
    api_url: input.api_url ?? null,
    created_at: "",
    updated_at: "",
  };
}

/** The configurations service. */
export class Configs extends Context.Service<Configs, {
  list(): Effect.Effect<RepoConfig[]>;
  get(configId: number): Effect.Effect<RepoConfig, AppError>;
  /**
   * The configuration a call means: by repository (and platform) when given, else the only one.
   * Fails with NOT_CONFIGURED when none exists, or VALIDATION_ERROR when several could be meant.
   */
  resolve(repository?: string, platform?: string): Effect.Effect<RepoConfig, AppError>;
  /** Creates or replaces the configuration of (platform, repository). */
  upsert(input: RepoConfigInput): Effect.Effect<RepoConfig, AppError>;
}>()("forgesync/store/Configs") {
  /** The service over {@link Db}. */
  static readonly layer: Layer.Layer<Configs, never, Db> = Layer.effect(
    Configs,
    Effect.gen(function* () {
      const db = yield* Db;
      const list = () =>
        db.query("SELECT * FROM git_integration_config ORDER BY id").pipe(
          Effect.map((r) => r.map(rowToConfig)),
        );
      const get = (configId: number) =>
        db.query("SELECT * FROM git_integration_config WHERE id = ?", [configId]).pipe(
          Effect.flatMap((rows) =>
            rows.length === 0
              ? Effect.fail(AppError.notFound(
                `No repository configuration has id ${configId}.`,
                `Call orchestrator_git_integration {action:"status"} to see configured repositories.`,
              ))
              : Effect.succeed(rowToConfig(rows[0]!))
          ),
        );
      const resolve = (repository?: string, platform?: string) =>
        Effect.gen(function* () {
          const all = yield* list();
          if (all.length === 0) {
            return yield* Effect.fail(AppError.notConfigured(
              "No repository is configured for the Git integration.",
              `Call orchestrator_git_integration {action:"configure", platform:"github", repository:"owner/repo"} first.`,
            ));
          }
          const wanted = repository?.trim().replace(/\.git$/, "").replace(/\/+$/, "").toLowerCase();
          const matches = all.filter((c) =>
            (platform === undefined || c.platform === platform) &&
            (wanted === undefined || c.repository.toLowerCase() === wanted ||
              c.repository_url.toLowerCase().replace(/\.git$/, "").replace(/\/+$/, "") === wanted ||
              c.repository_url.toLowerCase().endsWith(`/${wanted}`))
          );
          if (matches.length === 1) return matches[0]!;
          const known = all.map((c) => `${c.platform}:${c.repository}`).join(", ");
          if (matches.length === 0) {
            return yield* Effect.fail(AppError.notConfigured(
              repository === undefined
                ? `No repository is configured for platform "${platform}".`
                : `Repository "${repository.slice(0, 200)}" is not configured${
                  platform ? ` on ${platform}` : ""
                }.`,
              `Configured: ${known}. Configure it with {action:"configure", platform, repository}.`,
            ));
          }
          return yield* Effect.fail(AppError.validation(
            "Several repositories are configured, so repository is required.",
            `Pass repository (one of: ${known}).`,
          ));
        });
      const upsert = (input: RepoConfigInput) =>
        Effect.gen(function* () {
          const now = nowIso();
          yield* db.write(async (tx) => {
            await tx.execute(
              `INSERT INTO git_integration_config (platform, repository, repository_url, api_token_name, default_labels,
                 auto_sync_enabled, issue_template, conflict_policy, status_mapping, webhook_secret_name, api_url,
                 created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (platform, repository) DO UPDATE SET repository_url = excluded.repository_url,
                 api_token_name = excluded.api_token_name, default_labels = excluded.default_labels,
                 auto_sync_enabled = excluded.auto_sync_enabled, issue_template = excluded.issue_template,
                 conflict_policy = excluded.conflict_policy, status_mapping = excluded.status_mapping,
                 webhook_secret_name = excluded.webhook_secret_name, api_url = excluded.api_url,
                 updated_at = excluded.updated_at`,
              [
                input.platform,
                input.repository,
                input.repository_url,
                input.api_token_name ?? null,
                JSON.stringify(input.default_labels ?? []),
                input.auto_sync_enabled === false ? 0 : 1,
                input.issue_template ?? null,
                input.conflict_policy ?? "newest_wins",
                input.status_mapping ? JSON.stringify(input.status_mapping) : null,
                input.webhook_secret_name ?? null,
                input.api_url ?? null,
                now,
                now,
              ],
            );
          });
          const rows = yield* db.query(
            "SELECT * FROM git_integration_config WHERE platform = ? AND repository = ?",
            [input.platform, input.repository],
          );
          return rowToConfig(rows[0]!);
        });
      return Configs.of({ list, get, resolve, upsert });
    }),
  );
}
