/**
 * The GraphQL endpoint of the GitHub sandbox: `POST /graphql` (api.github.com-like) or
 * `POST /api/graphql` (GitHub Enterprise Server-like, where the REST API is `/api/v3`). Like GitHub:
 * a token is required (401 otherwise), answers are HTTP 200 with `data` and/or `errors`, a body that
 * is not JSON is a 400, and a separate `graphql` budget is counted in the `x-ratelimit-*` headers;
 * once it is spent every request answers a `RATE_LIMITED` error. The sandbox's faults (5xx, 429,
 * resets …) apply here as everywhere, through the shared middleware.
 *
 * @module
 */
import type { Context } from "hono";
import type { ProjectsState } from "../projects.ts";
import type { Budget } from "../rate.ts";
import { type ServerConfig, urlsOf } from "../server.ts";
import { Executor, type GraphQLRequest } from "./execute.ts";
import { GITHUB_SCHEMA, type GraphQLContext } from "./schema.ts";

const AUTH_DOCS =
  "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql";
const executor = new Executor<GraphQLContext>(GITHUB_SCHEMA);
let requestCounter = 0;

function headers(budget: Budget): Record<string, string> {
  requestCounter += 1;
  return {
    "content-type": "application/json; charset=utf-8",
    "x-github-media-type": "github.v4; format=json",
    "x-github-request-id": `6C2E:${requestCounter.toString(16).toUpperCase().padStart(6, "0")}:SANDBOX`,
    ...budget.headers(),
  };
}

function answer(status: number, body: unknown, budget: Budget): Response {
  return new Response(JSON.stringify(body), { status, headers: headers(budget) });
}

/** The handler of the GraphQL endpoint. */
export function graphqlEndpoint(
  config: ServerConfig,
  projects: ProjectsState,
  budget: Budget,
): (c: Context) => Promise<Response> {
  return async (c) => {
    const raw = c.req.header("authorization")?.trim() ?? "";
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(raw);
    if (raw === "") {
      return answer(401, {
        message: "This endpoint requires you to be authenticated.",
        documentation_url: AUTH_DOCS,
      }, budget);
    }
    const viewer = m === null ? undefined : config.tokens.get(m[1]!);
    if (viewer === undefined) {
      return answer(
        401,
        { message: "Bad credentials", documentation_url: "https://docs.github.com/graphql" },
        budget,
      );
    }
    if (budget.remaining <= 0) {
      return answer(200, {
        errors: [{
          type: "RATE_LIMITED",
          code: "graphql_rate_limit",
          message: `API rate limit already exceeded for user ID ${config.state.user(viewer.login).id}.`,
        }],
      }, budget);
    }
    let request: GraphQLRequest;
    try {
      const body = JSON.parse(await c.req.text());
      if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error("not an object");
      request = body;
    } catch {
      return answer(400, {
        message: "Problems parsing JSON",
        documentation_url: "https://docs.github.com/graphql",
      }, budget);
    }
    const result = executor.run(request, {
      state: config.state,
      projects,
      viewer,
      urls: urlsOf(config, new URL(c.req.url)),
      budget,
    });
    budget.spend();
    return answer(200, result, budget);
  };
}
