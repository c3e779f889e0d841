/**
 * `configure`: set up a repository for the Git integration, or change some of its settings; with
 * `verify`, check access against the forge first and save nothing when it fails.
 *
 * On a repository already configured, only the settings given change and `null` clears one back
 * to its default (SPEC §12). Without `platform`, an existing repository keeps its platform and a
 * new one is on GitHub (the task document's default).
 *
 * @module
 */
import { Effect } from "effect";
import { accessPolicy, Config } from "../config.ts";
import { AppError } from "../domain/errors.ts";
import { patchSettings, type SettingsPatch, toInput } from "../store/config_patch.ts";
import { Configs, type RepoConfig } from "../store/configs.ts";
import { Forges } from "../forges/forges.ts";
import { destination } from "../platform/api_access.ts";
import { toAppError } from "../platform/to_app_error.ts";

/** The platform a new repository gets when the call names none. */
export const DEFAULT_PLATFORM = "github";

/** Input of {@link configure}: the repository, its platform, the settings to change, `verify`. */
export interface ConfigureInput extends SettingsPatch {
  readonly platform?: string;
  readonly repository: string;
  /** Check access against the forge before saving. */
  readonly verify?: boolean;
}

/** What {@link configure} answers: the configuration saved, and the access check when asked. */
export type ConfigureResult = {
  readonly config: RepoConfig;
  readonly verification?: { readonly ok: boolean; readonly url: string; readonly can_write: boolean };
};

/** The platform of `repository` when it is configured (the call named no platform), else undefined. */
const existingPlatform = (repository: string) =>
  Configs.use((c) => c.resolve(repository)).pipe(
    Effect.map((cfg): string | undefined => cfg.platform),
    Effect.catch((e) =>
      e.code === "NOT_CONFIGURED" ? Effect.succeed(undefined) : Effect.fail(AppError.validation(
        `Repository "${repository.slice(0, 200)}" is configured on several platforms.`,
        `Pass platform to say which one: ${e.hint}`,
      ))
    ),
  );

/** Sets up a repository or changes its settings (see the module documentation). */
export const configure = (
  input: ConfigureInput,
): Effect.Effect<ConfigureResult, AppError, Configs | Forges | Config> =>
  Effect.gen(function* () {
    const forges = yield* Forges;
    const configs = yield* Configs;
    const platform = input.platform ?? (yield* existingPlatform(input.repository)) ?? DEFAULT_PLATFORM;
    const { plugin, repo, text } = yield* forges.parse(platform, input.repository).pipe(
      Effect.mapError((e) =>
        input.platform === undefined && e.code === "VALIDATION_ERROR"
          ? new AppError({
            ...e,
            hint:
              `${e.hint} No platform was given, so ${platform} was assumed: pass platform for another forge.`,
          })
          : e
      ),
    );
    const { verify: _, platform: __, repository: ___, ...patch } = input;
    const existing: RepoConfig | undefined = (yield* configs.list()).find((c) =>
      c.platform === plugin.id && c.repository === repo.path
    );
    const settings = patchSettings(
      { platform: plugin.id, repository: repo.path, repository_url: text },
      existing,
      patch,
    );
    // A token goes only to an allowed API, from an allowed variable: refused before anything is stored.
    const to = destination(plugin, settings, accessPolicy(yield* Config));
    if (to instanceof AppError) return yield* Effect.fail(to);
    if (settings.default_labels.length > 0 && !plugin.capabilities.labels) {
      return yield* Effect.fail(AppError.unsupported(
        `default_labels were given, but ${plugin.name} issues have no labels.`,
        "Omit default_labels for this platform.",
      ));
    }
    let verification: ConfigureResult["verification"];
    if (input.verify) {
      const forge = yield* forges.connect({ ...settings, config_id: -1 });
      const info = yield* forge.client.verify(forge.repo).pipe(Effect.mapError(toAppError));
      verification = { ok: true, url: info.url, can_write: info.can_write };
    }
    const config = yield* configs.upsert(toInput(settings));
    return verification === undefined ? { config } : { config, verification };
  });
