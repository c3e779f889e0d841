/**
 * Connected forges: for a repository configuration, the plugin (loaded on first use), a client
 * wrapped by the core (retry, redaction) over the core's fetch (conditional requests, counters,
 * budgets, unanswered writes), and the repository reference. Clients are kept per configuration
 * and token, so counters and cached answers live as long as the process.
 *
 * The token is read from the variable the configuration names (or the plugin's default) each time
 * a client is needed; it is registered for redaction and never stored.
 *
 * @module
 */
import { Context, Effect, Layer, Redacted } from "effect";
import { accessPolicy, Config } from "../config.ts";
import { Db } from "../store/db.ts";
import { AppError } from "../domain/errors.ts";
import type { RepoConfig } from "../store/configs.ts";
import { EtagCache, fingerprint } from "./answers.ts";
import { type ForgeStats, makeForgeFetch, newStats } from "../platform/forge_fetch.ts";
import { PluginRegistry } from "../platform/registry.ts";
import { toAppError } from "../platform/to_app_error.ts";
import { readRepository } from "../platform/repository_input.ts";
import { destination } from "../platform/api_access.ts";
import { pinnedFetch } from "../platform/pinned_fetch.ts";
import {
  DEFAULT_STATUS_LABELS,
  type PlatformClient,
  type PlatformPlugin,
  type PluginEnv,
  type RepoRef,
} from "../platform/types.ts";
import type { PlatformError } from "../platform/errors.ts";
import { wrapClient } from "../platform/wrap.ts";
import { DEFAULT_RETRY, type RetryPolicy, type WrapEvents } from "../platform/retry.ts";
import { log, registerSecret } from "../log.ts";
import { VERSION } from "../version.ts";

/** A client ready for one configured repository. */
export interface ConnectedForge {
  readonly config: RepoConfig;
  readonly plugin: PlatformPlugin;
  /** The wrapped client: retries by the core's policy, redaction. */
  readonly client: PlatformClient;
  /**
   * The same client making one attempt per call (redacted; a write that got no answer fails
   * `unanswered`): the outbox runs its own attempts, each fenced by the repository's lease.
   */
  readonly once: PlatformClient;
  /** The retry policy of the client. */
  readonly policy: RetryPolicy;
  /** How long a request may take before the client gives up on it. */
  readonly timeoutMs: number;
  /**
   * How long a request the client gave up on may still be acted on by the forge: a write is in
   * flight for at most `timeoutMs + settleMs` after it was sent.
   */
  readonly settleMs: number;
  readonly repo: RepoRef;
  readonly stats: ForgeStats;
  /** The conditional-request cache, when the platform supports conditional requests. */
  readonly cache: EtagCache | undefined;
}

/** What {@link connectForge} needs besides the plugin's own environment. */
export interface ForgeConnection {
  readonly config: RepoConfig;
  readonly plugin: PlatformPlugin;
  readonly repo: RepoRef;
  /** The plugin's environment, except `fetch`, which the core builds. */
  readonly env: Omit<PluginEnv, "fetch">;
  readonly settings: ForgeOptions;
  /** The only origin requests may go to (the token is for it alone); any, when absent (tests). */
  readonly origin?: string;
  /** Cached answers for conditional requests (platforms that support them). */
  readonly cache?: EtagCache;
  /** Logs retries. */
  readonly events?: WrapEvents;
}

/**
 * Connects a plugin the way the core uses it: its requests through the core's fetch (timeout,
 * conditional requests, counters, unanswered writes), its client wrapped by the core's policy.
 */
export const connectForge = (c: ForgeConnection): Effect.Effect<ConnectedForge, AppError> =>
  Effect.gen(function* () {
    const stats = newStats();
    const counting = countingUnanswered(c.settings.fetch);
    const forgeFetch = makeForgeFetch({
      base: c.origin === undefined ? counting.fetch : pinnedFetch(counting.fetch, c.origin),
      stats,
      answers: c.cache,
      timeoutMs: c.settings.timeoutMs,
    });
    const raw = yield* c.plugin.connect({ ...c.env, fetch: forgeFetch }).pipe(Effect.mapError(toAppError));
    const wrap = { events: c.events, unansweredWrites: counting.unanswered };
    return {
      config: c.config,
      plugin: c.plugin,
      client: wrapClient(c.plugin, raw, { ...wrap, policy: c.settings.policy }),
      once: wrapClient(c.plugin, raw, { ...wrap, policy: { ...c.settings.policy, maxAttempts: 1 } }),
      policy: c.settings.policy,
      timeoutMs: c.settings.timeoutMs,
      settleMs: c.settings.timeoutMs,
      repo: c.repo,
      stats,
      cache: c.cache,
    };
  });

const WRITES: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The fetch under the core's fetch, counting write requests that got no answer: the request left,
 * and neither an answer nor a refusal came back (timeout, reset before any answer), so the forge
 * may still be acting on it.
 */
export function countingUnanswered(base: typeof fetch): { fetch: typeof fetch; unanswered: () => number } {
  let unanswered = 0;
  return {
    fetch: async (input, init) => {
      const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
      try {
        return await base(input, init);
      } catch (error) {
        if (WRITES.has(method)) unanswered++;
        throw error;
      }
    },
    unanswered: () => unanswered,
  };
}

/** Tunables of the forge connections (tests shorten the waits). */
export interface ForgeOptions {
  readonly policy: RetryPolicy;
  readonly timeoutMs: number;
  /** The fetch under the core's fetch. */
  readonly fetch: typeof fetch;
}

/** The {@link ForgeOptions} service; defaults unless a layer provides others. */
export class ForgeSettings
  extends Context.Service<ForgeSettings, ForgeOptions>()("forgesync/sync/ForgeSettings") {
  /** Production defaults. */
  static readonly layer: Layer.Layer<ForgeSettings> = Layer.succeed(ForgeSettings, {
    policy: DEFAULT_RETRY,
    timeoutMs: 30_000,
    fetch: (input, init) => fetch(input, init),
  });
}

/** The forges service. */
export class Forges extends Context.Service<Forges, {
  /** The plugin for a platform id (NOT_CONFIGURED naming the known ids when unknown). */
  plugin(platform: string): Effect.Effect<PlatformPlugin, AppError>;
  /**
   * Parses a repository string with the platform's plugin (VALIDATION_ERROR with examples; strings
   * carrying credentials refused). `text` is the string to store: trimmed, without a URL user name.
   */
  parse(
    platform: string,
    repository: string,
  ): Effect.Effect<{ plugin: PlatformPlugin; repo: RepoRef; text: string }, AppError>;
  /** A connected client for a configuration. */
  connect(config: RepoConfig): Effect.Effect<ConnectedForge, AppError>;
  /** Counters of the client of a configuration, if one was connected in this process. */
  stats(configId: number): ForgeStats | undefined;
}>()("forgesync/sync/Forges") {
  /** The service, with plugins from the built-ins and `FORGESYNC_PLUGINS`. */
  static readonly layer: Layer.Layer<Forges, never, Db | Config | ForgeSettings> = Layer.effect(
    Forges,
    Effect.gen(function* () {
      const db = yield* Db;
      const config = yield* Config;
      const settings = yield* ForgeSettings;
      const extra = (config.env("FORGESYNC_PLUGINS") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
      const registry = new PluginRegistry(extra);
      const connected = new Map<number, { key: string; forge: ConnectedForge }>();

      const plugin = (platform: string) =>
        Effect.tryPromise({
          try: () => registry.get(platform),
          catch: (e) =>
            AppError.notConfigured(
              e instanceof Error ? e.message : String(e),
              "Use platform github, gitlab or bitbucket, or load a plugin with FORGESYNC_PLUGINS.",
            ),
        });

      const parse = (platform: string, repository: string) =>
        Effect.gen(function* () {
          const p = yield* plugin(platform);
          const read = readRepository(p, repository);
          if (!read.ok) return yield* Effect.fail(read.error);
          return { plugin: p, repo: read.repo, text: read.text };
        });

      const connect = (cfg: RepoConfig) =>
        Effect.gen(function* () {
          const { plugin: p, repo } = yield* parse(cfg.platform, cfg.repository);
          // Checked at every connection, not only when saved: a token goes only where it may.
          const to = destination(p, cfg, accessPolicy(config));
          if (to instanceof AppError) return yield* Effect.fail(to);
          const { tokenVariable, apiUrl } = to;
          const token = config.env(tokenVariable)?.trim() || undefined;
          registerSecret(token);
          const tokenHash = yield* Effect.promise(() => fingerprint(`${token ?? ""}@${apiUrl}`));
          const key = `${tokenHash}|${cfg.repository}|${JSON.stringify(cfg.status_mapping)}`;
          const known = connected.get(cfg.config_id);
          // The client is kept; the configuration is always the one asked with (a policy or template
          // changed since is not part of the key, and must not be planned with stale).
          if (known !== undefined && known.key === key) return { ...known.forge, config: cfg };
          const events = {
            onRetry: (operation: string, attempt: number, error: PlatformError, waitMs: number) =>
              log.warn(`${p.name} ${operation} failed (${error.reason}); retry ${attempt} in ${waitMs} ms`, {
                repository: cfg.repository,
                error: error.message,
              }),
          };
          const forge = yield* connectForge({
            config: cfg,
            plugin: p,
            repo,
            env: {
              apiUrl,
              token: token === undefined ? undefined : Redacted.make(token),
              tokenVariable,
              env: config.env,
              userAgent: `forgesync/${VERSION}`,
              statusLabels: { ...DEFAULT_STATUS_LABELS, ...(cfg.status_mapping ?? {}) },
            },
            settings,
            origin: to.origin,
            cache: p.capabilities.conditional_requests ? new EtagCache(db, tokenHash) : undefined,
            events,
          });
          connected.set(cfg.config_id, { key, forge });
          return forge;
        });

      return Forges.of({ plugin, parse, connect, stats: (id) => connected.get(id)?.forge.stats });
    }),
  );
}
