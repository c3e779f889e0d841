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
import type { ToolServices } from "./mcp/tools/mod.ts";
import { registerSecret } from "./log.ts";

/** Every service of the application. */
export type AppServices = ToolServices | Db | Config;

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

/** The whole application layer for a configuration. */
export function appLayer(config: AppConfig): Layer.Layer<AppServices> {
  registerSecret(config.httpToken === undefined ? undefined : Redacted.value(config.httpToken));
  registerSecret(config.dbAuthToken === undefined ? undefined : Redacted.value(config.dbAuthToken));
  const repositories = Layer.mergeAll(Tasks.layer, Features.layer, Links.layer);
  return repositories.pipe(
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
export async function makeRuntime(config: AppConfig): Promise<AppRuntime> {
  const runtime = ManagedRuntime.make(appLayer(config));
  await runtime.runPromise(Effect.void);
  return runtime;
}
