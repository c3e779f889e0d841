/**
 * What one pass did, as the tools, the CLI and pass events report it.
 *
 * @module
 */
import type { AppError } from "../domain/errors.ts";
import type { Conflict, Snapshot } from "../domain/merge.ts";
import type { LocalItem } from "./snapshots.ts";

/** The outcome of a pass, as tools report it. */
export interface RunSummary {
  readonly repository: string;
  readonly platform: string;
  readonly status: "completed" | "failed" | "busy";
  /** Links whose local item took remote changes. */
  readonly pulled: number;
  /** Issue updates sent. */
  readonly pushed: number;
  /** Issues created. */
  readonly created: number;
  /** Conflicts recorded in this pass. */
  readonly conflicts: number;
  /** Writes refused for good in this pass (parked). */
  readonly failed: number;
  /** Writes waiting for a later pass. */
  readonly pending: number;
  /** HTTP requests sent to the forge. */
  readonly requests: number;
  readonly duration_ms: number;
  readonly errors: readonly string[];
  readonly dry_run: boolean;
}

/** A planned change of one link (what `dry_run` returns). */
export interface PlannedChange {
  readonly link_id: number;
  readonly issue_number: number;
  readonly item: { readonly kind: LocalItem["kind"]; readonly id: string };
  /** Values the local item would take. */
  readonly local: Partial<Snapshot>;
  /** Values the issue would take. */
  readonly remote: Partial<Snapshot>;
  readonly conflicts: readonly Conflict[];
}

/** A pass's result. */
export interface PassResult {
  readonly run: RunSummary;
  readonly plan?: readonly PlannedChange[];
  /** The error that stopped the pass, when it failed before planning. */
  readonly error?: AppError;
}
