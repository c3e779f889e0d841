/**
 * A conflict's page: both values with what they were, and the forms that settle it (keep the local
 * value, take the issue's, or set both to a value).
 *
 * @module
 */
import type { JSX } from "hono/jsx/jsx-runtime";
import type { ConflictRow } from "../../store/dashboard_rows.ts";
import { Badge, Csrf, Field, IssueLink } from "./components.tsx";
import { clip, itemHref, when } from "./format.ts";
import { Layout, type PageContext } from "./layout.tsx";
import type { Notice } from "./pages_lists.tsx";
import { ResolveButtons } from "./tables.tsx";

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
