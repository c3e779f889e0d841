/**
 * Releases on Bitbucket Cloud: it has none (capability `releases: false`); a release is marked
 * with a tag instead (`createTag`, `POST …/refs/tags {name, target: {hash}}`).
 *
 * @module
 */
import { Effect } from "effect";
import { PlatformError, type RemoteTag, type RepoRef, type TagDraft } from "../../src/platform/mod.ts";
import type { BitbucketClient } from "./client.ts";

interface TagJson {
  readonly name?: string;
  readonly target?: { readonly hash?: string };
  readonly links?: { readonly html?: { readonly href?: string } };
}

function toRemoteTag(body: TagJson | null, draft: TagDraft): RemoteTag {
  return {
    name: body?.name ?? draft.name,
    target: body?.target?.hash ?? draft.target,
    url: body?.links?.html?.href ?? null,
  };
}

/**
 * Creates a tag. A tag that already exists on the same commit is the tag asked for (a retried
 * create whose first answer was lost), not a failure; on another commit it is `Invalid`.
 */
export function createTag(
  client: BitbucketClient,
  repo: RepoRef,
  draft: TagDraft,
): Effect.Effect<RemoteTag, PlatformError> {
  return Effect.gen(function* () {
    const subject = { repo: repo.path, what: `tag "${draft.name}"` };
    const answer = yield* client.send("POST", client.repoUrl(repo, "/refs/tags"), {
      name: draft.name,
      target: { hash: draft.target },
    });
    if (answer.status >= 200 && answer.status < 300) return toRemoteTag(answer.body as TagJson | null, draft);
    const failure = client.failure(answer, subject);
    if (answer.status !== 400 || !/already exists/i.test(JSON.stringify(answer.body ?? ""))) {
      return yield* Effect.fail(failure);
    }
    const existing = yield* client.request<TagJson | null>(
      "GET",
      client.repoUrl(repo, `/refs/tags/${encodeURIComponent(draft.name)}`),
      subject,
    );
    const hash = existing.body?.target?.hash ?? "";
    if (hash === "" || !hash.startsWith(draft.target.toLowerCase())) {
      return yield* Effect.fail(
        new PlatformError({
          reason: "Invalid",
          status: 400,
          message: `Tag "${draft.name}" already exists in ${repo.path} on another commit (${
            hash.slice(0, 12)
          }).`,
          hint: "Choose another tag name, or delete the tag on Bitbucket first.",
        }),
      );
    }
    return toRemoteTag(existing.body, draft);
  });
}
