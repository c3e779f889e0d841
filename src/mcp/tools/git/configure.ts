/**
 * `configure`: set up a repository for the Git integration, or change some of its settings; with
 * `verify: true`, check access against the forge first and save nothing when it fails.
 *
 * On a repository already configured, only the settings given change and `null` clears one back
 * to its default (SPEC §12). Without `platform`, an existing repository keeps its platform and a
 * new one is on GitHub (the task document's default).
 *
 * @module
 */
import { Effect, Schema } from "effect";
import { Configs, type RepoConfig } from "../../../store/configs.ts";
import { patchSettings, toInput } from "../../../store/config_patch.ts";
import { Forges } from "../../../forges/forges.ts";
import { accessPolicy, Config } from "../../../config.ts";
import { destination } from "../../../platform/api_access.ts";
import { AppError } from "../../../domain/errors.ts";
import { toAppError } from "../../../platform/to_app_error.ts";
import { Labels, Text } from "../../params.ts";
import { action } from "../../tool.ts";
import { Platform, Policy, Repository, StatusMapping, Url, VariableName } from "./params.ts";

const opt = Schema.optionalKey;
/** An optional setting: absent keeps it, null clears it back to its default. */
const setting = <S extends Schema.Top>(schema: S) => opt(Schema.NullOr(schema));

/** The platform a new repository gets when the call names none. */
export const DEFAULT_PLATFORM = "github";

/** The platform of `repository` when it is configured (the call named no platform), else undefined. */
const existingPlatform = (repository: string) =>
  Configs.use((c) => c.resolve(repository)).pipe(
    Effect.map((cfg): string | undefined => cfg.platform),
    Effect.catch((e) =>
      e.code === "NOT_CONFIGURED" ? Effect.succeed(undefined) : Effect.fail(AppError.validation(
        `Repository "${repository.slice(0, 200)}" is configured on several platforms.`,
        `Pass platform to say which one: ${e.hint}`,
      ))
    ),
  );

/** The configure action. */
export const configure = action({
  destructive: true,
  description: "Set up a repository, or change some of its settings (platform — default github —, " +
    "repository, api_token_name — the NAME of the token variable —, default_labels, auto_sync_enabled, " +
    "issue_template, conflict_policy, status_mapping, webhook_secret_name, api_url). On a configured repository " +
    "only the settings given change; null clears one to its default. verify: true checks access first.",
  params: Schema.Struct({
    platform: opt(Platform.annotate({
      description:
        "Platform: github (default for a new repository), gitlab, bitbucket, or a loaded plugin's id. " +
        "Omitted for a configured repository: its own platform.",
    })),
    repository: Repository,
    api_token_name: setting(VariableName.annotate({
      description: "NAME of the variable holding the token: GITHUB_TOKEN / GITLAB_TOKEN / BITBUCKET_TOKEN " +
        "(the default) or a name listed in FORGESYNC_TOKEN_VARIABLES. null: back to the default.",
    })),
    default_labels: setting(Labels),
    auto_sync_enabled: setting(Schema.Boolean),
    issue_template: setting(Text.annotate({
      description: "Issue body template: {{title}}, {{body}}, {{id}}, {{kind}}, {{priority}}, {{labels}}.",
    })),
    conflict_policy: setting(Policy),
    status_mapping: setting(StatusMapping),
    webhook_secret_name: setting(VariableName),
    api_url: setting(Url.annotate({
      description:
        "API base for self-hosted forges: only the platform's public API, its <PLATFORM>_API_URL, or a " +
        "host listed in FORGESYNC_ALLOWED_API_HOSTS. null: back to the default.",
    })),
    verify: opt(Schema.Boolean.annotate({ description: "Check access against the forge before saving." })),
  }),
  run: (input) =>
    Effect.gen(function* () {
      const forges = yield* Forges;
      const configs = yield* Configs;
      const platform = input.platform ?? (yield* existingPlatform(input.repository)) ?? DEFAULT_PLATFORM;
      const { plugin, repo, text } = yield* forges.parse(platform, input.repository).pipe(
        Effect.mapError((e) =>
          input.platform === undefined && e.code === "VALIDATION_ERROR"
            ? new AppError({
              ...e,
              hint:
                `${e.hint} No platform was given, so ${platform} was assumed: pass platform for another forge.`,
            })
            : e
        ),
      );
      const { verify: _, platform: __, repository: ___, ...patch } = input;
      const existing: RepoConfig | undefined = (yield* configs.list()).find((c) =>
        c.platform === plugin.id && c.repository === repo.path
      );
      const settings = patchSettings(
        { platform: plugin.id, repository: repo.path, repository_url: text },
        existing,
        patch,
      );
      // A token goes only to an allowed API, from an allowed variable: refused before anything is stored.
      const to = destination(plugin, settings, accessPolicy(yield* Config));
      if (to instanceof AppError) return yield* Effect.fail(to);
      if (settings.default_labels.length > 0 && !plugin.capabilities.labels) {
        return yield* Effect.fail(AppError.unsupported(
          `default_labels were given, but ${plugin.name} issues have no labels.`,
          "Omit default_labels for this platform.",
        ));
      }
      let verification: { ok: boolean; url: string; can_write: boolean } | undefined;
      if (input.verify) {
        const forge = yield* forges.connect({ ...settings, config_id: -1 });
        const info = yield* forge.client.verify(forge.repo).pipe(Effect.mapError(toAppError));
        verification = { ok: true, url: info.url, can_write: info.can_write };
      }
      const config = yield* configs.upsert(toInput(settings));
      return verification === undefined ? { config } : { config, verification };
    }),
});
