/**
 * A release's page: its progress, milestone, tag, and each feature with its progress and issues.
 *
 * @module
 */
import type { JSX } from "hono/jsx/jsx-runtime";
import { Badge, Empty, Field, IssueLink, ProgressBar, Section } from "./components.tsx";
import { clip, itemHref, safeUrl } from "./format.ts";
import { Layout, type PageContext } from "./layout.tsx";
import type { ReleaseDetail } from "./releases.ts";

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
