/**
 * A platform plugin (SPEC §6): its identity and capabilities, how it parses a repository, what
 * the core hands it when it connects, and how it connects.
 *
 * @module
 */
import type { Effect, Redacted } from "effect";
import type { PlatformError } from "./errors.ts";
import type { RemoteStatus, StatusLabels } from "../domain/remote_status.ts";
import type { RepoRef } from "./refs.ts";
import type { PlatformClient } from "./client.ts";
import type { PlatformWebhooks } from "./webhooks.ts";

/** What a platform offers beyond issues. */
export interface Capabilities {
  /** Project boards (GitHub Projects v2, GitLab issue boards). */
  readonly boards: boolean;
  /** Releases with notes. */
  readonly releases: boolean;
  /** Milestones can be read. */
  readonly milestones: boolean;
  /** Milestones can be created and closed (Bitbucket: read-only). */
  readonly milestones_write: boolean;
  /** Signed webhooks. */
  readonly webhooks: boolean;
  /** `If-None-Match` / 304 on listings (GitHub). */
  readonly conditional_requests: boolean;
  /** Free-form labels on issues. */
  readonly labels: boolean;
  /** More than one assignee per issue. */
  readonly multiple_assignees: boolean;
  /** A close reason (completed / not planned) distinct from labels. */
  readonly close_reason: boolean;
}

/** What the core hands a plugin when it connects. */
export interface PluginEnv {
  /** Status label names (for forges representing status with labels). */
  readonly statusLabels: StatusLabels;
  /** The fetch every request must use: the core adds conditional requests, counting and budgets. */
  readonly fetch: typeof fetch;
  /** API base URL (the plugin default unless the user set `<PLATFORM>_API_URL` or `api_url`). */
  readonly apiUrl: string;
  /** The token, if its variable is set. */
  readonly token: Redacted.Redacted<string> | undefined;
  /** The name of the variable the token came from, for error messages. */
  readonly tokenVariable: string;
  /** Reads another environment variable (e.g. BITBUCKET_EMAIL). */
  readonly env: (name: string) => string | undefined;
  /** The User-Agent to send. */
  readonly userAgent: string;
}

/** A repository string a plugin could not parse, with an example of the right form. */
export interface RepoParseError {
  readonly message: string;
}

/** A platform plugin (default export of `plugins/<name>/mod.ts`). */
export interface PlatformPlugin {
  /** Stable id: `github`, `gitlab`, `bitbucket`, … (also the `platform` column value). */
  readonly id: string;
  /** Human name. */
  readonly name: string;
  readonly capabilities: Capabilities;
  /** The token variable used when the configuration names none (`GITHUB_TOKEN`). */
  readonly defaultTokenVariable: string;
  /** The variable overriding the API base URL (`GITHUB_API_URL`). */
  readonly apiUrlVariable: string;
  /** The public API base URL. */
  readonly defaultApiUrl: string;
  /**
   * Statuses this forge cannot hold, and what they read back as (Bitbucket: `failed` is stored as
   * `wontfix` and reads back as `cancelled`). The core compares through this map.
   */
  readonly statusAliases?: Readonly<Partial<Record<RemoteStatus, RemoteStatus>>>;
  /** Example repository strings, shown in error messages. */
  readonly repositoryExamples: readonly string[];
  /**
   * Parses a repository given as a path or any URL form of this forge. Returns the canonical
   * {@link RepoRef} or an error whose message says what is wrong and shows the accepted forms.
   */
  parseRepository(input: string): RepoRef | RepoParseError;
  /** The hidden marker that tags an issue created for a local item. */
  marker?(kind: "feature" | "task", id: string): string;
  /** Builds a client. Fails with `Unauthorized` when the token is missing and the forge needs one. */
  connect(env: PluginEnv): Effect.Effect<PlatformClient, PlatformError>;
  /** Webhook verification and parsing, when the capability `webhooks` is set. */
  readonly webhooks?: PlatformWebhooks;
}

/** True when `value` is a {@link RepoParseError}. */
export function isRepoParseError(value: RepoRef | RepoParseError): value is RepoParseError {
  return "message" in value;
}

/** The default hidden marker: `<!-- forgesync:feature=ID -->` or `<!-- forgesync:task=ID -->`. */
export function defaultMarker(kind: "feature" | "task", id: string): string {
  return `<!-- forgesync:${kind}=${id} -->`;
}
