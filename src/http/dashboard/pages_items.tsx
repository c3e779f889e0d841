/**
 * The pages of one linked item: a task, a feature, a link. Each shows the item's fields, its links to
 * issues, their sync history and conflicts (a conflict's page is `page_conflict.tsx`, a release's
 * `page_release.tsx`).
 *
 * @module
 */
import type { JSX } from "hono/jsx/jsx-runtime";
import { Badge, Empty, Field, IssueLink, Labels, Section } from "./components.tsx";
import { Layout, type PageContext } from "./layout.tsx";
import { clip, itemHref, plural, when } from "./format.ts";
import type { FeatureDetail, LinkDetail, TaskDetail } from "../../store/dashboard_items.ts";
import type { SyncState } from "../../store/dashboard_history.ts";
import { ConflictsTable, LinksTable } from "./tables.tsx";
import { HistoryTable } from "./tables_activity.tsx";

function Text({ text }: { text: string }): JSX.Element {
  return text === "" ? <span class="muted">—</span> : <div class="value">{clip(text, 4000)}</div>;
}

function SyncSections(
  { ctx, state, back }: { ctx: PageContext; state: SyncState; back: string },
): JSX.Element {
  return (
    <>
      <Section id="links" title="Issues" count={String(state.links.length)}>
        <div class="scroll">
          <LinksTable links={state.links} />
        </div>
        {state.placements.length === 0 ? null : (
          <p>
            On boards: {state.placements.map((p) => (
              <span class="label">
                {clip(p.title, 40)}: {p.column}
                {p.pending ? ` (pending, forge has ${p.synced_column ?? "no column"})` : ""}
              </span>
            ))}
          </p>
        )}
      </Section>
      <Section id="conflicts" title="Conflicts" count={String(state.conflicts.length)}>
        <div class="scroll">
          <ConflictsTable
            conflicts={state.conflicts}
            csrf={ctx.csrf}
            back={back}
            readOnly={ctx.readOnly}
            empty="No conflict recorded on these issues."
          />
        </div>
      </Section>
      <Section id="history" title="Sync history">
        <div class="scroll">
          <HistoryTable history={state.history} />
        </div>
      </Section>
    </>
  );
}

/** `/tasks/:id`. */
export function TaskPage({ ctx, detail }: { ctx: PageContext; detail: TaskDetail }): JSX.Element {
  const t = detail.task;
  return (
    <Layout ctx={ctx} title={clip(t.title, 60)}>
      <h2>
        {clip(t.title, 300)} <Badge status={t.status} />
      </h2>
      <dl class="fields card">
        <Field name="Task">
          <span class="id">{t.task_id}</span>
        </Field>
        <Field name="Description">
          <Text text={t.description} />
        </Field>
        <Field name="Priority">{t.priority}</Field>
        <Field name="Assignee">{t.assignee ?? "—"}</Field>
        <Field name="Labels">{t.labels.length === 0 ? "—" : <Labels labels={t.labels} />}</Field>
        <Field name="Feature">
          {t.feature_id === null
            ? "—"
            : <a href={itemHref("feature", t.feature_id)}>{detail.feature_title ?? t.feature_id}</a>}
        </Field>
        {t.parent_task_id === null ? null : (
          <Field name="Parent task">
            <a href={itemHref("task", t.parent_task_id)}>{detail.parent_title ?? t.parent_task_id}</a>
          </Field>
        )}
        <Field name="Due">{t.due_date ?? "—"}</Field>
        <Field name="Created">{when(t.created_at)} UTC</Field>
        <Field name="Updated">{when(t.updated_at)} UTC (version {t.version})</Field>
        {t.completed_at === null ? null : <Field name="Completed">{when(t.completed_at)} UTC</Field>}
      </dl>
      <SyncSections ctx={ctx} state={detail} back={itemHref("task", t.task_id)} />
    </Layout>
  );
}

/** `/features/:id`. */
export function FeaturePage({ ctx, detail }: { ctx: PageContext; detail: FeatureDetail }): JSX.Element {
  const f = detail.feature;
  return (
    <Layout ctx={ctx} title={clip(f.title, 60)}>
      <h2>
        {clip(f.title, 300)} <Badge status={f.status} />
      </h2>
      <dl class="fields card">
        <Field name="Feature">
          <span class="id">{f.feature_id}</span>
        </Field>
        <Field name="Specification">
          <Text text={f.specification} />
        </Field>
        <Field name="Priority">{f.priority}</Field>
        <Field name="Labels">{f.labels.length === 0 ? "—" : <Labels labels={f.labels} />}</Field>
        <Field name="Releases">
          {detail.releases.length === 0 ? "—" : detail.releases.map((r) => (
            <span class="label">
              <a href={`/releases/${r.release_id}`}>{clip(r.name, 40)}</a> {r.status}
            </span>
          ))}
        </Field>
        <Field name="Created">{when(f.created_at)} UTC</Field>
        <Field name="Updated">{when(f.updated_at)} UTC (version {f.version})</Field>
      </dl>
      <Section
        id="tasks"
        title="Tasks"
        count={plural(detail.tasks_total, "task")}
        more={`/tasks?feature=${encodeURIComponent(f.feature_id)}`}
      >
        {detail.tasks.length === 0 ? <Empty text="No task for this feature." /> : (
          <ul>
            {detail.tasks.map((t) => (
              <li>
                <a href={itemHref("task", t.task_id)}>{clip(t.title, 100)}</a> <Badge status={t.status} />
              </li>
            ))}
          </ul>
        )}
      </Section>
      <SyncSections ctx={ctx} state={detail} back={itemHref("feature", f.feature_id)} />
    </Layout>
  );
}

function Snapshot({ value }: { value: unknown }): JSX.Element {
  if (typeof value !== "object" || value === null) return <span class="muted">—</span>;
  return (
    <dl class="fields">
      {Object.entries(value as Record<string, unknown>).map(([k, v]) => (
        <Field name={k}>
          <span class="value">{clip(typeof v === "string" ? v : JSON.stringify(v), 600)}</span>
        </Field>
      ))}
    </dl>
  );
}

/** `/links/:id`. */
export function LinkPage({ ctx, detail }: { ctx: PageContext; detail: LinkDetail }): JSX.Element {
  const l = detail.link;
  return (
    <Layout ctx={ctx} title={`Link ${l.link_id}`}>
      <h2>
        Link {l.link_id}: <IssueLink issue={l} details={false} /> <Badge status={l.sync_status} />
      </h2>
      <dl class="fields card">
        <Field name={l.kind === "task" ? "Task" : "Feature"}>
          <a href={itemHref(l.kind, l.item_id)}>{l.title ?? l.item_id}</a> <span class="id">{l.item_id}</span>
        </Field>
        <Field name="Repository">{l.platform}:{l.repository}</Field>
        <Field name="Last synced">{when(l.last_synced)} UTC</Field>
        <Field name="Last error">
          {l.last_error === null ? "—" : <span class="error">{clip(l.last_error, 1000)}</span>}
        </Field>
      </dl>
      <Section id="base" title="As last synced (the merge base)">
        {detail.base === null ? <Empty text="Not synced yet: no base." /> : (
          <div class="grid2">
            <article class="card">
              <h3>Local side</h3>
              <Snapshot value={detail.base.local} />
            </article>
            <article class="card">
              <h3>
                Issue side{detail.base.remote_updated_at === null
                  ? ""
                  : ` (as of ${when(detail.base.remote_updated_at)} UTC)`}
              </h3>
              <Snapshot value={detail.base.remote} />
            </article>
          </div>
        )}
      </Section>
      <Section id="conflicts" title="Conflicts" count={String(detail.conflicts.length)}>
        <div class="scroll">
          <ConflictsTable
            conflicts={detail.conflicts}
            csrf={ctx.csrf}
            back={`/links/${l.link_id}`}
            readOnly={ctx.readOnly}
          />
        </div>
      </Section>
      <Section id="history" title="Sync history">
        <div class="scroll">
          <HistoryTable history={detail.history} />
        </div>
      </Section>
    </Layout>
  );
}
