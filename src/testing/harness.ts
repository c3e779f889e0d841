/**
 * The harness a sandbox forge offers to the conformance kit, the sync scenarios and the benchmarks:
 * a running sandbox with one writable repository and a valid token, plus direct access to its
 * state (edits "made by a person on the forge", seeding, deletion) and its faults and request log,
 * and — for the conformance kit's webhook property — signed deliveries as the forge would send them.
 *
 * @module
 */
import { Redacted } from "effect";
import type { IssuePatch, PluginEnv, RemoteIssue } from "../platform/types.ts";
import { DEFAULT_STATUS_LABELS } from "../platform/types.ts";
import type { Faults, RequestLog } from "./sandbox.ts";

/**
 * Fields a person can change on the forge: the fields of an {@link IssuePatch} (labels are the
 * non-status labels, and replace the set).
 */
export type RemoteEdit = IssuePatch;

/** A new issue made directly in the sandbox. */
export interface RemoteDraft extends RemoteEdit {
  readonly title: string;
}

/** What the sandbox holds for one issue, in normalized terms (independent of any plugin). */
export interface SandboxIssue extends
  Pick<
    RemoteIssue,
    "number" | "title" | "body" | "status" | "labels" | "assignees" | "milestone" | "updated_at"
  > {
  readonly deleted: boolean;
}

/** What {@link SandboxHarness.webhookDelivery} is asked to build. */
export interface HarnessDeliveryInput {
  /** The webhook's secret (the HMAC key, or the token itself where the forge sends a plain token). */
  readonly secret: string;
  /** The issue the delivery is about. */
  readonly issueNumber: number;
  /** An issue event (default) or an event forgesync ignores (a push). */
  readonly event?: "issue" | "other";
  /** The delivery id the forge puts in its header; a fresh UUID when undefined. */
  readonly deliveryId?: string;
}

/** A webhook delivery of the harness's repository, signed as the forge signs it. */
export interface HarnessDelivery {
  readonly headers: Headers;
  /** The raw body, byte for byte as signed. */
  readonly body: Uint8Array;
  /** The header that carries the signature or token (lower case), e.g. `x-hub-signature-256`. */
  readonly signatureHeader: string;
  /**
   * Whether the signature covers the body (an HMAC of it). False where the forge sends the secret as
   * a plain token (GitLab's `X-Gitlab-Token`): a changed body cannot be detected there.
   */
  readonly bodySigned: boolean;
}

/** A running sandbox forge with one repository ready for a plugin. */
export interface SandboxHarness {
  /** Plugin id this sandbox imitates. */
  readonly platform: string;
  /** The API base URL a plugin should be given (`GITHUB_API_URL`-style). */
  readonly apiUrl: string;
  /** A repository string the plugin parses; it exists and the token can write to it. */
  readonly repository: string;
  /** A valid token with write access. */
  readonly token: string;
  /** Extra environment a plugin needs (e.g. `BITBUCKET_EMAIL`). */
  readonly env: Readonly<Record<string, string>>;
  /** Logins that can be assigned. */
  readonly users: readonly string[];
  /** Milestone titles that exist. */
  readonly milestones: readonly string[];
  readonly faults: Faults;
  readonly log: RequestLog;
  /** Creates `count` issues directly in the state, with distinct, increasing past timestamps. */
  seedIssues(count: number, make?: (i: number) => RemoteDraft): Promise<number[]>;
  /** Creates one issue as a person would. Returns its number. */
  remoteCreate(draft: RemoteDraft): Promise<number>;
  /** Changes an issue as a person would (its updated_at moves forward). */
  remoteEdit(number: number, edit: RemoteEdit): Promise<void>;
  /** Deletes an issue (reads answer 404 or 410 afterwards, as the forge does). */
  deleteIssue(number: number): Promise<void>;
  /** The issue as the sandbox holds it, or undefined. */
  readIssue(number: number): SandboxIssue | undefined;
  /** Every issue number of the repository (deleted ones excluded). */
  issueNumbers(): number[];
  /**
   * Builds a webhook delivery about one issue of {@link repository}, with the headers, payload and
   * signature the forge sends (built independently of any plugin). Optional: the conformance kit
   * skips its webhook property when a harness lacks it.
   */
  webhookDelivery?(input: HarnessDeliveryInput): Promise<HarnessDelivery>;
  /** The remaining request budget, where the forge has one. */
  budget?(): { readonly remaining: number; readonly limit: number };
  /** Stops the sandbox. */
  close(): Promise<void>;
}

/** Starts a fresh sandbox. */
export type HarnessFactory = () => Promise<SandboxHarness>;

/**
 * The plugin environment for a harness (its API, its token as `CONFORMANCE_TOKEN`, its variables,
 * the default status labels), without the `fetch`, which the caller chooses.
 */
export function harnessEnv(harness: SandboxHarness): Omit<PluginEnv, "fetch"> {
  return {
    apiUrl: harness.apiUrl,
    token: Redacted.make(harness.token),
    tokenVariable: "CONFORMANCE_TOKEN",
    env: (name) => harness.env[name],
    userAgent: "forgesync-conformance",
    statusLabels: DEFAULT_STATUS_LABELS,
  };
}
