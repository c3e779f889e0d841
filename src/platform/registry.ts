/**
 * The plugin registry: built-in platforms by name and extra plugins by path or URL (from
 * `FORGESYNC_PLUGINS`, comma-separated), each loaded with a dynamic `import()` only when first
 * needed — a disabled integration loads nothing — and checked for shape with an error that names
 * what is missing.
 *
 * @module
 */
import { REMOTE_STATUSES } from "./types.ts";
import type { PlatformPlugin } from "./types.ts";

/** The built-in plugins and where they live. */
export const BUILTIN_PLUGINS: Readonly<Record<string, string>> = {
  github: new URL("../../plugins/github/mod.ts", import.meta.url).href,
  gitlab: new URL("../../plugins/gitlab/mod.ts", import.meta.url).href,
  bitbucket: new URL("../../plugins/bitbucket/mod.ts", import.meta.url).href,
};

const CAPABILITIES = [
  "boards",
  "releases",
  "milestones",
  "milestones_write",
  "webhooks",
  "conditional_requests",
  "labels",
  "multiple_assignees",
  "close_reason",
] as const;

/** A plugin module that cannot be used, with what is wrong. */
export class PluginLoadError extends Error {
  override readonly name = "PluginLoadError";
}

/**
 * Checks that `value` has the shape of a {@link PlatformPlugin}; throws naming every missing or
 * ill-typed member.
 */
export function validatePlugin(value: unknown, source: string): PlatformPlugin {
  const problems: string[] = [];
  if (typeof value !== "object" || value === null) {
    throw new PluginLoadError(
      `The plugin at ${source} has no default export object: export default { id, … }.`,
    );
  }
  const p = value as Record<string, unknown>;
  const need = (key: string, type: "string" | "function") => {
    const actual = typeof p[key];
    if (actual !== type) problems.push(`${key} (${type})`);
  };
  need("id", "string");
  need("name", "string");
  need("defaultTokenVariable", "string");
  need("apiUrlVariable", "string");
  need("defaultApiUrl", "string");
  need("parseRepository", "function");
  need("connect", "function");
  if (!Array.isArray(p.repositoryExamples)) problems.push("repositoryExamples (string[])");
  if (typeof p.id === "string" && !/^[a-z][a-z0-9_-]{0,30}$/.test(p.id)) {
    problems.push(`id "${p.id}" must be lower case letters, digits, - or _`);
  }
  const caps = p.capabilities as Record<string, unknown> | undefined;
  if (typeof caps !== "object" || caps === null) problems.push("capabilities (object)");
  else {
    for (const c of CAPABILITIES) {
      if (typeof caps[c] !== "boolean") problems.push(`capabilities.${c} (boolean)`);
    }
  }
  if (p.webhooks !== undefined) {
    const hooks = p.webhooks as Record<string, unknown> | null;
    if (typeof hooks?.verify !== "function") problems.push("webhooks.verify (function)");
    if (typeof hooks?.parse !== "function") problems.push("webhooks.parse (function)");
  } else if (typeof caps === "object" && caps !== null && caps.webhooks === true) {
    problems.push("webhooks { verify, parse } (capabilities.webhooks is true)");
  }
  if (p.statusAliases !== undefined) {
    const aliases = p.statusAliases as Record<string, unknown>;
    for (const [k, v] of Object.entries(aliases)) {
      if (!REMOTE_STATUSES.includes(k as never) || !REMOTE_STATUSES.includes(v as never)) {
        problems.push(`statusAliases.${k} (a status among ${REMOTE_STATUSES.join(", ")})`);
      }
    }
  }
  if (problems.length > 0) {
    throw new PluginLoadError(`The plugin at ${source} is missing or mistypes: ${problems.join(", ")}.`);
  }
  return value as PlatformPlugin;
}

/** Loads and checks a plugin module. */
export async function loadPlugin(specifier: string): Promise<PlatformPlugin> {
  let module: { default?: unknown };
  try {
    module = await import(specifier);
  } catch (error) {
    throw new PluginLoadError(
      `Could not import the plugin at ${specifier}: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
  return validatePlugin(module.default, specifier);
}

/** Resolves a plugin path given in configuration (relative to the working directory) to a URL. */
export function pluginSpecifier(entry: string): string {
  if (/^(https?|file|npm|jsr):/.test(entry)) return entry;
  const absolute = entry.startsWith("/") ? entry : `${Deno.cwd()}/${entry}`;
  return new URL(`file://${absolute}`).href;
}

/** The plugins a process can use: built-ins plus extra ones, loaded on first use. */
export class PluginRegistry {
  readonly #sources = new Map<string, string>();
  readonly #extra: readonly string[];
  readonly #loaded = new Map<string, Promise<PlatformPlugin>>();
  #extrasLoaded: Promise<void> | undefined;

  /** `extra`: plugin paths or URLs (FORGESYNC_PLUGINS). */
  constructor(extra: readonly string[] = [], builtins: Readonly<Record<string, string>> = BUILTIN_PLUGINS) {
    for (const [id, source] of Object.entries(builtins)) this.#sources.set(id, source);
    this.#extra = extra;
  }

  /** Known platform ids (extra plugins included once loaded). */
  async ids(): Promise<string[]> {
    await this.#loadExtras();
    return [...this.#sources.keys()];
  }

  /** The plugin for `id`; throws a {@link PluginLoadError} naming the known ids when unknown. */
  async get(id: string): Promise<PlatformPlugin> {
    if (!this.#sources.has(id)) await this.#loadExtras();
    const source = this.#sources.get(id);
    if (source === undefined) {
      throw new PluginLoadError(
        `No platform plugin is called "${id.slice(0, 60)}". Known: ${[...this.#sources.keys()].join(", ")}` +
          " (add more with FORGESYNC_PLUGINS=path/to/plugin.ts).",
      );
    }
    let plugin = this.#loaded.get(id);
    if (plugin === undefined) {
      plugin = loadPlugin(source).then((p) => {
        if (p.id !== id) {
          throw new PluginLoadError(`The plugin at ${source} says its id is "${p.id}", not "${id}".`);
        }
        return p;
      });
      this.#loaded.set(id, plugin);
      plugin.catch(() => this.#loaded.delete(id));
    }
    return await plugin;
  }

  #loadExtras(): Promise<void> {
    this.#extrasLoaded ??= (async () => {
      for (const entry of this.#extra) {
        const specifier = pluginSpecifier(entry);
        const plugin = await loadPlugin(specifier);
        this.#sources.set(plugin.id, specifier);
        this.#loaded.set(plugin.id, Promise.resolve(plugin));
      }
    })();
    return this.#extrasLoaded;
  }
}
