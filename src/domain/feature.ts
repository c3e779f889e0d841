/**
 * Features: statuses and transitions (SPEC §4). Pure.
 *
 * @module
 */
import type { Priority } from "./task.ts";

/** Every status a feature can have. */
export const FEATURE_STATUSES = ["proposed", "approved", "in_progress", "completed", "rejected"] as const;
/** One of {@link FEATURE_STATUSES}. */
export type FeatureStatus = typeof FEATURE_STATUSES[number];

const TRANSITIONS: Readonly<Record<FeatureStatus, readonly FeatureStatus[]>> = {
  proposed: ["approved", "rejected"],
  approved: ["in_progress", "completed", "rejected", "proposed"],
  in_progress: ["completed", "approved", "rejected"],
  completed: ["in_progress"],
  rejected: ["proposed"],
};

/** A feature as stored and returned by the tools (links are added by the tool layer). */
export interface Feature {
  readonly feature_id: string;
  readonly title: string;
  readonly specification: string;
  readonly status: FeatureStatus;
  readonly labels: readonly string[];
  readonly priority: Priority;
  readonly created_at: string;
  readonly updated_at: string;
  readonly version: number;
}

/** The statuses a tool call may move a feature to from `from`. */
export function allowedFeatureTransitions(from: FeatureStatus): readonly FeatureStatus[] {
  return TRANSITIONS[from];
}

/**
 * Whether a tool call may move a feature from `from` to `to` (staying put is always allowed).
 *
 * @example
 * ```ts
 * import { canTransitionFeature } from "./feature.ts";
 * canTransitionFeature("proposed", "approved"); // true
 * canTransitionFeature("proposed", "completed"); // false
 * ```
 */
export function canTransitionFeature(from: FeatureStatus, to: FeatureStatus): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}
