/**
 * Assignees GitLab did not keep. GitLab Free gives an issue one assignee: of several
 * `assignee_ids` it keeps the first and drops the others without an error (multiple assignees are
 * a Premium and Ultimate feature); any edition drops users who cannot be assigned (not members of
 * the project). The plugin compares what it asked for with what the issue holds and says so.
 *
 * @module
 */

/**
 * The warning for a write that asked for `asked` assignees when the issue now holds `kept`, or
 * null when every one was kept.
 *
 * @example
 * ```ts
 * import { droppedAssignees } from "./assignees.ts";
 * droppedAssignees(["alice", "bob"], ["alice"]); // "GitLab kept 1 of the 2 assignees asked for …"
 * droppedAssignees(["alice"], ["alice"]); // null
 * ```
 */
export function droppedAssignees(asked: readonly string[], kept: readonly string[]): string | null {
  const holds = new Set(kept.map((k) => k.toLowerCase()));
  const dropped = asked.filter((a) => !holds.has(a.toLowerCase()));
  if (dropped.length === 0) return null;
  const list = (xs: readonly string[]) => xs.map((x) => `"${x}"`).join(", ");
  return `GitLab kept ${asked.length - dropped.length} of the ${asked.length} assignees asked for ` +
    `(dropped ${list(dropped)}${kept.length > 0 ? `; kept ${list(kept)}` : ""}). GitLab Free allows one ` +
    `assignee per issue (several need GitLab Premium or Ultimate), and only members of the project can be ` +
    `assigned: assign one person, or add them to the project.`;
}

/** Whether a write lost assignees because the instance keeps one per issue (Free), not for membership. */
export function keepsOneAssignee(asked: readonly string[], kept: readonly string[]): boolean {
  return asked.length > 1 && kept.length === 1 && asked[0]?.toLowerCase() === kept[0]?.toLowerCase();
}
