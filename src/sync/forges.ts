/**
 * Connected forges: for a repository configuration, the plugin (loaded on first use), a client
 * wrapped by the core (retry, idempotent creates, redaction) over the core's fetch (conditional
 * requests, counters, budgets), and the repository reference. Clients are kept per configuration
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
import { EtagCache, fingerprint } from "../platform/etag_cache.ts";
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
  type RepoRef,
} from "../platform/types.ts";
import { DEFAULT_RETRY, type RetryPolicy, wrapClient } from "../platform/wrap.ts";
import { log, registerSecret } from "../log.ts";
import { VERSION } from "../version.ts";

/** A client ready for one configured repository. */
export interface ConnectedForge {
  readonly config: RepoConfig;
  readonly plugin: PlatformPlugin;
  readonly client: PlatformClient;
  /**
   * One create request, not retried (redacted like the client's errors): the outbox decides what a
   * failed create means, because a create whose request got no answer may still be in progress.
   */
  readonly createOnce: PlatformClient["createIssue"];
  /** The retry policy of the client. */
  readonly policy: RetryPolicy;
  /** Write requests sent that got no answer at all (timeout, network failure), so far. */
  readonly unansweredWrites: () => number;
  /** How long a request may take (the timeout): how long an unanswered write may still be acted on. */
  readonly settleMs: number;
  readonly repo: RepoRef;
  readonly stats: ForgeStats;
  /** The conditional-request cache, when the platform supports conditional requests. */
  readonly cache: EtagCache | undefined;
}

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
          if (known !== undefined && known.key === key) return known.forge;
          const stats = newStats();
          const cache = p.capabilities.conditional_requests ? new EtagCache(db, tokenHash) : undefined;
          const counting = countingUnanswered(settings.fetch);
          const forgeFetch = makeForgeFetch({
            base: pinnedFetch(counting.fetch, to.origin),
            stats,
            answers: cache,
            timeoutMs: settings.timeoutMs,
          });
          const raw = yield* p.connect({
            fetch: forgeFetch,
            apiUrl,
            token: token === undefined ? undefined : Redacted.make(token),
            tokenVariable,
            env: config.env,
            userAgent: `forgesync/${VERSION}`,
            statusLabels: { ...DEFAULT_STATUS_LABELS, ...(cfg.status_mapping ?? {}) },
          }).pipe(Effect.mapError(toAppError));
          const events = {
            onRetry: (
              operation: string,
              attempt: number,
              error: { reason: string; message: string },
              waitMs: number,
            ) =>
              log.warn(
                `${p.name} ${operation} failed (${error.reason}); retry ${attempt} in ${waitMs} ms`,
                {
                  repository: cfg.repository,
                  error: error.message,
                },
              ),
          };
          const wrap = { events, unansweredWrites: counting.unanswered };
          const client = wrapClient(p, raw, { ...wrap, policy: settings.policy });
          const once = wrapClient(p, raw, { ...wrap, policy: { ...settings.policy, maxAttempts: 1 } });
          const forge: ConnectedForge = {
            config: cfg,
            plugin: p,
            client,
            createOnce: once.createIssue,
            policy: settings.policy,
            unansweredWrites: counting.unanswered,
            settleMs: settings.timeoutMs,
            repo,
            stats,
            cache,
          };
          connected.set(cfg.config_id, { key, forge });
          return forge;
        });

      return Forges.of({ plugin, parse, connect, stats: (id) => connected.get(id)?.forge.stats });
    }),
  );
}
