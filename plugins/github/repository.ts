/**
 * Parsing of GitHub repository strings: `owner/repo` and every URL form people paste, on
 * github.com or a GitHub Enterprise Server host.
 *
 * @module
 */
import { decodeUrlSegments, type RepoParseError, type RepoRef } from "../../src/platform/mod.ts";

/** Examples shown in error messages and by the plugin. */
export const REPOSITORY_EXAMPLES: readonly string[] = [
  "octo-org/widgets",
  "https://github.com/octo-org/widgets",
  "git@github.com:octo-org/widgets.git",
  "https://github.example.com/octo-org/widgets",
];

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
/** Pages below a repository that a pasted URL may point at. */
const TAILS = new Set([
  "issues",
  "pulls",
  "pull",
  "milestones",
  "milestone",
  "releases",
  "tree",
  "blob",
  "projects",
  "wiki",
  "actions",
  "labels",
  "commits",
  "tags",
]);

function quote(input: string): string {
  const short = [...input].length > 80 ? `${[...input].slice(0, 80).join("")}…` : input;
  return JSON.stringify(short);
}

function fail(input: string, why: string): RepoParseError {
  return {
    message: `Cannot read ${quote(input)} as a GitHub repository: ${why}. ` +
      `Accepted forms: ${
        REPOSITORY_EXAMPLES.slice(0, 3).join(", ")
      } (or the same on a GitHub Enterprise host).`,
  };
}

function fromSegments(input: string, segments: readonly string[]): RepoRef | RepoParseError {
  const [owner, rawRepo, ...tail] = segments;
  if (owner === undefined || rawRepo === undefined || owner === "" || rawRepo === "") {
    return fail(input, "expected an owner and a repository name separated by a slash");
  }
  const repo = rawRepo.endsWith(".git") ? rawRepo.slice(0, -4) : rawRepo;
  if (tail.length > 0 && !TAILS.has(tail[0]!)) {
    return fail(input, `unexpected path after the repository ("/${tail.join("/")}")`);
  }
  if (tail.length > 0 && rawRepo.endsWith(".git")) return fail(input, "a .git suffix ends the path");
  if (!OWNER.test(owner)) {
    return fail(
      input,
      `the owner ${
        quote(owner)
      } must be 1–39 letters, digits or hyphens, not starting or ending with a hyphen`,
    );
  }
  if (!REPO.test(repo) || repo === "." || repo === "..") {
    return fail(input, `the repository name ${quote(repo)} must be 1–100 letters, digits, '.', '_' or '-'`);
  }
  return { platform: "github", path: `${owner}/${repo}` };
}

/**
 * Parses a repository given as `owner/repo`, an https URL (with `.git`, a trailing slash or an
 * `/issues…` tail), `git@host:owner/repo.git` or `ssh://git@host/owner/repo.git`, on github.com
 * or an Enterprise host. The canonical path is `owner/repo`.
 *
 * @example
 * ```ts
 * import { parseRepository } from "./repository.ts";
 * parseRepository("git@github.com:octo-org/widgets.git"); // { platform: "github", path: "octo-org/widgets" }
 * ```
 */
/** Hosts of other forges: a URL there is not a GitHub repository, whatever its shape. */
const OTHER_FORGES = /(^|\.)(gitlab\.com|bitbucket\.org|codeberg\.org|sr\.ht|gitea\.com)$/i;

function foreignHost(input: string, host: string): RepoParseError | undefined {
  return OTHER_FORGES.test(host)
    ? fail(input, `${quote(host)} is another forge, not GitHub: configure it with its own platform`)
    : undefined;
}

export function parseRepository(input: string): RepoRef | RepoParseError {
  if (typeof input !== "string") return fail(String(input), "expected a string");
  const text = input.trim();
  if (text === "") return fail(input, "it is empty");
  if (/\s/.test(text) || [...text].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) {
    return fail(input, "it contains spaces or control characters");
  }
  const scp = /^[A-Za-z0-9_.-]+@([A-Za-z0-9.-]+):(?!\/)(.+)$/.exec(text);
  if (scp !== null) {
    return foreignHost(input, scp[1]!) ?? fromSegments(input, scp[2]!.replace(/\/+$/, "").split("/"));
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return fail(input, "it is not a valid URL");
    }
    if (!["http:", "https:", "ssh:", "git:"].includes(url.protocol)) {
      return fail(input, `the scheme ${quote(url.protocol)} is not one GitHub uses`);
    }
    const foreign = foreignHost(input, url.hostname);
    if (foreign !== undefined) return foreign;
    const decoded = decodeUrlSegments(url.pathname.replace(/\/+$/, "").split("/").slice(1));
    if (decoded === undefined) return fail(input, "its path has a malformed percent-escape (such as %ZZ)");
    let segments = decoded;
    // API URLs: /repos/o/r (github.com) and /api/v3/repos/o/r (Enterprise).
    if (segments[0] === "api" && segments[1] === "v3") segments = segments.slice(2);
    if (segments[0] === "repos" && segments.length >= 3) segments = segments.slice(1);
    return fromSegments(input, segments);
  }
  const segments = text.replace(/\/+$/, "").split("/");
  // `github.com/o/r` without a scheme: owners never contain a dot, hosts do.
  if (segments.length >= 3 && segments[0]!.includes(".")) {
    return foreignHost(input, segments[0]!) ?? fromSegments(input, segments.slice(1));
  }
  if (segments.length !== 2) return fail(input, "expected exactly one slash between owner and repository");
  return fromSegments(input, segments);
}
