/**
 * Repository strings of Bitbucket Cloud: `workspace/repo_slug`, the web URL (any page of the
 * repository: `/src/…`, `/issues/…`, `.git`, a trailing slash, a `user@` prefix), the SSH clone
 * address `git@bitbucket.org:workspace/repo_slug.git`, and the API URL of the repository.
 *
 * @module
 */
import { decodeUrlSegments, type RepoParseError, type RepoRef } from "../../src/platform/mod.ts";

/** Accepted forms, shown in error messages. */
export const REPOSITORY_EXAMPLES: readonly string[] = [
  "workspace/repo_slug",
  "https://bitbucket.org/workspace/repo_slug",
  "git@bitbucket.org:workspace/repo_slug.git",
];

const WORKSPACE = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const SLUG = /^[A-Za-z0-9_.-]+$/;
const HOSTS = new Set(["bitbucket.org", "www.bitbucket.org"]);

function refOf(workspace: string, slug: string): RepoRef | undefined {
  const bare = slug.replace(/\.git$/i, "");
  if (!WORKSPACE.test(workspace) || !SLUG.test(bare) || bare === "." || bare === "..") return undefined;
  // Bitbucket workspace ids and repository slugs are lower case; URLs match case-insensitively.
  return { platform: "bitbucket", path: `${workspace.toLowerCase()}/${bare.toLowerCase()}` };
}

function fromUrl(text: string): RepoRef | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (!["https:", "http:", "ssh:", "git+ssh:"].includes(url.protocol)) return undefined;
  const decoded = decodeUrlSegments(url.pathname.split("/").filter((s) => s !== ""));
  if (decoded === undefined) return undefined;
  let segments = decoded;
  if (url.hostname === "api.bitbucket.org") {
    // https://api.bitbucket.org/2.0/repositories/workspace/slug[/…]
    if (segments[0] !== "2.0" || segments[1] !== "repositories") return undefined;
    segments = segments.slice(2);
  } else if (!HOSTS.has(url.hostname)) return undefined;
  const [workspace, slug] = segments;
  if (workspace === undefined || slug === undefined) return undefined;
  return refOf(workspace, slug);
}

/**
 * Parses a Bitbucket repository string into its canonical `workspace/repo_slug` form.
 *
 * @example
 * ```ts
 * import { parseBitbucketRepository } from "./repository.ts";
 * parseBitbucketRepository("git@bitbucket.org:Acme/widgets.git"); // { platform: "bitbucket", path: "acme/widgets" }
 * ```
 */
export function parseBitbucketRepository(input: string): RepoRef | RepoParseError {
  const text = input.trim();
  let ref: RepoRef | undefined;
  const ssh = /^[A-Za-z0-9._-]+@((?:www\.)?bitbucket\.org):([^/]+)\/([^/]+?)\/?$/.exec(text);
  if (ssh !== null) ref = refOf(ssh[2]!, ssh[3]!);
  else if (/^[a-z+]+:\/\//i.test(text)) ref = fromUrl(text);
  else if (/^(?:www\.)?bitbucket\.org\//i.test(text)) ref = fromUrl(`https://${text}`);
  else {
    const parts = text.replace(/\/$/, "").split("/");
    if (parts.length === 2) ref = refOf(parts[0]!, parts[1]!);
  }
  if (ref !== undefined) return ref;
  return {
    message: `Cannot read ${JSON.stringify(input)} as a Bitbucket repository. Use one of: ${
      REPOSITORY_EXAMPLES.join(", ")
    }.`,
  };
}
