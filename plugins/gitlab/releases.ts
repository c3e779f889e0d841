/**
 * Releases on GitLab (`POST /projects/:id/releases`): a missing tag is made on the release's ref
 * (the project's default branch unless given), and the release's milestone is linked. GitLab does
 * not generate notes through this API.
 *
 * @module
 */
import { Effect } from "effect";
import type { PlatformError, ReleaseDraft, RemoteRelease, RepoRef } from "../../src/platform/mod.ts";
import { context, type GitLabClient, run } from "./client.ts";

/**
 * Creates a release. A release of the tag that already exists (409) is that release: a create
 * whose answer was lost landed (GitLab keeps one release per tag), and it is read back rather than
 * refused.
 */
export function createRelease(
  client: GitLabClient,
  repo: RepoRef,
  draft: ReleaseDraft,
): Effect.Effect<RemoteRelease, PlatformError> {
  return Effect.gen(function* () {
    const c = context(client, repo, `create the release "${draft.tag}" in "${repo.path}"`);
    const ref = draft.ref ?? (yield* run(c, () => client.api.project(repo.path))).default_branch ?? undefined;
    const fields: Record<string, unknown> = { tagName: draft.tag, name: draft.name, description: draft.body };
    if (ref !== undefined) fields.ref = ref;
    if (draft.milestone !== undefined && draft.milestone !== null) fields.milestones = [draft.milestone];
    const release = yield* run(c, () => client.api.createRelease(repo.path, fields)).pipe(
      Effect.catchIf(
        (e) => e.status === 409,
        (refused) =>
          run(
            context(client, repo, `read the release "${draft.tag}" of "${repo.path}"`),
            () => client.api.release(repo.path, draft.tag),
          ).pipe(Effect.catch(() => Effect.fail(refused))),
      ),
    );
    return {
      tag: release.tag_name,
      name: release.name ?? draft.name,
      body: release.description ?? "",
      url: release._links?.self ?? null,
    };
  });
}
