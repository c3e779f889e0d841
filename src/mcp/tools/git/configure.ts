/**
 * `configure`: set up a repository for the Git integration; with `verify: true`, check access
 * against the forge first and save nothing when it fails.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import { Configs, unsavedConfig } from "../../../store/configs.ts";
import { Forges } from "../../../sync/forges.ts";
import { accessPolicy, Config } from "../../../config.ts";
import { destination } from "../../../platform/api_access.ts";
import { AppError } from "../../../domain/errors.ts";
import { toAppError } from "../../../platform/to_app_error.ts";
import { Labels, Text } from "../../params.ts";
import { action } from "../../tool.ts";
import { Platform, Policy, Repository, StatusMapping, Url, VariableName } from "./params.ts";

const opt = Schema.optionalKey;

/** The configure action. */
export const configure = action({
  description:
    "Set up a repository (platform, repository, api_token_name — the NAME of the token variable — " +
    "default_labels, auto_sync_enabled, issue_template, conflict_policy, status_mapping, webhook_secret_name, api_url); " +
    "verify: true checks access first.",
  params: Schema.Struct({
    platform: Platform,
    repository: Repository,
    api_token_name: opt(VariableName.annotate({
      description:
        "NAME of the variable holding the token (default GITHUB_TOKEN / GITLAB_TOKEN / BITBUCKET_TOKEN).",
    })),
    default_labels: opt(Labels),
    auto_sync_enabled: opt(Schema.Boolean),
    issue_template: opt(Text.annotate({
      description: "Issue body template: {{title}}, {{body}}, {{id}}, {{kind}}, {{priority}}, {{labels}}.",
    })),
    conflict_policy: opt(Policy),
    status_mapping: opt(StatusMapping),
    webhook_secret_name: opt(VariableName),
    api_url: opt(Url.annotate({ description: "API base for self-hosted forges (else <PLATFORM>_API_URL)." })),
    verify: opt(Schema.Boolean.annotate({ description: "Check access against the forge before saving." })),
  }),
  run: (input) =>
    Effect.gen(function* () {
      const forges = yield* Forges;
      const configs = yield* Configs;
      const { plugin, repo, text } = yield* forges.parse(input.platform, input.repository);
      const { verify: _, platform: __, ...given } = input;
      const settings = unsavedConfig({
        ...given,
        platform: plugin.id,
        repository: repo.path,
        repository_url: text,
      });
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
        const forge = yield* forges.connect(settings);
        const info = yield* forge.client.verify(forge.repo).pipe(Effect.mapError(toAppError));
        verification = { ok: true, url: info.url, can_write: info.can_write };
      }
      const config = yield* configs.upsert(settings);
      return verification === undefined ? { config } : { config, verification };
    }),
});
