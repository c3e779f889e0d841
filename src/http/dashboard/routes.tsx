/**
 * The dashboard (SPEC §8): its routes, each behind the Origin guard (the Host guard covers the
 * whole app), the sign-in check and, for forms, the CSRF check:
 *
 * - `GET /` overview; `/tasks`, `/features`, `/links`, `/conflicts` (filters and pages), `/releases`,
 *   `/boards`; `/tasks/:id`, `/features/:id`, `/links/:id`, `/conflicts/:id`, `/releases/:id`
 *   (`page_routes.tsx`).
 * - `POST /conflicts/:id/resolve`, `GET|POST /login`, `POST /logout` (`form_routes.tsx`).
 *
 * Pages are rendered on the server with no script; the Content Security Policy allows inline styles,
 * forms to this server, and nothing else. A page reads what it shows from the store's read model
 * (`src/store/dashboard_*.ts`) in one run of the runtime.
 *
 * @module
 */
import type { Hono } from "hono";
import type { ToolRuntime } from "../../mcp/tools/mod.ts";
import type { AppConfig } from "../../config.ts";
import { DASHBOARD_CSP, DashboardKit } from "./kit.tsx";
import { mountPages } from "./page_routes.tsx";
import { mountForms } from "./form_routes.tsx";

export { DASHBOARD_CSP };

/** Adds the dashboard's routes to `app`. */
export function mountDashboard(
  app: Hono,
  runtime: ToolRuntime,
  config: AppConfig,
  token: string | undefined,
): void {
  const kit = new DashboardKit(runtime, config, token);
  mountPages(app, kit);
  mountForms(app, kit);
}
