/**
 * Local items and remote issues as merge {@link Snapshot}s, and the conversions between the two
 * sides' terms for a given repository configuration and platform. Pure.
 *
 * @module
 */
import type { Feature, FeatureStatus } from "../domain/feature.ts";
import type { Task, TaskStatus } from "../domain/task.ts";
import type { Conversions, Field, ScalarField, Snapshot } from "../domain/merge.ts";
import { featureToRemote, remoteToFeature, remoteToTask, taskToRemote } from "../domain/status_map.ts";
import { extractText, renderBody, type TemplateValues } from "../domain/template.ts";
import type { IssueDraft, PlatformPlugin, RemoteIssue, RemoteStatus } from "../platform/types.ts";

/** A local item that can be linked to an issue. */
export type LocalItem =
  | { readonly kind: "task"; readonly item: Task }
  | { readonly kind: "feature"; readonly item: Feature };

/** The id of a local item. */
export function itemId(local: LocalItem): string {
  return local.kind === "task" ? local.item.task_id : local.item.feature_id;
}

/** The snapshot of a local item (local terms). */
export function localSnapshot(local: LocalItem): Snapshot {
  if (local.kind === "task") {
    const t = local.item;
    return {
      title: t.title,
      body: t.description,
      status: t.status,
      labels: [...t.labels].sort(),
      assignees: t.assignee === null ? [] : [t.assignee],
    };
  }
  const f = local.item;
  return {
    title: f.title,
    body: f.specification,
    status: f.status,
    labels: [...f.labels].sort(),
    assignees: [],
  };
}

/** The snapshot of a remote issue (remote terms). */
export function remoteSnapshot(issue: RemoteIssue): Snapshot {
  return {
    title: issue.title,
    body: issue.body,
    status: issue.status,
    labels: [...new Set(issue.labels)].sort(),
    assignees: [...new Set(issue.assignees)].sort(),
  };
}

/**
 * The snapshot of a draft (remote terms): the remote half of a created issue's first merge base,
 * i.e. what both sides agreed on when the issue was made. Not the issue the create returned: an
 * issue found again by its marker after a lost answer may have been edited since (timestamps of
 * one-second resolution cannot tell), and those edits must read as remote changes and be pulled.
 * Where the forge stored a value differently from the draft, the next pass takes the forge's.
 */
export function draftSnapshot(draft: IssueDraft): Snapshot {
  return {
    title: draft.title,
    body: draft.body,
    status: draft.status ?? "open",
    labels: [...new Set(draft.labels ?? [])].sort(),
    assignees: [...new Set(draft.assignees ?? [])].sort(),
  };
}

/** The fields kept in step for an item on a platform. */
export function syncedFields(kind: LocalItem["kind"], plugin: PlatformPlugin): Field[] {
  const fields: Field[] = ["title", "body", "status"];
  if (plugin.capabilities.labels) fields.push("labels");
  if (kind === "task") fields.push("assignees");
  return fields;
}

/** Template values of an item whose text is `text`. */
export function templateValues(local: LocalItem, snapshot: Snapshot): TemplateValues {
  return {
    kind: local.kind,
    id: itemId(local),
    title: snapshot.title,
    text: snapshot.body,
    priority: local.item.priority,
    labels: snapshot.labels,
  };
}

/** The conversions of a configuration: template, status mapping and the platform's status aliases. */
export function conversions(
  local: LocalItem,
  template: string | null,
  plugin: PlatformPlugin,
): Conversions {
  const canonical = (s: string) => plugin.statusAliases?.[s as RemoteStatus] ?? s;
  return {
    toRemote(field: ScalarField, value: string, item: Snapshot): string {
      if (field === "status") {
        return local.kind === "task"
          ? taskToRemote(value as TaskStatus)
          : featureToRemote(value as FeatureStatus);
      }
      if (field === "body") return renderBody(template, templateValues(local, { ...item, body: value }));
      return value;
    },
    toLocal(field: ScalarField, value: string, current: string, item: Snapshot): string {
      if (field === "status") {
        return local.kind === "task"
          ? remoteToTask(value as RemoteStatus, current as TaskStatus)
          : remoteToFeature(value as RemoteStatus, current as FeatureStatus);
      }
      if (field === "body") {
        const { text: _, ...values } = templateValues(local, item);
        return extractText(template, value, values);
      }
      return value;
    },
    sameRemote(field: ScalarField, a: string, b: string): boolean {
      return field === "status" ? canonical(a) === canonical(b) : a === b;
    },
    localLimit: (field) => (field === "assignees" && local.kind === "task" ? 1 : Infinity),
  };
}
