/**
 * Parameters shared by the Git integration actions.
 *
 * @module
 */
import { Schema } from "effect";
import { CONFLICT_POLICIES } from "../../../domain/merge.ts";
import { FeatureId, Labels, Limit, Login, TaskId, Text, Title } from "../../params.ts";
import { credentialsIn, maskCredentials } from "../../../platform/credentials.ts";

/**
 * Refuses a string carrying credentials (a URL password, a token): it must never be stored or
 * echoed. The message shows the value masked.
 */
const noCredentials = Schema.makeFilter<string>((s) =>
  credentialsIn(s) === undefined ||
  `carries credentials ("${maskCredentials(s).slice(0, 200)}"): give it without a password or token, ` +
    "and name the variable holding the token with api_token_name"
);

/** A platform id (github, gitlab, bitbucket, or a plugin's). */
export const Platform = Schema.String.check(
  Schema.isPattern(/^[a-z][a-z0-9_-]{0,30}$/u, {
    message: "must be a platform id such as github, gitlab or bitbucket",
  }),
).annotate({ description: "Platform: github, gitlab, bitbucket (or a loaded plugin's id)." });

/** A repository path or URL. */
export const Repository = Schema.String.check(
  // First: the description of a schema with several checks goes on the last one, which must be
  // one JSON Schema can show (a custom filter is left out of it, with its description).
  noCredentials,
  Schema.isMaxLength(500, { message: "must be at most 500 characters" }),
  Schema.isPattern(/\S/u, { message: "must not be blank" }),
).annotate({
  description:
    "Repository: owner/repo, group/sub/project, workspace/slug, or its URL. Optional when only one " +
    "repository is configured.",
});

/** The NAME of an environment variable (never a secret value). */
export const VariableName = Schema.String.check(
  Schema.isPattern(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/u, {
    message: "must be the NAME of an environment variable (letters, digits, _), not its value",
  }),
);

/** An issue number. */
export const IssueNumber = Schema.Int.check(
  Schema.isBetween({ minimum: 1, maximum: 2_147_483_647 }, { message: "must be a positive whole number" }),
);

/** A web URL. */
export const Url = Schema.String.check(
  noCredentials,
  Schema.isMaxLength(1000),
  Schema.isPattern(/^https?:\/\/[^\s]+$/u, { message: "must be an http(s) URL" }),
);

/** A conflict policy. */
export const Policy = Schema.Literals(CONFLICT_POLICIES);

/** Raw issue fields. */
export const IssueConfig = Schema.Struct({
  title: Schema.optionalKey(Title),
  body: Schema.optionalKey(Text),
  labels: Schema.optionalKey(Labels),
  assignees: Schema.optionalKey(Schema.Array(Login).check(Schema.isMaxLength(10))),
  milestone: Schema.optionalKey(Schema.NullOr(Schema.String.check(Schema.isMaxLength(255)))),
}).annotate({ description: "Issue fields: title, body, labels, assignees, milestone (title)." });

/** Status label names overriding the defaults. */
export const StatusMapping = Schema.Struct({
  in_progress: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(100))),
  blocked: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(100))),
  failed: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(100))),
  cancelled: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(100))),
}).annotate({
  description:
    'Label names that carry a status (defaults "status: in progress", "status: blocked", "status: failed", ' +
    '"status: cancelled").',
});

/** The parameters that name one link: by its id, its item or its issue, in a repository. */
export const LinkSelector = {
  link_id: Schema.optionalKey(Schema.Int),
  task_id: Schema.optionalKey(TaskId),
  feature_id: Schema.optionalKey(FeatureId),
  issue_number: Schema.optionalKey(IssueNumber),
  repository: Schema.optionalKey(Repository),
  platform: Schema.optionalKey(Platform),
};

/** `force`, shared by the actions that take it. */
export const Force = Schema.Boolean.annotate({
  description:
    "create_issue: create the issue of a feature that is not approved yet. sync_status: also send " +
    "again the writes the forge refused before (parked; status lists them).",
});

/** The parameters of `import_issues` (also the options of the `import` command). */
export const ImportIssuesParams = Schema.Struct({
  repository: Schema.optionalKey(Repository),
  platform: Schema.optionalKey(Platform),
  state: Schema.optionalKey(Schema.Literals(["open", "closed", "all"])),
  labels: Schema.optionalKey(
    Labels.annotate({ description: "Import only issues carrying all of these labels." }),
  ),
  feature_id: Schema.optionalKey(
    FeatureId.annotate({ description: "Attach the imported tasks to this feature." }),
  ),
  limit: Schema.optionalKey(
    Limit.check(Schema.isLessThanOrEqualTo(100_000)).annotate({ description: "At most this many." }),
  ),
  dry_run: Schema.optionalKey(Schema.Boolean),
});
