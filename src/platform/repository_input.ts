/**
 * Reading a repository string a caller gave, the one way the core does it: credentials refused
 * (never echoed), a URL's user name dropped, and the plugin's parser guarded so that a plugin
 * throwing on hostile text (a malformed percent-escape) is a validation error, never a crash.
 *
 * @module
 */
import { AppError } from "../domain/errors.ts";
import { credentialsIn, credentialsRefusal, withoutUserName } from "./credentials.ts";
import { isRepoParseError, type PlatformPlugin, type RepoRef } from "./types.ts";

/** A repository string read by a plugin: the canonical reference and the text to store. */
export type RepositoryInput =
  | { readonly ok: true; readonly repo: RepoRef; readonly text: string }
  | { readonly ok: false; readonly error: AppError };

/**
 * Reads `input` as a repository of `plugin`. `text` is the input trimmed and without a URL user
 * name: what may be stored as `repository_url`.
 *
 * @example
 * ```ts ignore
 * const read = readRepository(github, "https://alice@github.com/o/r.git");
 * // { ok: true, repo: { platform: "github", path: "o/r" }, text: "https://github.com/o/r.git" }
 * ```
 */
export function readRepository(
  plugin: PlatformPlugin,
  input: string,
  parameter = "repository",
): RepositoryInput {
  if (credentialsIn(input) !== undefined) {
    const { message, hint } = credentialsRefusal(parameter, input);
    return { ok: false, error: AppError.validation(message, hint) };
  }
  const text = withoutUserName(input.trim());
  const example = plugin.repositoryExamples[0] ?? "owner/repo";
  let parsed: ReturnType<PlatformPlugin["parseRepository"]>;
  try {
    parsed = plugin.parseRepository(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: AppError.validation(
        `Cannot read ${parameter} "${text.slice(0, 200)}" as a ${plugin.name} repository: ${
          why.slice(0, 200)
        }.`,
        `Give ${parameter} in a form such as "${example}".`,
      ),
    };
  }
  if (isRepoParseError(parsed)) {
    return {
      ok: false,
      error: AppError.validation(
        parsed.message,
        `Give ${parameter} in one of the forms above, e.g. "${example}".`,
      ),
    };
  }
  return { ok: true, repo: parsed, text };
}
