/**
 * Repository configurations (`git_integration_config`): which repository on which platform, the
 * NAME of the token variable (never the token), labels, template, policy and status labels.
 *
 * @module
 */
import { Context, Effect, Layer, Schema } from "effect";
import { Db } from "./db.ts";
import { AppError } from "../domain/errors.ts";
import { nowIso } from "../domain/ids.ts";
import { CONFLICT_POLICIES, type ConflictPolicy } from "../domain/merge.ts";
import type { StatusLabels } from "../domain/remote_status.ts";
import { JsonStrings } from "./rows.ts";
import { decodeRows, execute } from "./sql.ts";

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

/** A `git_integration_config` row. */
const ConfigRow = Schema.Struct({
  id: Schema.Number,
  platform: Schema.String,
  repository: Schema.NullOr(Schema.String),
  repository_url: Schema.String,
  api_token_name: Schema.NullOr(Schema.String),
  default_labels: Schema.NullOr(JsonStrings),
  auto_sync_enabled: Schema.NullOr(Schema.Number),
  issue_template: Schema.NullOr(Schema.String),
  conflict_policy: Schema.Literals(CONFLICT_POLICIES),
  status_mapping: Schema.NullOr(Schema.fromJsonString(Schema.Struct({
    in_progress: Schema.optionalKey(Schema.String),
    blocked: Schema.optionalKey(Schema.String),
    failed: Schema.optionalKey(Schema.String),
    cancelled: Schema.optionalKey(Schema.String),
  }))),
  webhook_secret_name: Schema.NullOr(Schema.String),
  api_url: Schema.NullOr(Schema.String),
  created_at: Schema.NullOr(Schema.String),
  updated_at: Schema.NullOr(Schema.String),
});

function toConfig(row: typeof ConfigRow.Type): RepoConfig {
  return {
    config_id: row.id,
    platform: row.platform,
    repository: row.repository ?? row.repository_url,
    repository_url: row.repository_url,
    api_token_name: row.api_token_name,
    default_labels: row.default_labels ?? [],
    auto_sync_enabled: row.auto_sync_enabled === null ? true : row.auto_sync_enabled !== 0,
    issue_template: row.issue_template,
    conflict_policy: row.conflict_policy,
    status_mapping: row.status_mapping,
    webhook_secret_name: row.webhook_secret_name,
    api_url: row.api_url,
    created_at: row.created_at ?? "",
    updated_at: row.updated_at ?? row.created_at ?? "",
  };
}

const configRows = decodeRows(ConfigRow);

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
      // Reads keep the service's contract: a storage fault while reading configurations is a defect.
      const read = (sql: string, args: ReadonlyArray<string | number> = []) =>
        db.reading(configRows(sql, [...args])).pipe(Effect.map((rows) => rows.map(toConfig)), Effect.orDie);
      const list = () => read("SELECT * FROM git_integration_config ORDER BY id");
      const get = (configId: number) =>
        read("SELECT * FROM git_integration_config WHERE id = ?", [configId]).pipe(
          Effect.flatMap(([found]) =>
            found === undefined
              ? Effect.fail(AppError.notFound(
                `No repository configuration has id ${configId}.`,
                `Call orchestrator_git_integration {action:"status"} to see configured repositories.`,
              ))
              : Effect.succeed(found)
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
          yield* db.transaction(execute(
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
          ));
          const [saved] = yield* read(
            "SELECT * FROM git_integration_config WHERE platform = ? AND repository = ?",
            [input.platform, input.repository],
          );
          return saved!;
        });
      return Configs.of({ list, get, resolve, upsert });
    }),
  );
}
