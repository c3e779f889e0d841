/**
 * `orchestrator_feature`: propose, approve, change, read, list features and set their status.
 * Local only; an approved feature becomes an issue through orchestrator_git_integration.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import { Features } from "../../store/features.ts";
import { Links } from "../../store/links.ts";
import { allowedFeatureTransitions, type Feature, FEATURE_STATUSES } from "../../domain/feature.ts";
import { action, type Tool } from "../tool.ts";
import {
  Cursor,
  FeatureId,
  FeatureStatusParam,
  Labels,
  Limit,
  PriorityParam,
  Text,
  Title,
} from "../params.ts";
import { FeatureShape, NextCursor } from "../shapes.ts";

const opt = Schema.optionalKey;

const withLinks = (feature: Feature) =>
  Links.use((links) => links.of({ feature_id: feature.feature_id })).pipe(
    Effect.map((links) => ({ feature: { ...feature, links } })),
  );

const propose = action({
  description: "Propose a feature (status proposed).",
  params: Schema.Struct({
    title: Title.annotate({ description: "One-line title, 1–255 characters." }),
    specification: opt(
      Text.annotate({ description: "What the feature is (Markdown), up to 65,536 characters." }),
    ),
    labels: opt(Labels),
    priority: opt(PriorityParam),
  }),
  run: (input) => Features.use((f) => f.propose(input)).pipe(Effect.flatMap(withLinks)),
});

const approve = action({
  description: "Approve a proposed feature (proposed → approved); approved features can become issues.",
  params: Schema.Struct({ feature_id: FeatureId }),
  run: ({ feature_id }) =>
    Features.use((f) => f.update(feature_id, { status: "approved" })).pipe(Effect.flatMap(withLinks)),
});

const update = action({
  destructive: true,
  description: "Change a feature's title, specification, labels or priority.",
  params: Schema.Struct({
    feature_id: FeatureId,
    title: opt(Title),
    specification: opt(Text),
    labels: opt(Labels),
    priority: opt(PriorityParam),
  }),
  run: ({ feature_id, ...patch }) =>
    Features.use((f) => f.update(feature_id, patch)).pipe(Effect.flatMap(withLinks)),
});

const get = action({
  reads: true,
  description: "Read one feature with its issue links.",
  params: Schema.Struct({ feature_id: FeatureId }),
  run: ({ feature_id }) => Features.use((f) => f.get(feature_id)).pipe(Effect.flatMap(withLinks)),
});

const list = action({
  reads: true,
  description: "List features, oldest first, with filters and paging.",
  params: Schema.Struct({
    status: opt(Schema.Union([FeatureStatusParam, Schema.Array(FeatureStatusParam)])),
    label: opt(Schema.String.check(Schema.isMaxLength(100))),
    query: opt(
      Schema.String.check(Schema.isMaxLength(200)).annotate({
        description: "Text in title or specification.",
      }),
    ),
    limit: opt(Limit),
    cursor: opt(Cursor),
  }),
  run: ({ status, ...filter }) =>
    Effect.gen(function* () {
      const page = yield* Features.use((f) =>
        f.list({ ...filter, status: status === undefined ? undefined : [status].flat() })
      );
      const links = yield* Links.use((l) => l.ofMany(page.features.map((f) => f.feature_id)));
      return {
        features: page.features.map((f) => ({ ...f, links: links.get(f.feature_id) ?? [] })),
        next_cursor: page.next_cursor,
      };
    }),
});

const setStatus = action({
  destructive: true,
  description: `Move a feature to a status (${
    FEATURE_STATUSES.map((s) => `${s}→${allowedFeatureTransitions(s).join("|")}`).join(", ")
  }).`,
  params: Schema.Struct({ feature_id: FeatureId, status: FeatureStatusParam }),
  run: ({ feature_id, status }) =>
    Features.use((f) => f.update(feature_id, { status })).pipe(Effect.flatMap(withLinks)),
});

/** The feature tool. */
export const orchestratorFeature: Tool<Features | Links> = {
  name: "orchestrator_feature",
  description: "Manage features in the local database: propose, approve, update, get, list and set_status. " +
    "Works offline. An approved feature can be turned into an issue with orchestrator_git_integration " +
    '{action:"create_issue", feature_id}.',
  tier: "core",
  annotations: {
    title: "Features",
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: false,
  },
  actions: { propose, approve, update, get, list, set_status: setStatus },
  output: Schema.Struct({
    feature: opt(FeatureShape),
    features: opt(Schema.Array(FeatureShape)),
    next_cursor: opt(NextCursor),
  }),
};
