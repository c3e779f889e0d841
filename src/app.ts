/**
 * The application layer: configuration, the database (migrated at start-up) and the services the
 * tools use, assembled once per process and shared by every MCP connection.
 *
 * @module
 */
import { Effect, Layer, ManagedRuntime, Redacted } from "effect";
import { type AppConfig, Config } from "./config.ts";
import { Db } from "./store/db.ts";
import { migrate } from "./store/migrate.ts";
import { Features } from "./store/features.ts";
import { Links } from "./store/links.ts";
import { Tasks } from "./store/tasks.ts";
import { Configs } from "./store/configs.ts";
import { Forges, ForgeSettings } from "./forges/forges.ts";
import { DEFAULT_SYNC, Sync, type SyncOptions } from "./sync/service.ts";
import type { ToolServices } from "./mcp/tools/mod.ts";
import { log, registerSecret } from "./log.ts";

/** Every service of the application. */
export type AppServices = ToolServices | Db | Config | ForgeSettings;

/** The database layer for a configuration, migrated before anything uses it. */
export function dbLayer(config: AppConfig): Layer.Layer<Db> {
  const opened = Db.layer({
    url: config.dbUrl,
    authToken: config.dbAuthToken === undefined ? undefined : Redacted.value(config.dbAuthToken),
    syncUrl: config.dbSyncUrl,
    syncInterval: config.dbSyncInterval,
  });
  const migrated = Layer.effectDiscard(migrate().pipe(Effect.orDie));
  return Layer.provideMerge(migrated, opened);
}

/**
 * The whole application layer for a configuration. `settings` replaces the forge connection
 * defaults (tests shorten retry waits), `sync` the lease settings.
 */
export function appLayer(
  config: AppConfig,
  settings: Layer.Layer<ForgeSettings> = ForgeSettings.layer,
  sync: SyncOptions = DEFAULT_SYNC,
): Layer.Layer<AppServices> {
  registerSecret(config.httpToken === undefined ? undefined : Redacted.value(config.httpToken));
  registerSecret(config.dbAuthToken === undefined ? undefined : Redacted.value(config.dbAuthToken));
  for (const secret of config.secretValues) registerSecret(Redacted.value(secret));
  const repositories = Layer.mergeAll(Tasks.layer, Features.layer, Links.layer, Configs.layer);
  return Sync.layerWith(sync).pipe(
    Layer.provideMerge(Forges.layer),
    Layer.provideMerge(repositories),
    Layer.provideMerge(settings),
    Layer.provideMerge(dbLayer(config)),
    Layer.provideMerge(Layer.succeed(Config, config)),
  );
}

/** A runtime holding the application services; dispose it to close the database. */
export type AppRuntime = ManagedRuntime.ManagedRuntime<AppServices, never>;

/**
 * Builds the runtime and opens (and migrates) the database now, so that start-up failures surface
 * before the first request.
 */
export async function makeRuntime(
  config: AppConfig,
  settings?: Layer.Layer<ForgeSettings>,
  sync?: SyncOptions,
): Promise<AppRuntime> {
  const runtime = ManagedRuntime.make(appLayer(config, settings, sync));
  await runtime.runPromise(Effect.void);
  return runtime;
}

/**
 * Starts the background reconciliation loop (configurations with auto_sync_enabled, every
 * FORGESYNC_SYNC_INTERVAL seconds) off the request path. A disabled integration, or read-only mode,
 * starts nothing.
 */
export function startBackgroundSync(runtime: AppRuntime, config: AppConfig): void {
  if (config.tier === "disabled") return;
  if (config.readOnly) {
    // Read-only means nothing is written, locally or to a forge: the loop would do both.
    log.info("read-only mode (FORGESYNC_READ_ONLY=true): no background sync");
    return;
  }
  runtime.runFork(Sync.use((s) => s.loop));
}
