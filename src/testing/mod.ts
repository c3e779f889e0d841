/**
 * Testing support, exported as `@forgesync/forgesync/testing`: the sandbox forges (GitHub, GitLab,
 * Bitbucket) with their harnesses and scriptable faults, and the plugin conformance kit.
 *
 * @example
 * ```ts ignore
 * import plugin from "./plugins/my_forge/mod.ts";
 * import { runConformance } from "@forgesync/forgesync/testing";
 * import { createMyForgeSandbox } from "./plugins/my_forge/sandbox.ts";
 * Deno.test("my forge conforms", (t) => runConformance(t, { plugin, harness: createMyForgeSandbox }));
 * ```
 *
 * @module
 */
export {
  type ConformanceOptions,
  conformanceProperties,
  type ConformanceProperty,
  type ConformanceSkip,
  runConformance,
} from "./conformance.ts";
export type {
  HarnessDelivery,
  HarnessDeliveryInput,
  HarnessFactory,
  RemoteDraft,
  RemoteEdit,
  SandboxHarness,
  SandboxIssue,
} from "./harness.ts";
export {
  type Fault,
  type FaultMatch,
  Faults,
  type FaultStyle,
  listen,
  type Listening,
  type LoggedRequest,
  type RecordedExchange,
  RequestLog,
  sandboxMiddleware,
} from "./sandbox.ts";
export { createGitHubSandbox, type GitHubSandbox, type GitHubSandboxOptions } from "./github_sandbox.ts";
export { createGitLabSandbox, type GitLabSandbox, type GitLabSandboxOptions } from "./gitlab_sandbox.ts";
export {
  type BitbucketSandbox,
  type BitbucketSandboxOptions,
  createBitbucketSandbox,
} from "./bitbucket_sandbox.ts";
export {
  type Delivery,
  type DeliveryOptions,
  harnessWebhookDelivery,
  PUSH_EVENTS,
  webhookDelivery,
  type WebhookPlatform,
} from "./webhooks.ts";
