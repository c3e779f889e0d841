/**
 * Planning one link (pure): the three-way merge of its merge base, local item and issue, with the
 * queued write it may already have, and the translation of a plan into an issue patch and a local
 * change.
 *
 * @module
 */
import {
  type Base,
  confirmSent,
  merge,
  type MergePlan,
  type ScalarField,
  type Snapshot,
} from "../domain/merge.ts";
import type { RepoConfig } from "../store/configs.ts";
import type { IssuePatch, PlatformPlugin, RemoteIssue, RemoteStatus } from "../platform/types.ts";
import { conversions, type LocalItem, localSnapshot, remoteSnapshot, syncedFields } from "./snapshots.ts";
import type { LinkState } from "../store/links.ts";
import type { UpdatePayload } from "../store/outbox.ts";
import type { StoredBase } from "../store/sync_bases.ts";

/** One link ready to plan: its row, merge base, local item and the listed issue (if it changed). */
export interface Candidate {
  readonly link: LinkState;
  readonly base: StoredBase;
  readonly local: LocalItem;
  readonly remote: RemoteIssue | undefined;
  /** The update still queued (or parked) for this link by an earlier pass or action, if any. */
  readonly queued?: UpdatePayload;
  /** Until when a request of the queued update may still be in flight at the forge (ISO), if it may. */
  readonly inFlightUntil?: string;
  /** The queued update was refused for good (parked). */
  readonly parked?: boolean;
}

/**
 * Whether a parked write planned again stays parked: it does until its item changes (or someone
 * asks for it), so a refusal is not sent again at every pass that lists its issue.
 */
export function staysParked(c: Candidate): boolean {
  return c.parked === true && c.queued !== undefined && c.local.item.version === c.queued.local_version;
}

/**
 * Whether a candidate must wait: its queued update was sent without an answer (or by a process that
 * died) and may still land. Until that request has surely ended, the link is neither planned nor
 * written — planning now could replace the queued write and forget that the value it sent, if it
 * lands, is ours and not a person's. The next pass reads the issue and plans with what it shows.
 */
export function mustWait(c: Candidate, now: number): boolean {
  return c.inFlightUntil !== undefined && Date.parse(c.inFlightUntil) > now;
}

/** Patch keys the merge does not plan (kept when a queued update is planned again). */
const UNPLANNED: ReadonlySet<string> = new Set(["milestone"]);

/** The part of a queued patch that planning does not produce (a milestone set by update_issue). */
export function unplannedPatch(queued: UpdatePayload | undefined): IssuePatch {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(queued?.patch ?? {})) if (UNPLANNED.has(key)) kept[key] = value;
  return kept as IssuePatch;
}

/** The issue as the candidate sees it: the listed one, or what the base remembers. */
export function remoteOf(c: Candidate): Snapshot {
  return c.remote === undefined ? c.base.remote : remoteSnapshot(c.remote);
}

/** Plans one candidate. */
export function planCandidate(cfg: RepoConfig, plugin: PlatformPlugin, c: Candidate): MergePlan {
  const local = localSnapshot(c.local);
  const remote = remoteOf(c);
  const base = c.queued === undefined ? c.base : landedBase(plugin, c.base, c.queued, remote);
  const plan = merge({
    base,
    local,
    remote,
    localUpdatedAt: c.local.item.updated_at,
    remoteUpdatedAt: c.remote?.updated_at ?? c.base.remote_updated_at ?? "1970-01-01T00:00:00Z",
    policy: cfg.conflict_policy,
    fields: syncedFields(c.local.kind, plugin),
    convert: conversions(c.local, cfg.issue_template, plugin),
  });
  return c.queued === undefined || base === c.base
    ? plan
    : withUnprovenLanding(plan, c.base, c.queued, local, remote);
}

/**
 * A plan over a base that took a queued write as landed, with that assumption recorded where it
 * decides something. The issue showing what a write without an answer sent is most likely that write,
 * landed; but a person may have set those very values while it was in flight (or before it left).
 * Where the field was edited locally since the write was queued, the plan sends the newer local
 * value over what the issue shows: that field is recorded as a conflict resolved for the local side,
 * so that a person's value, if it was one, is never overwritten without a trace.
 */
export function withUnprovenLanding(
  plan: MergePlan,
  base: Base,
  queued: UpdatePayload,
  local: Snapshot,
  remote: Snapshot,
): MergePlan {
  const recorded = new Set(plan.conflicts.map((x) => x.field));
  const unproven = queued.fields.filter((field): field is ScalarField =>
    field !== "labels" && field !== "assignees" && !recorded.has(field as ScalarField) &&
    plan.remote[field] !== undefined && queued.local[field] !== local[field]
  );
  if (unproven.length === 0) return plan;
  return {
    ...plan,
    conflicts: [
      ...plan.conflicts,
      ...unproven.map((field) => ({
        field,
        base: { local: base.local[field], remote: base.remote[field] },
        local: local[field],
        remote: remote[field],
        resolution: "local" as const,
      })),
    ],
  };
}

/**
 * Whether a planned candidate needs writing: a change either way, a conflict, a new base or
 * version, or a queued write to replace — except a parked write that would stay parked as it is.
 */
export function isActing(plugin: PlatformPlugin, c: Candidate, plan: MergePlan): boolean {
  if (
    Object.keys(plan.local).length > 0 || plan.conflicts.length > 0 ||
    c.base.local_version !== c.local.item.version ||
    JSON.stringify(c.base.local) !== JSON.stringify(plan.base.local) ||
    JSON.stringify(c.base.remote) !== JSON.stringify(plan.base.remote)
  ) return true;
  if (c.queued === undefined) return Object.keys(plan.remote).length > 0;
  return !staysParked(c) || JSON.stringify(nextUpdate(plugin, c, plan, c.local)) !== JSON.stringify(c.queued);
}

/**
 * The base once a queued write that the issue already shows is confirmed: its answer was lost (a
 * timeout, a crash after the send), but the forge holds the values it sent, so those fields were
 * agreed — the issue holding them is no remote change, and a local edit made since is one.
 *
 * A write lands whole (one request), so it counts as landed only when the issue shows every field
 * it sent. When only some match, a person changed the issue since (or the write never left and a
 * person happened to pick one of its values): the base stays, and the merge sees both sides'
 * changes — a conflict, recorded, rather than a person's edit overwritten without a trace.
 */
export function landedBase(
  plugin: PlatformPlugin,
  base: Base,
  queued: UpdatePayload,
  remote: Snapshot,
): Base {
  const sent = queued.patch as Record<string, unknown>;
  const canonical = (s: string) => plugin.statusAliases?.[s as RemoteStatus] ?? s;
  const landed = queued.fields.filter((field) => {
    const value = sent[field];
    if (value === undefined) return false;
    if (field === "labels" || field === "assignees") {
      const a = [...new Set(value as string[])].sort();
      return JSON.stringify(a) === JSON.stringify([...new Set(remote[field])].sort());
    }
    return field === "status"
      ? canonical(String(value)) === canonical(remote.status)
      : value === remote[field as "title" | "body"];
  });
  const sentFields = queued.fields.filter((field) => sent[field] !== undefined);
  return landed.length === 0 || landed.length < sentFields.length
    ? base
    : confirmSent(base, landed, queued.local, remote);
}

/** The issue patch for a plan: status and labels always travel together where labels exist. */
export function issuePatch(plugin: PlatformPlugin, planned: Partial<Snapshot>, remote: Snapshot): IssuePatch {
  const patch: Record<string, unknown> = {};
  if (planned.title !== undefined) patch.title = planned.title;
  if (planned.body !== undefined) patch.body = planned.body;
  if (planned.assignees !== undefined) patch.assignees = planned.assignees;
  if (planned.status !== undefined || planned.labels !== undefined) {
    patch.status = (planned.status ?? remote.status) as RemoteStatus;
    if (plugin.capabilities.labels) patch.labels = planned.labels ?? remote.labels;
  }
  return patch as IssuePatch;
}

/** The next update of a link, for its plan (undefined when nothing is left to send). */
export function nextUpdate(
  plugin: PlatformPlugin,
  c: Candidate,
  plan: MergePlan,
  local: LocalItem,
): UpdatePayload | undefined {
  const kept = unplannedPatch(c.queued);
  if (Object.keys(plan.remote).length === 0 && Object.keys(kept).length === 0) return undefined;
  return {
    patch: { ...kept, ...issuePatch(plugin, plan.remote, remoteOf(c)) },
    fields: Object.keys(plan.remote) as Array<keyof Snapshot>,
    local: localSnapshot(local),
    local_version: local.item.version,
  };
}
