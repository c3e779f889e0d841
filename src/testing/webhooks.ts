/**
 * Webhook deliveries as GitHub, GitLab and Bitbucket send them — headers, a payload of the shape
 * each forge documents, and a real signature computed independently of the plugins
 * (`@octokit/webhooks-methods` for GitHub, `node:crypto` for Bitbucket, the plain token for
 * GitLab) — for tests, the demo and plugin authors.
 *
 * @example
 * ```ts ignore
 * import { webhookDelivery } from "./webhooks.ts";
 * const d = await webhookDelivery("github", { secret: "s3cret", repository: "octo-org/widgets", issue: 7 });
 * await fetch("http://127.0.0.1:8787/webhooks/github", { method: "POST", headers: d.headers, body: d.body });
 * ```
 *
 * @module
 */
import { createHmac } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";
import type { HarnessDelivery, HarnessDeliveryInput } from "./harness.ts";

/** What a delivery is about. */
export interface DeliveryOptions {
  /** The secret (GitHub, Bitbucket: HMAC key; GitLab: the token); no signature when undefined. */
  readonly secret?: string;
  /** The repository as the forge names it in payloads (`owner/repo`, `group/sub/project`, `workspace/slug`). */
  readonly repository: string;
  /** The issue number (GitLab iid, Bitbucket id); none for milestone events. */
  readonly issue?: number;
  /** The delivery id; a fresh UUID when undefined. */
  readonly deliveryId?: string;
  /** The event header's value; the platform's issue event when undefined. */
  readonly event?: string;
  /** GitLab: the project's numeric id. */
  readonly projectId?: number;
  /** Overrides the JSON body (sent as is, signed as is). */
  readonly body?: string;
}

/** A delivery ready for `fetch`. */
export interface Delivery {
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly deliveryId: string;
}

/** The platforms {@link webhookDelivery} knows. */
export type WebhookPlatform = "github" | "gitlab" | "bitbucket";

/** Builds a delivery of `platform` with its real signature or token. */
export async function webhookDelivery(
  platform: WebhookPlatform,
  options: DeliveryOptions,
): Promise<Delivery> {
  const deliveryId = options.deliveryId ?? crypto.randomUUID();
  const now = new Date().toISOString();
  switch (platform) {
    case "github": {
      const event = options.event ?? "issues";
      const [owner = "", name = ""] = options.repository.split("/");
      const body = options.body ?? JSON.stringify({
        action: "edited",
        ...(options.issue === undefined ? {} : {
          issue: {
            number: options.issue,
            title: "Edited on GitHub",
            state: "open",
            html_url: `https://github.com/${options.repository}/issues/${options.issue}`,
            updated_at: now,
          },
        }),
        repository: { id: 1296269, name, full_name: options.repository, owner: { login: owner } },
        sender: { login: "octocat" },
      });
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "user-agent": "GitHub-Hookshot/sandbox",
        "x-github-event": event,
        "x-github-delivery": deliveryId,
        "x-github-hook-id": "1",
      };
      if (options.secret !== undefined) headers["x-hub-signature-256"] = await sign(options.secret, body);
      return { headers, body, deliveryId };
    }
    case "gitlab": {
      const event = options.event ?? "Issue Hook";
      const body = options.body ?? JSON.stringify({
        object_kind: "issue",
        event_type: "issue",
        user: { id: 1, username: "root" },
        project: {
          id: options.projectId ?? 4242,
          path_with_namespace: options.repository,
          web_url: `https://gitlab.com/${options.repository}`,
        },
        object_attributes: {
          id: 9000 + (options.issue ?? 0),
          iid: options.issue,
          title: "Edited on GitLab",
          action: "update",
          state: "opened",
          updated_at: now,
        },
      });
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "user-agent": "GitLab/17.4.0",
        "x-gitlab-event": event,
        "x-gitlab-event-uuid": deliveryId,
        "idempotency-key": deliveryId,
        "x-gitlab-instance": "https://gitlab.com",
      };
      if (options.secret !== undefined) headers["x-gitlab-token"] = options.secret;
      return { headers, body, deliveryId };
    }
    case "bitbucket": {
      const event = options.event ?? "issue:updated";
      const body = options.body ?? JSON.stringify({
        actor: { display_name: "Sandbox User", account_id: "557058:sandbox" },
        issue: options.issue === undefined
          ? undefined
          : { id: options.issue, title: "Edited on Bitbucket", state: "open", updated_on: now },
        repository: {
          full_name: options.repository,
          name: options.repository.split("/")[1],
          uuid: "{c0ffee00-0000-4000-8000-000000000000}",
        },
        changes: { title: { old: "Before", new: "Edited on Bitbucket" } },
      });
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "user-agent": "Bitbucket-Webhooks/2.0",
        "x-event-key": event,
        "x-request-uuid": deliveryId,
        "x-hook-uuid": "{5ca1ab1e-0000-4000-8000-000000000000}",
        "x-attempt-number": "1",
      };
      if (options.secret !== undefined) {
        headers["x-hub-signature"] = `sha256=${
          createHmac("sha256", options.secret).update(body).digest("hex")
        }`;
      }
      return { headers, body, deliveryId };
    }
  }
}

/** The push event of each platform: a delivery forgesync ignores. */
export const PUSH_EVENTS: Readonly<Record<WebhookPlatform, string>> = {
  github: "push",
  gitlab: "Push Hook",
  bitbucket: "repo:push",
};

/** A push payload of the shape each forge documents (no issue in it). */
function pushBody(platform: WebhookPlatform, repository: string, projectId?: number): string {
  const before = "0".repeat(40);
  const after = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
  switch (platform) {
    case "github":
      return JSON.stringify({
        ref: "refs/heads/main",
        before,
        after,
        repository: { id: 1296269, name: repository.split("/")[1], full_name: repository },
        pusher: { name: "octocat" },
        commits: [],
      });
    case "gitlab":
      return JSON.stringify({
        object_kind: "push",
        event_name: "push",
        ref: "refs/heads/main",
        before,
        after,
        project_id: projectId ?? 4242,
        project: { id: projectId ?? 4242, path_with_namespace: repository },
        commits: [],
      });
    case "bitbucket":
      return JSON.stringify({
        actor: { display_name: "Sandbox User" },
        repository: { full_name: repository, name: repository.split("/")[1] },
        push: { changes: [{ new: { type: "branch", name: "main", target: { hash: after } } }] },
      });
  }
}

/** The header each platform authenticates a delivery with, and whether it covers the body. */
const SIGNATURES: Readonly<Record<WebhookPlatform, { header: string; bodySigned: boolean }>> = {
  github: { header: "x-hub-signature-256", bodySigned: true },
  gitlab: { header: "x-gitlab-token", bodySigned: false },
  bitbucket: { header: "x-hub-signature", bodySigned: true },
};

/**
 * A sandbox harness's {@link SandboxHarness.webhookDelivery}: a signed delivery about one issue of
 * `repository` (or, for `event: "other"`, a push), as `Headers` and raw bytes.
 *
 * @example
 * ```ts ignore
 * const d = await harnessWebhookDelivery("github", "sandbox-org/widgets", { secret: "s3cret", issueNumber: 7 });
 * await githubWebhooks.verify(d, "s3cret"); // true
 * ```
 */
export async function harnessWebhookDelivery(
  platform: WebhookPlatform,
  repository: string,
  input: HarnessDeliveryInput,
  options: { readonly projectId?: number } = {},
): Promise<HarnessDelivery> {
  const other = input.event === "other";
  const d = await webhookDelivery(platform, {
    secret: input.secret,
    repository,
    issue: other ? undefined : input.issueNumber,
    deliveryId: input.deliveryId,
    event: other ? PUSH_EVENTS[platform] : undefined,
    projectId: options.projectId,
    body: other ? pushBody(platform, repository, options.projectId) : undefined,
  });
  return {
    headers: new Headers(d.headers),
    body: new TextEncoder().encode(d.body),
    signatureHeader: SIGNATURES[platform].header,
    bodySigned: SIGNATURES[platform].bodySigned,
  };
}
