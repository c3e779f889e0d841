/**
 * The three-way merge of one linked item (SPEC §7), pure and property-tested.
 *
 * Each side is compared with its own half of the merge base: the local item with the values it had
 * at the last sync, the issue with the values the forge had. Scalars (title, body, status) changed
 * on one side are taken by the other; changed on both to values that do not agree, they are a
 * conflict settled by the policy and always recorded. Sets (labels, assignees) merge as sets: each
 * side gets the other's additions and removals, so nothing added on either side is lost.
 *
 * Conversions between local and remote terms are passed in, so the merge knows nothing of tasks,
 * features or forges.
 *
 * @module
 */

/** The fields a link keeps in step. */
export type ScalarField = "title" | "body" | "status";
/** The set-valued fields. */
export type SetField = "labels" | "assignees";
/** Any synced field. */
export type Field = ScalarField | SetField;

/** Every field, in a stable order. */
export const FIELDS: readonly Field[] = ["title", "body", "status", "labels", "assignees"];

/** One side's view of an item (local terms on the local side, remote terms on the remote side). */
export interface Snapshot {
  readonly title: string;
  readonly body: string;
  readonly status: string;
  readonly labels: readonly string[];
  readonly assignees: readonly string[];
}

/** The merge base: what each side held when they last agreed. */
export interface Base {
  readonly local: Snapshot;
  readonly remote: Snapshot;
}

/** How a conflict on a scalar field is settled. */
export type ConflictPolicy = "newest_wins" | "local_wins" | "remote_wins" | "manual";

/** Every {@link ConflictPolicy}. */
export const CONFLICT_POLICIES: readonly ConflictPolicy[] = [
  "newest_wins",
  "local_wins",
  "remote_wins",
  "manual",
];

/** A divergence on one field, as recorded. */
export interface Conflict {
  readonly field: ScalarField;
  readonly base: { readonly local: string; readonly remote: string };
  readonly local: string;
  readonly remote: string;
  /** Which side won, or `manual` when it waits for `resolve_conflict`. */
  readonly resolution: "local" | "remote" | "manual";
}

/** Conversions between the two sides' terms for scalar fields. */
export interface Conversions {
  /** The remote value a local value is written as. */
  toRemote(field: ScalarField, local: string, item: Snapshot): string;
  /** The local value a remote value is read as (`current` is the local value now). */
  toLocal(field: ScalarField, remote: string, current: string, item: Snapshot): string;
  /** Whether two remote values mean the same (statuses the forge cannot tell apart). */
  sameRemote(field: ScalarField, a: string, b: string): boolean;
  /** At most this many local values for a set field (a task has one assignee). */
  localLimit?(field: SetField): number;
}

/** Inputs of {@link merge}. */
export interface MergeInput {
  readonly base: Base;
  readonly local: Snapshot;
  readonly remote: Snapshot;
  /** When each side last changed (ISO), for `newest_wins`. */
  readonly localUpdatedAt: string;
  readonly remoteUpdatedAt: string;
  readonly policy: ConflictPolicy;
  /** The fields kept in step for this item and platform. */
  readonly fields: readonly Field[];
  readonly convert: Conversions;
}

/** What to do for one link. */
export interface MergePlan {
  /** Values to write locally (local terms). */
  readonly local: Partial<Snapshot>;
  /** Values to send to the forge (remote terms). */
  readonly remote: Partial<Snapshot>;
  readonly conflicts: readonly Conflict[];
  /**
   * The base after the local writes. Fields being sent keep their old base until the forge
   * confirms them (a failed send must not look like a remote change); see {@link confirmSent}.
   */
  readonly base: Base;
}

const sortSet = (xs: readonly string[]): string[] => [...new Set(xs)].sort();
const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  JSON.stringify(sortSet(a)) === JSON.stringify(sortSet(b));

/** A three-way set merge of one side: its own value plus the other side's additions and removals. */
export function mergeSet(
  own: readonly string[],
  otherBase: readonly string[],
  other: readonly string[],
): string[] {
  const added = other.filter((x) => !otherBase.includes(x));
  const removed = otherBase.filter((x) => !other.includes(x));
  return sortSet([...own, ...added].filter((x) => !removed.includes(x)));
}

/**
 * Plans one link. An empty plan (no writes either way) means the sides agree or wait on a
 * recorded manual conflict.
 *
 * @example
 * ```ts
 * import { merge } from "./merge.ts";
 * const s = { title: "A", body: "", status: "open", labels: [], assignees: [] };
 * const plan = merge({
 *   base: { local: s, remote: s }, local: { ...s, title: "B" }, remote: s,
 *   localUpdatedAt: "2026-01-02T00:00:00Z", remoteUpdatedAt: "2026-01-01T00:00:00Z",
 *   policy: "newest_wins", fields: ["title"],
 *   convert: { toRemote: (_f, v) => v, toLocal: (_f, v) => v, sameRemote: (_f, a, b) => a === b },
 * });
 * console.log(plan.remote); // { title: "B" }
 * ```
 */
export function merge(input: MergeInput): MergePlan {
  const { base, local, remote, convert } = input;
  const toLocal: Record<string, unknown> = {};
  const toRemote: Record<string, unknown> = {};
  const nextLocal: Record<string, unknown> = { ...base.local };
  const nextRemote: Record<string, unknown> = { ...base.remote };
  const conflicts: Conflict[] = [];

  for (const field of input.fields) {
    if (field === "labels" || field === "assignees") {
      const localChanged = !sameSet(local[field], base.local[field]);
      const remoteChanged = !sameSet(remote[field], base.remote[field]);
      if (!localChanged && !remoteChanged) continue;
      let wantLocal = mergeSet(local[field], base.remote[field], remote[field]);
      const limit = convert.localLimit?.(field) ?? Infinity;
      if (wantLocal.length > limit) {
        const kept = local[field].filter((x) => wantLocal.includes(x));
        wantLocal = sortSet([...kept, ...wantLocal.filter((x) => !kept.includes(x))].slice(0, limit));
      }
      const wantRemote = mergeSet(remote[field], base.local[field], local[field]);
      if (!sameSet(wantLocal, local[field])) toLocal[field] = wantLocal;
      if (!sameSet(wantRemote, remote[field])) toRemote[field] = wantRemote;
      if (toRemote[field] === undefined) {
        nextLocal[field] = wantLocal;
        nextRemote[field] = sortSet(remote[field]);
      }
      continue;
    }
    const L = local[field];
    const R = remote[field];
    const localChanged = L !== base.local[field];
    const remoteChanged = !convert.sameRemote(field, R, base.remote[field]);
    if (!localChanged && !remoteChanged) continue;
    const pushed = convert.toRemote(field, L, local);
    const agree = convert.sameRemote(field, pushed, R);
    const takeLocal = () => {
      if (!agree) toRemote[field] = pushed;
      else {
        nextLocal[field] = L;
        nextRemote[field] = R;
      }
    };
    const takeRemote = () => {
      const pulled = convert.toLocal(field, R, L, local);
      if (pulled !== L) toLocal[field] = pulled;
      nextLocal[field] = pulled;
      nextRemote[field] = R;
    };
    if (!remoteChanged) takeLocal();
    else if (!localChanged) takeRemote();
    else if (agree) {
      nextLocal[field] = L;
      nextRemote[field] = R;
    } else {
      const resolution = input.policy === "manual"
        ? "manual"
        : input.policy === "local_wins"
        ? "local"
        : input.policy === "remote_wins"
        ? "remote"
        : Date.parse(input.remoteUpdatedAt) > Date.parse(input.localUpdatedAt)
        ? "remote"
        : "local";
      conflicts.push({
        field,
        base: { local: base.local[field], remote: base.remote[field] },
        local: L,
        remote: R,
        resolution,
      });
      if (resolution === "local") takeLocal();
      else if (resolution === "remote") takeRemote();
    }
  }
  return {
    local: toLocal as Partial<Snapshot>,
    remote: toRemote as Partial<Snapshot>,
    conflicts,
    base: { local: nextLocal as unknown as Snapshot, remote: nextRemote as unknown as Snapshot },
  };
}

/**
 * The base after the forge confirmed a send: for each sent field, the local value it was computed
 * from and the value the forge now holds.
 */
export function confirmSent(
  base: Base,
  sentFields: readonly Field[],
  local: Snapshot,
  remote: Snapshot,
): Base {
  const nextLocal: Record<string, unknown> = { ...base.local };
  const nextRemote: Record<string, unknown> = { ...base.remote };
  for (const f of sentFields) {
    nextLocal[f] = local[f];
    nextRemote[f] = remote[f];
  }
  return { local: nextLocal as unknown as Snapshot, remote: nextRemote as unknown as Snapshot };
}

/** Whether a plan writes nothing. */
export function isEmptyPlan(plan: MergePlan): boolean {
  return Object.keys(plan.local).length === 0 && Object.keys(plan.remote).length === 0;
}
