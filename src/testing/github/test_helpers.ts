/**
 * Helpers shared by the GitHub sandbox tests: raw HTTP calls with a chosen token.
 *
 * @module
 */
import type { GitHubSandbox } from "./sandbox.ts";

/** A raw answer: status, headers and parsed JSON (undefined for an empty body). */
export interface Raw {
  readonly status: number;
  readonly headers: Headers;
  // deno-lint-ignore no-explicit-any
  readonly json: any;
  readonly text: string;
}

/** Calls the sandbox API at `path` (relative to `apiUrl`) with the write token unless told otherwise. */
export async function api(
  gh: GitHubSandbox,
  path: string,
  init: { method?: string; body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<Raw> {
  const headers: Record<string, string> = { accept: "application/vnd.github+json", ...(init.headers ?? {}) };
  const token = init.token === undefined ? gh.token : init.token;
  if (token !== null) headers.authorization = `token ${token}`;
  const url = path.startsWith("http") ? path : `${gh.apiUrl}${path}`;
  const res = await fetch(url, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined
      ? undefined
      : typeof init.body === "string"
      ? init.body
      : JSON.stringify(init.body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** The URLs of a `link` header by relation. */
export function links(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of (header ?? "").matchAll(/<([^>]+)>; rel="([a-z]+)"/g)) out[m[2]!] = m[1]!;
  return out;
}

/** A controllable clock for sandboxes: starts at `start` (epoch ms) and moves only when told. */
export class ManualClock {
  #now: number;
  constructor(start = Date.UTC(2026, 10, 25, 12, 0, 0)) {
    this.#now = start;
  }
  readonly now = (): number => this.#now;
  /** Moves the clock forward. */
  advance(ms: number): void {
    this.#now += ms;
  }
}
