/**
 * The platform plugin contract (SPEC §6), by concern: a plugin turns one forge's API into a small
 * set of normalized operations; the core wraps every client with retry, throttling, conditional
 * requests, request counting and redaction, so plugins contain none of that.
 *
 * - `plugin.ts`: the plugin (identity, capabilities, `connect`) and what the core hands it;
 * - `client.ts`: the connected client's operations;
 * - `issue.ts`, `releases.ts`, `boards.ts`: the shapes they take and answer;
 * - `webhooks.ts`: webhook deliveries and events;
 * - `refs.ts`: a repository, an issue in a batch, a batch's results.
 *
 * This module gathers them (the core imports it); plugins import only the contract, `mod.ts`
 * (`./plugin`), which re-exports this module and the shared helpers.
 *
 * @module
 */
export {
  DEFAULT_STATUS_LABELS,
  REMOTE_STATUSES,
  type RemoteStatus,
  type StatusLabels,
} from "../domain/remote_status.ts";
export type { BatchResults, IssueKey, RepoRef } from "./refs.ts";
export * from "./issue.ts";
export * from "./releases.ts";
export * from "./webhooks.ts";
export * from "./client.ts";
export * from "./plugin.ts";
