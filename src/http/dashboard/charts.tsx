/**
 * Sync activity drawn on the server as inline SVG (no script): per pass, the requests it sent, the
 * changes it made (pulled, pushed, created) and how long it took, as bar charts sharing one time
 * axis, and the rate-limit budget left after each pass as a line. Each bar and point has a `<title>`
 * (the browser's tooltip) with the pass's figures; axis labels are HTML beside the SVG so that they
 * stay readable at any width.
 *
 * @module
 */
import type { JSX } from "hono/jsx/jsx-runtime";
import { when } from "./format.ts";
import type { PassPoint } from "../../store/dashboard_overview.ts";

export type { PassPoint };

const W = 600;
const H = 64;

/** The changes a pass made. */
export const changes = (p: PassPoint): number => p.pulled + p.pushed + p.created;

/** A pass's figures in one line (the tooltip). */
export function passLabel(p: PassPoint): string {
  return `${when(p.at)} UTC · ${p.ok ? "completed" : "failed"} · ${p.requests} request${
    p.requests === 1 ? "" : "s"
  } · ${changes(p)} change${
    changes(p) === 1 ? "" : "s"
  } (pulled ${p.pulled}, pushed ${p.pushed}, created ${p.created}) · ${p.duration_ms} ms${
    p.budget_remaining === null ? "" : ` · budget ${p.budget_remaining}/${p.budget_limit}`
  }${p.errors.length > 0 ? ` · ${p.errors.join(" ").slice(0, 200)}` : ""}`;
}

/** Bar geometry (pure): x, width and height of each value scaled to the chart. */
export function bars(
  values: readonly number[],
  width = W,
  height = H,
): { x: number; w: number; h: number }[] {
  const max = Math.max(1, ...values);
  const step = width / Math.max(1, values.length);
  return values.map((v, i) => ({
    x: Number((i * step).toFixed(2)),
    w: Number(Math.max(1, step - Math.min(2, step / 4)).toFixed(2)),
    h: Number((v <= 0 ? 0 : Math.max(1.5, (v / max) * height)).toFixed(2)),
  }));
}

function BarChart(
  { label, unit, passes, value }: {
    label: string;
    unit: string;
    passes: readonly PassPoint[];
    value: (p: PassPoint) => number;
  },
): JSX.Element {
  const values = passes.map(value);
  const max = Math.max(0, ...values);
  return (
    <figure class="chart">
      <figcaption>
        {label} <span class="muted">(highest {max.toLocaleString("en")} {unit})</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${label}, highest ${max}`}
      >
        <line class="baseline" x1="0" y1={H} x2={W} y2={H} vector-effect="non-scaling-stroke" />
        {bars(values).map((b, i) => (
          <rect class={passes[i]!.ok ? "bar" : "bar failed"} x={b.x} y={H - b.h} width={b.w} height={b.h}>
            <title>{passLabel(passes[i]!)}</title>
          </rect>
        ))}
      </svg>
    </figure>
  );
}

/**
 * The vertical range of the budget chart (pure): from a little below the lowest budget seen to the
 * limit, so that a few hundred requests out of 5,000 show as a slope rather than a flat line.
 */
export function budgetRange(remaining: readonly number[], limit: number): { low: number; high: number } {
  const least = Math.min(limit, ...remaining);
  return { low: Math.max(0, Math.floor(least - Math.max(1, (limit - least) * 0.25))), high: limit };
}

function BudgetChart({ passes }: { passes: readonly PassPoint[] }): JSX.Element | null {
  const step = W / Math.max(1, passes.length);
  const known = passes.flatMap((p, i) =>
    p.budget_remaining === null || p.budget_limit === null || p.budget_limit <= 0 ? [] : [{ i, p }]
  );
  if (known.length === 0) return null;
  const limit = known.at(-1)!.p.budget_limit!;
  const least = Math.min(...known.map(({ p }) => p.budget_remaining!));
  const { low, high } = budgetRange(known.map(({ p }) => p.budget_remaining!), limit);
  const y = (v: number) =>
    H - ((Math.min(Math.max(v, low), high) - low) / Math.max(1, high - low)) * (H - 2) - 1;
  const points = known.map(({ i, p }) => ({ x: i * step + step / 2, y: y(p.budget_remaining!), p }));
  return (
    <figure class="chart">
      <figcaption>
        Rate-limit budget left after each pass{" "}
        <span class="muted">
          (of {limit.toLocaleString("en")}; lowest {least.toLocaleString("en")}; the scale runs from{" "}
          {low.toLocaleString("en")} to {high.toLocaleString("en")})
        </span>
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Rate-limit budget, lowest ${least} of ${limit}`}
      >
        <line class="baseline" x1="0" y1={H} x2={W} y2={H} vector-effect="non-scaling-stroke" />
        <polyline
          class="budget"
          points={points.map((pt) => `${pt.x.toFixed(1)},${pt.y.toFixed(1)}`).join(" ")}
          vector-effect="non-scaling-stroke"
        />
        {points.map((pt) => (
          <rect class="budget-point" x={pt.x - step / 2} y="0" width={step} height={H}>
            <title>{passLabel(pt.p)}</title>
          </rect>
        ))}
      </svg>
    </figure>
  );
}

/** The activity of a repository's last passes, or a note when none has run. */
export function ActivityCharts({ passes }: { passes: readonly PassPoint[] }): JSX.Element {
  if (passes.length === 0) return <p class="empty">No pass has run yet: no activity to draw.</p>;
  const failed = passes.filter((p) => !p.ok).length;
  return (
    <div class="charts">
      <p class="muted">
        The last {passes.length} pass{passes.length === 1 ? "" : "es"}, oldest on the left
        {failed > 0 ? `; ${failed} failed (in red)` : ""}. Hover a bar for its figures.
      </p>
      <BarChart label="Requests per pass" unit="requests" passes={passes} value={(p) => p.requests} />
      <BarChart label="Changes per pass" unit="changes" passes={passes} value={changes} />
      <BarChart label="Duration per pass" unit="ms" passes={passes} value={(p) => p.duration_ms} />
      <BudgetChart passes={passes} />
      <div class="axis">
        <span>{when(passes[0]!.at)}</span>
        <span>{when(passes.at(-1)!.at)} UTC</span>
      </div>
    </div>
  );
}
