/**
 * The pages of one item: a task, a feature, a link, a conflict (with the forms that settle it) and a
 * release. Each shows the item's fields, its links to issues, their sync history and conflicts.
 *
 * @module
 */
import type { Child } from "hono/jsx";
import type { JSX } from "hono/jsx/jsx-runtime";
import { Badge, Csrf, Empty, IssueLink, Labels, ProgressBar, Section } from "./components.tsx";
import { Layout, type PageContext } from "./layout.tsx";
import { clip, itemHref, plural, safeUrl, when } from "./format.ts";
import type { FeatureDetail, LinkDetail, TaskDetail } from "../../store/dashboard_items.ts";
import type { SyncState } from "../../store/dashboard_history.ts";
import type { ReleaseDetail } from "./releases.ts";
import { ConflictsTable, HistoryTable, LinksTable, ResolveButtons } from "./tables.tsx";
import type { ConflictRow } from "../../store/dashboard_rows.ts";
import type { Notice } from "./pages_lists.tsx";

function Field({ name, children }: { name: string; children?: Child }): JSX.Element {
  return (
    <>
      <dt>{name}</dt>
      <dd>{children}</dd>
    </>
  );
}

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

/** `/conflicts/:id`: the values and the three ways to settle it. */
export function ConflictPage(
  { ctx, conflict, notice }: { ctx: PageContext; conflict: ConflictRow; notice?: Notice },
): JSX.Element {
  const c = conflict;
  const here = `/conflicts/${c.conflict_id}`;
  return (
    <Layout ctx={ctx} title={`Conflict ${c.conflict_id}`}>
      <h2>
        Conflict {c.conflict_id} on {c.field} <Badge status={c.status} />
      </h2>
      {notice === undefined ? null : <p class={`note ${notice.tone}`} role="status">{notice.text}</p>}
      <dl class="fields card">
        <Field name={c.kind === "task" ? "Task" : "Feature"}>
          <a href={itemHref(c.kind, c.item_id)}>{c.title ?? c.item_id}</a>
        </Field>
        <Field name="Issue">
          <IssueLink issue={{ ...c, sync_status: "" }} />
        </Field>
        <Field name="Policy">{c.policy}</Field>
        <Field name="Recorded">{when(c.created_at)} UTC</Field>
        {c.resolved_at === null
          ? null
          : <Field name="Resolved">{when(c.resolved_at)} UTC ({c.resolution})</Field>}
      </dl>
      <div class="grid2">
        <article class="card">
          <h3>Local value</h3>
          <div class="value">{clip(c.local_value, 8000)}</div>
          <p class="muted">
            was {c.base_local === "" ? "empty" : <span class="value">{clip(c.base_local, 400)}</span>}
          </p>
        </article>
        <article class="card">
          <h3>Issue's value</h3>
          <div class="value">{clip(c.remote_value, 8000)}</div>
          <p class="muted">
            was {c.base_remote === "" ? "empty" : <span class="value">{clip(c.base_remote, 400)}</span>}
          </p>
        </article>
      </div>
      {c.status !== "open"
        ? null
        : ctx.readOnly
        ? <p class="note">Read-only mode (FORGESYNC_READ_ONLY=true): conflicts cannot be resolved here.</p>
        : (
          <>
            <h3>Resolve</h3>
            <ResolveButtons conflict={c} csrf={ctx.csrf} back={here} readOnly={ctx.readOnly} />
            <form class="card" method="post" action={`${here}/resolve`}>
              <Csrf token={ctx.csrf} />
              <input type="hidden" name="back" value={here} />
              <input type="hidden" name="resolution" value="value" />
              <label for="value">Or set both sides to this value:</label>
              <textarea id="value" name="value" maxlength={65536}>{c.local_value}</textarea>
              <button type="submit">Set both to this value</button>
            </form>
          </>
        )}
    </Layout>
  );
}

/** `/releases/:id`. */
export function ReleasePage({ ctx, detail }: { ctx: PageContext; detail: ReleaseDetail }): JSX.Element {
  const r = detail.release;
  const milestone = safeUrl(r.milestone_url);
  const release = safeUrl(r.release_url);
  return (
    <Layout ctx={ctx} title={r.version ?? r.name}>
      <h2>
        {r.version ?? r.name} <Badge status={r.status} />
      </h2>
      <dl class="fields card">
        <Field name="Progress">
          <ProgressBar percent={r.progress.percent} label={`${r.progress.percent}% done`} />
          <div class="muted">
            {r.progress.features_completed} of {r.progress.features_total} features completed,{" "}
            {r.progress.tasks_completed} of {r.progress.tasks_total} tasks
          </div>
        </Field>
        <Field name="Milestone">
          {milestone === undefined ? r.name : <a href={milestone} rel="noreferrer noopener">{r.name}</a>}
        </Field>
        <Field name="Repository">{r.platform === null ? "—" : `${r.platform}:${r.repository}`}</Field>
        <Field name="Target date">{r.target_date ?? "—"}</Field>
        {r.tag_name === null ? null : (
          <Field name="Tag">
            {release === undefined
              ? r.tag_name
              : <a href={release} rel="noreferrer noopener">{r.tag_name}</a>}
          </Field>
        )}
      </dl>
      <Section id="features" title="Features" count={String(detail.features.length)}>
        {detail.features.length === 0 ? <Empty text="No feature in this release." /> : (
          <table>
            <thead>
              <tr>
                <th>Feature</th>
                <th>Progress</th>
                <th>Issues</th>
              </tr>
            </thead>
            <tbody>
              {detail.features.map((f) => (
                <tr>
                  <td>
                    <a href={itemHref("feature", f.feature_id)}>{clip(f.title, 100)}</a>{" "}
                    <Badge status={f.status} />
                  </td>
                  <td>
                    <ProgressBar
                      percent={Math.round(f.progress * 100)}
                      label={`${clip(f.title, 40)}: ${Math.round(f.progress * 100)}%`}
                    />
                    <div class="id">{f.tasks.completed} of {f.tasks.total} tasks</div>
                  </td>
                  <td>
                    {f.issues.length === 0
                      ? <span class="muted">no issue</span>
                      : f.issues.slice(0, 10).map((i) => (
                        <div>
                          <IssueLink issue={i} />
                        </div>
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {detail.missing.length === 0
          ? null
          : <p class="error">Features no longer in the database: {detail.missing.join(", ")}</p>}
      </Section>
    </Layout>
  );
}
