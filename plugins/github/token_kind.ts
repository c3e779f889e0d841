/**
 * Which kind of GitHub token a token is, from its documented prefix, and what a token of that kind
 * needs for Projects (v2) — the hint given when GitHub refuses a board operation. Classic personal
 * access tokens (`ghp_`) reach projects through the `project` scope (`read:project` to read);
 * fine-grained ones (`github_pat_`) through the organization permission "Projects", and not at all
 * for projects owned by a user account (GitHub's fine-grained tokens have no user-level Projects
 * permission), so a personal repository's board needs a classic token.
 *
 * @module
 */

/** A GitHub token kind. */
export type TokenKind = "classic" | "fine_grained" | "oauth" | "app" | "unknown";

/**
 * The kind of `token`, by prefix.
 *
 * @example
 * ```ts
 * import { tokenKind } from "./token_kind.ts";
 * tokenKind("github_pat_11ABC"); // "fine_grained"
 * tokenKind("ghp_abc"); // "classic"
 * ```
 */
export function tokenKind(token: string | undefined): TokenKind {
  if (token === undefined) return "unknown";
  if (token.startsWith("github_pat_")) return "fine_grained";
  if (token.startsWith("ghp_")) return "classic";
  if (token.startsWith("gho_") || token.startsWith("ghu_")) return "oauth";
  if (token.startsWith("ghs_")) return "app";
  return "unknown";
}

/** The account owning a project, where known. */
export interface ProjectOwner {
  readonly login: string;
  readonly type: "User" | "Organization" | null;
}

/**
 * What to do when GitHub refuses a project operation for a token of `kind`, in the variable
 * `variable`, on projects of `owner`.
 */
export function projectTokenHint(kind: TokenKind, variable: string, owner: ProjectOwner | null): string {
  const classic = `a classic personal access token (ghp_…) with the "project" scope (and "repo")`;
  const who = owner === null ? "" : ` "${owner.login}"`;
  switch (kind) {
    case "fine_grained":
      if (owner?.type === "User") {
        return `${variable} holds a fine-grained token, and fine-grained tokens cannot use projects owned by ` +
          `a user account (here${who}): set ${variable} to ${classic}.`;
      }
      if (owner?.type === "Organization") {
        return `${variable} holds a fine-grained token: give it the organization permission "Projects: Read and ` +
          `write" on${who}, or set ${variable} to ${classic}.`;
      }
      return `${variable} holds a fine-grained token: for an organization's projects give it the organization ` +
        `permission "Projects: Read and write"; projects owned by a user account are out of reach of fine-grained ` +
        `tokens, so for those set ${variable} to ${classic}.`;
    case "classic":
      return `The classic token in ${variable} needs the "project" scope (and "repo"): add it to the token's ` +
        `scopes in GitHub's settings (Developer settings → Personal access tokens → Tokens (classic)).`;
    default:
      return `The token in ${variable} needs access to projects: ${classic}, or a fine-grained token with the ` +
        `organization permission "Projects: Read and write" (organization projects only).`;
  }
}
