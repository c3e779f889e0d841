/**
 * `configure` of orchestrator_git_integration: set up a repository or change some of its settings —
 * its parameters and the call. The logic lives in `src/issues/configure.ts`.
 *
 * @module
 */
import { Schema } from "effect";
import { configure as configureRepository } from "../../../issues/service.ts";
import { Labels, Text } from "../../params.ts";
import { action } from "../../tool.ts";
import { Platform, Policy, Repository, StatusMapping, Url, VariableName } from "./params.ts";

const opt = Schema.optionalKey;
/** An optional setting: absent keeps it, null clears it back to its default. */
const setting = <S extends Schema.Top>(schema: S) => opt(Schema.NullOr(schema));

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
  run: (input) => configureRepository(input),
});
