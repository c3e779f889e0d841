/**
 * One configured repository on the overview: links by sync state (each number links to the list
 * filtered so), queued and parked writes, open conflicts, the rate-limit budget, its parked writes
 * and the activity of its last passes.
 *
 * @module
 */
import type { JSX } from "hono/jsx/jsx-runtime";
import { ActivityCharts } from "./charts.tsx";
import { ParkedTable } from "./tables_activity.tsx";
import { when } from "./format.ts";
import type { RepoSummary } from "./overview.ts";

/** A repository's card. */
export function RepositoryCard({ repo }: { repo: RepoSummary }): JSX.Element {
  const id = repo.config.config_id;
  const links = (status: string) => `/links?repository=${id}&status=${status}`;
  const budget = repo.rate_limit;
  const last = repo.passes.at(-1);
  return (
    <article class="card">
      <h3>
        {repo.config.platform}:{repo.config.repository}
        {repo.config.auto_sync_enabled ? null : <span class="badge warn">auto sync off</span>}
        {repo.config.webhook_secret_name === null ? null : <span class="badge info">webhook</span>}
      </h3>
      <dl>
        <dt>Links</dt>
        <dd>
          <a href={links("synced")}>{repo.links.synced} synced</a>,{" "}
          <a href={links("pending")}>{repo.links.pending} pending</a>,{" "}
          <a href={links("failed")}>{repo.links.failed} failed</a>,{" "}
          <a href={links("manual")}>{repo.links.manual} manual</a>
        </dd>
        <dt>Queued writes</dt>
        <dd>
          {repo.outbox.pending} pending, {repo.outbox.parked} parked (refused by the forge)
        </dd>
        <dt>Open conflicts</dt>
        <dd>
          <a href={`/conflicts?repository=${id}`}>{repo.open_conflicts}</a>
        </dd>
        <dt>Last pass</dt>
        <dd>
          {last === undefined ? "never" : `${last.ok ? "completed" : "failed"} at ${when(last.at)} UTC`}
          {last !== undefined && !last.ok && last.errors.length > 0
            ? <div class="error">{last.errors.join(" ").slice(0, 300)}</div>
            : null}
        </dd>
        <dt>Rate-limit budget</dt>
        <dd>
          {budget === null
            ? "not seen yet"
            : `${budget.remaining} of ${budget.limit}${
              budget.reset_at ? `, resets ${when(budget.reset_at)} UTC` : ""
            }`}
        </dd>
      </dl>
      {repo.parked.length === 0 ? null : <ParkedTable parked={repo.parked} />}
      <h4>Sync activity</h4>
      <ActivityCharts passes={repo.passes} />
    </article>
  );
}
