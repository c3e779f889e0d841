/**
 * Parsing GitLab repository strings: `group/sub/project` (nested groups), a numeric project id, or
 * any GitLab URL (https on gitlab.com or a self-hosted host, with `.git`, a trailing slash or a
 * `/-/issues…` tail; `git@host:group/project.git`; `ssh://git@host/group/project.git`).
 *
 * @module
 */
import { decodeUrlPart, type RepoParseError, type RepoRef } from "../../src/platform/mod.ts";

/** Examples of accepted repository strings, shown in error messages. */
export const REPOSITORY_EXAMPLES: readonly string[] = [
  "acme/widgets",
  "acme/platform/widgets",
  "42",
  "https://gitlab.com/acme/platform/widgets",
  "git@gitlab.example.com:acme/widgets.git",
];

// A GitLab path segment: letters, digits, `_`, `-`, `.`; not starting with `-` or `.`, not ending in `.`.
const SEGMENT = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$/;
const OTHER_FORGES: Record<string, string> = {
  "github.com": "GitHub",
  "www.github.com": "GitHub",
  "bitbucket.org": "Bitbucket",
  "www.bitbucket.org": "Bitbucket",
};

function refuse(input: string, why: string): RepoParseError {
  return {
    message: `Cannot read the GitLab repository "${input}": ${why}. Give the project path with its groups, ` +
      `a numeric project id or a GitLab URL, for example ${
        REPOSITORY_EXAMPLES.map((e) => `"${e}"`).join(", ")
      }.`,
  };
}

function fromPath(input: string, rawPath: string): RepoRef | RepoParseError {
  let path = rawPath.replace(/^\/+/, "");
  const tail = path.indexOf("/-/");
  if (tail >= 0) path = path.slice(0, tail);
  else if (path.endsWith("/-")) path = path.slice(0, -2);
  path = path.replace(/\/+$/, "").replace(/\.git$/, "").replace(/\/+$/, "");
  const decoded = decodeUrlPart(path);
  if (decoded === undefined) return refuse(input, "the path is not valid URL encoding");
  const segments = decoded.split("/");
  if (segments.length < 2 || segments.some((s) => s === "")) {
    return refuse(input, "a GitLab project path needs at least a group and a project (group/project)");
  }
  const bad = segments.find((s) => !SEGMENT.test(s) || s.endsWith(".git") || s.endsWith(".atom"));
  if (bad !== undefined) return refuse(input, `"${bad}" is not a valid GitLab group or project name`);
  return { platform: "gitlab", path: segments.join("/") };
}

/**
 * Parses a GitLab repository string into its canonical form: `group/sub/project` or the numeric id.
 *
 * @example
 * ```ts
 * import { parseGitLabRepository } from "./repository.ts";
 * parseGitLabRepository("https://gitlab.com/acme/platform/widgets/-/issues/3"); // { platform: "gitlab", path: "acme/platform/widgets" }
 * parseGitLabRepository("git@gitlab.example.com:acme/widgets.git"); // { platform: "gitlab", path: "acme/widgets" }
 * parseGitLabRepository("42"); // { platform: "gitlab", path: "42" }
 * ```
 */
export function parseGitLabRepository(input: string): RepoRef | RepoParseError {
  const text = input.trim();
  if (text === "") return refuse(input, "it is empty");
  if (/\s/.test(text)) return refuse(input, "it contains spaces");
  if (/^\d+$/.test(text)) {
    const id = Number(text);
    if (!Number.isSafeInteger(id) || id < 1) return refuse(input, "a project id is a positive number");
    return { platform: "gitlab", path: String(id) };
  }
  // git@host:group/project.git (scp-like SSH).
  const scp = /^[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):(?!\/\/)(.+)$/.exec(text);
  if (scp) {
    const forge = OTHER_FORGES[scp[1]!.toLowerCase()];
    if (forge) return refuse(input, `it is a ${forge} address, not a GitLab one`);
    return fromPath(input, scp[2]!);
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return refuse(input, "it is not a valid URL");
    }
    if (!["http:", "https:", "ssh:", "git+ssh:"].includes(url.protocol)) {
      return refuse(input, `the scheme "${url.protocol.slice(0, -1)}" is not one GitLab serves`);
    }
    const forge = OTHER_FORGES[url.hostname.toLowerCase()];
    if (forge) return refuse(input, `it is a ${forge} address, not a GitLab one`);
    if (url.pathname.startsWith("/api/v4/")) {
      const m = /^\/api\/v4\/projects\/([^/]+)/.exec(url.pathname);
      const id = m === null ? undefined : decodeUrlPart(m[1]!);
      if (m !== null && id === undefined) return refuse(input, "the project id is not valid URL encoding");
      if (id !== undefined) return parseGitLabRepository(id);
      return refuse(input, "it is an API address that does not name a project");
    }
    return fromPath(input, url.pathname);
  }
  if (text.includes(":")) return refuse(input, "it is neither a path nor a URL");
  // `gitlab.com/acme/widgets`: a URL without its scheme.
  const first = text.split("/")[0]!.toLowerCase();
  if (first === "gitlab.com" || /^gitlab\.[a-z0-9.-]+\.[a-z]{2,}$/.test(first)) {
    return fromPath(input, text.slice(first.length));
  }
  return fromPath(input, text);
}
