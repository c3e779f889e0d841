/**
 * The features repository: propose, read, list and change features, bumping `version` on every
 * change.
 *
 * @module
 */
import { Context, Effect, Layer, Schema } from "effect";
import { Db } from "./db.ts";
import { AppError } from "../domain/errors.ts";
import { newFeatureId, nowIso } from "../domain/ids.ts";
import {
  allowedFeatureTransitions,
  canTransitionFeature,
  type Feature,
  FEATURE_STATUSES,
  type FeatureStatus,
} from "../domain/feature.ts";
import { PRIORITIES, type Priority } from "../domain/task.ts";
import { cursorPosition, encodeCursor, JsonStrings, normalizeLabels } from "./rows.ts";
import { decodeRow, decodeRows, execute, type SqlRead, type SqlWrite } from "./sql.ts";

/** Fields of a new feature. */
export interface NewFeature {
  readonly title: string;
  readonly specification?: string;
  readonly labels?: readonly string[];
  readonly priority?: Priority;
}

/** Fields a change may set. */
export interface FeaturePatch {
  readonly title?: string;
  readonly specification?: string;
  readonly labels?: readonly string[];
  readonly priority?: Priority;
  readonly status?: FeatureStatus;
}

/** Filters of {@link Features} `list`. */
export interface FeatureFilter {
  readonly status?: readonly FeatureStatus[];
  readonly label?: string;
  readonly query?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

/** A page of features. */
export interface FeaturePage {
  readonly features: Feature[];
  readonly next_cursor: string | null;
}

/** A `features` row: decoding it gives a {@link Feature}. */
export const FeatureRow = Schema.Struct({
  feature_id: Schema.String,
  title: Schema.String,
  specification: Schema.String,
  status: Schema.Literals(FEATURE_STATUSES),
  labels: JsonStrings,
  priority: Schema.Literals(PRIORITIES),
  created_at: Schema.String,
  updated_at: Schema.String,
  version: Schema.Number,
});

const decodeFeature = Schema.decodeUnknownSync(FeatureRow);

/** Converts a `features` row (`SELECT *`, or `f.*` with more columns) to a {@link Feature}. */
export function rowToFeature(row: Record<string, unknown>): Feature {
  return decodeFeature(row);
}

const oneFeature = decodeRow(FeatureRow);
const manyFeatures = decodeRows(FeatureRow);

/** A feature, if it exists. */
export const findFeature = (featureId: string): Effect.Effect<Feature | undefined, AppError, SqlRead> =>
  oneFeature("SELECT * FROM features WHERE feature_id = ?", [featureId]);

/** A feature, or NOT_FOUND naming its id. */
export const readFeature = (featureId: string): Effect.Effect<Feature, AppError, SqlRead> =>
  findFeature(featureId).pipe(
    Effect.flatMap((f) => f === undefined ? Effect.fail(featureNotFound(featureId)) : Effect.succeed(f)),
  );

/** The features of the given ids that exist. */
export const featuresByIds = (ids: readonly string[]): Effect.Effect<readonly Feature[], AppError, SqlRead> =>
  ids.length === 0 ? Effect.succeed([]) : manyFeatures(
    "SELECT * FROM features WHERE feature_id IN (SELECT value FROM json_each(?))",
    [JSON.stringify(ids)],
  );

/** How many features there are. */
export const countFeatures: Effect.Effect<number, AppError, SqlRead> = decodeRow(
  Schema.Struct({ n: Schema.Number }),
)("SELECT COUNT(*) AS n FROM features").pipe(Effect.map((r) => r?.n ?? 0));

/** The features repository service. */
export class Features extends Context.Service<Features, {
  propose(input: NewFeature): Effect.Effect<Feature, AppError>;
  get(featureId: string): Effect.Effect<Feature, AppError>;
  list(filter: FeatureFilter): Effect.Effect<FeaturePage, AppError>;
  update(
    featureId: string,
    patch: FeaturePatch,
    options?: { bySync?: boolean },
  ): Effect.Effect<Feature, AppError>;
}>()("forgesync/store/Features") {
  /** The repository over {@link Db}. */
  static readonly layer: Layer.Layer<Features, never, Db> = Layer.effect(
    Features,
    Effect.gen(function* () {
      const db = yield* Db;

      const get = Effect.fn("Features.get")(function* (featureId: string) {
        return yield* db.reading(readFeature(featureId));
      });

      const propose = Effect.fn("Features.propose")(function* (input: NewFeature) {
        const now = nowIso();
        const feature: Feature = {
          feature_id: newFeatureId(),
          title: input.title,
          specification: input.specification ?? "",
          status: "proposed",
          labels: normalizeLabels(input.labels ?? []),
          priority: input.priority ?? "medium",
          created_at: now,
          updated_at: now,
          version: 1,
        };
        yield* db.transaction(execute(
          `INSERT INTO features (feature_id, title, specification, status, labels, priority, created_at,
             updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          featureArgs(feature),
        )).pipe(Effect.orDie);
        return feature;
      });

      const update = Effect.fn("Features.update")(
        function* (featureId: string, patch: FeaturePatch, options?: { bySync?: boolean }) {
          return yield* db.transaction(updateFeature(featureId, patch, options ?? {}));
        },
      );

      const list = Effect.fn("Features.list")(function* (filter: FeatureFilter) {
        const where: string[] = [];
        const args: Array<string | number> = [];
        if (filter.status && filter.status.length > 0) {
          where.push(`status IN (${filter.status.map(() => "?").join(", ")})`);
          args.push(...filter.status);
        }
        if (filter.label !== undefined) {
          where.push("EXISTS (SELECT 1 FROM json_each(features.labels) WHERE value = ?)");
          args.push(filter.label);
        }
        if (filter.query !== undefined) {
          where.push("(instr(lower(title), lower(?)) > 0 OR instr(lower(specification), lower(?)) > 0)");
          args.push(filter.query, filter.query);
        }
        if (filter.cursor !== undefined) {
          const after = yield* cursorPosition(filter.cursor);
          where.push("feature_id > ?");
          args.push(after);
        }
        const limit = filter.limit ?? 50;
        const found = yield* db.reading(manyFeatures(
          `SELECT * FROM features ${
            where.length ? `WHERE ${where.join(" AND ")}` : ""
          } ORDER BY feature_id LIMIT ?`,
          [...args, limit + 1],
        ));
        const features = found.slice(0, limit);
        const next_cursor = found.length > limit
          ? encodeCursor(features[features.length - 1]!.feature_id)
          : null;
        return { features, next_cursor };
      });

      return Features.of({ propose, get, list, update });
    }),
  );
}

/** Applies a change (inside the caller's transaction: the tools and the sync). */
export const updateFeature = (
  featureId: string,
  patch: FeaturePatch,
  options: { bySync?: boolean },
): Effect.Effect<Feature, AppError, SqlRead | SqlWrite> =>
  Effect.gen(function* () {
    const current = yield* readFeature(featureId);
    const status = patch.status ?? current.status;
    if (!options.bySync && !canTransitionFeature(current.status, status)) {
      return yield* Effect.fail(AppError.conflict(
        `Feature "${featureId}" cannot move from "${current.status}" to "${status}".`,
        `From "${current.status}" a feature may move to: ${
          allowedFeatureTransitions(current.status).join(", ")
        }.`,
      ));
    }
    const next: Feature = {
      ...current,
      title: patch.title ?? current.title,
      specification: patch.specification ?? current.specification,
      labels: patch.labels !== undefined ? normalizeLabels(patch.labels) : current.labels,
      priority: patch.priority ?? current.priority,
      status,
    };
    if (
      next.title === current.title && next.specification === current.specification &&
      next.priority === current.priority && next.status === current.status &&
      JSON.stringify(next.labels) === JSON.stringify(current.labels)
    ) return current;
    const changed: Feature = { ...next, updated_at: nowIso(), version: current.version + 1 };
    yield* execute(
      `UPDATE features SET title = ?, specification = ?, status = ?, labels = ?, priority = ?, created_at = ?,
         updated_at = ?, version = ? WHERE feature_id = ?`,
      [...featureArgs(changed).slice(1), featureId],
    );
    return changed;
  });

/** The NOT_FOUND error for a feature id. */
export function featureNotFound(featureId: string): AppError {
  return AppError.notFound(
    `No feature has feature_id "${featureId.slice(0, 100)}".`,
    `Call orchestrator_feature {action:"list"} to see feature ids.`,
  );
}

function featureArgs(f: Feature): Array<string | number> {
  return [
    f.feature_id,
    f.title,
    f.specification,
    f.status,
    JSON.stringify(f.labels),
    f.priority,
    f.created_at,
    f.updated_at,
    f.version,
  ];
}
