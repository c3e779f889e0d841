/**
 * What one pass did, as the tools, the CLI and pass events report it.
 *
 * @module
 */

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
