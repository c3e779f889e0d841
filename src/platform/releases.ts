/**
 * The milestone, release and tag shapes of the plugin contract.
 *
 * @module
 */

/** A milestone. */
export interface RemoteMilestone {
  /** The forge's id for the milestone (GitHub number, GitLab global id, Bitbucket id), as text. */
  readonly id: string;
  readonly title: string;
  readonly state: "open" | "closed";
  readonly description: string;
  /** YYYY-MM-DD or null. */
  readonly due_on: string | null;
  readonly url: string | null;
  /**
   * The forge's global id of the milestone where it differs from `id` (GitHub: the node id its
   * GraphQL API takes), when the answer carried it. Batched writes use it to spare a lookup.
   */
  readonly global_id?: string;
}

/** A new milestone. */
export interface MilestoneDraft {
  readonly title: string;
  readonly description?: string;
  readonly due_on?: string | null;
}

/** A release (or, on Bitbucket, a tag). */
export interface RemoteRelease {
  readonly tag: string;
  readonly name: string;
  readonly body: string;
  readonly url: string | null;
}

/** A new release. */
export interface ReleaseDraft {
  readonly tag: string;
  readonly name: string;
  readonly body: string;
  /** Branch or commit to tag. */
  readonly ref?: string;
  readonly milestone?: string | null;
}

/** A new tag, where the forge has no releases (Bitbucket). */
export interface TagDraft {
  readonly name: string;
  /** The commit hash to tag (full, or abbreviated to at least 7 characters). */
  readonly target: string;
}

/** A tag. */
export interface RemoteTag {
  readonly name: string;
  /** The full hash of the commit it points at. */
  readonly target: string;
  readonly url: string | null;
}
