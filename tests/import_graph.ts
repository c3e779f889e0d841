/**
 * The layer rule, read from the import graph of the sources.
 *
 * ```
 * domain, config, log, version          (foundation: imports nothing of ours)
 *   ← store | platform                   (neither imports the other)
 *     ← forges, sync, issues, boards, releases   (services; no cycle among them)
 *       ← mcp ← http                     (surfaces)
 *         ← app.ts (composition root) ← cli ← mod.ts
 * plugins/<name>: only their own files and the public contract (src/platform/mod.ts)
 * src/testing: the published test kit and sandboxes; production code never imports it
 * ```
 *
 * Test code (`*_test.ts`, `test_support.ts`, `test_helpers.ts`, `test_*.ts`, `testdata/`, `src/testing/`)
 * may import anything. Every file, test code included, is free of import cycles.
 *
 * @module
 */

/** One import: the importing file, the imported file (both relative to the repository root). */
export interface Edge {
  readonly from: string;
  readonly to: string;
}

/** The layer a production file belongs to, or undefined for test code and files outside the rule. */
export function unitOf(path: string): string | undefined {
  if (isTestCode(path)) return undefined;
  if (path === "mod.ts") return "mod";
  const plugin = path.match(/^plugins\/([^/]+)\//);
  if (plugin) return `plugins/${plugin[1]}`;
  const m = path.match(/^src\/([^/]+)(\/|$)/);
  if (!m) return undefined;
  if (!path.slice("src/".length).includes("/")) {
    return { "app.ts": "app", "config.ts": "foundation", "log.ts": "foundation", "version.ts": "foundation" }[
      m[1]!
    ] ?? `src/${m[1]}`;
  }
  return m[1] === "domain" ? "foundation" : m[1]!;
}

/** True for tests, their helpers and fixtures, and the published test kit. */
export function isTestCode(path: string): boolean {
  const name = path.split("/").at(-1)!;
  return path.startsWith("src/testing/") || path.includes("/testdata/") || name.endsWith("_test.ts") ||
    name === "test_support.ts" || name === "test_helpers.ts" || name.startsWith("test_") ||
    path.startsWith("tests/") || path.startsWith("bench/") || path.startsWith("examples/") ||
    path.startsWith("scripts/");
}

const SERVICES = ["forges", "sync", "issues", "boards", "releases"];

/** The core: the units the surfaces (mcp, http, app, cli) are built on. */
export const CORE_UNITS: readonly string[] = ["foundation", "store", "platform", ...SERVICES];

/** What each unit may import besides itself. */
const ALLOWED: Record<string, readonly string[]> = {
  foundation: [],
  store: ["foundation"],
  platform: ["foundation"],
  ...Object.fromEntries(SERVICES.map((s) => [s, ["foundation", "store", "platform", ...SERVICES]])),
  mcp: CORE_UNITS,
  http: [...CORE_UNITS, "mcp"],
  app: ["foundation", "store", "platform", ...SERVICES, "mcp", "http"],
  cli: ["foundation", "store", "platform", ...SERVICES, "mcp", "http", "app"],
  mod: ["foundation", "store", "platform", ...SERVICES, "mcp", "http", "app", "cli"],
};

/** The files of the public plugin contract. */
const CONTRACT = "src/platform/mod.ts";

/** Every import that breaks the layer rule, as `from -> to: why`. */
export function layerViolations(edges: readonly Edge[]): string[] {
  const out: string[] = [];
  for (const { from, to } of edges) {
    const a = unitOf(from);
    if (a === undefined) continue;
    if (to.startsWith("src/testing/")) {
      out.push(`${from} -> ${to}: production code imports the test kit`);
      continue;
    }
    if (a.startsWith("plugins/")) {
      if (!to.startsWith(`${a}/`) && to !== CONTRACT) {
        out.push(`${from} -> ${to}: a plugin imports only its own files and ${CONTRACT}`);
      }
      continue;
    }
    const b = unitOf(to);
    if (b === undefined || a === b) continue;
    if (b.startsWith("plugins/")) {
      out.push(`${from} -> ${to}: the core loads plugins through the registry, never by import`);
    } else if (!(ALLOWED[a] ?? []).includes(b)) {
      out.push(`${from} -> ${to}: ${a} may not import ${b}`);
    }
  }
  return out.sort();
}

/** Cycles among `nodes` under `edges` (Tarjan's strongly connected components of size > 1, or self-loops). */
export function cycles(edges: ReadonlyArray<readonly [string, string]>): string[][] {
  const next = new Map<string, string[]>();
  for (const [a, b] of edges) {
    if (!next.has(a)) next.set(a, []);
    next.get(a)!.push(b);
    if (!next.has(b)) next.set(b, []);
  }
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v)!) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || next.get(v)!.includes(v)) found.push(component.sort());
    }
  };
  for (const v of next.keys()) if (!indices.has(v)) visit(v);
  return found;
}

/** The relative imports (static, re-exports and dynamic with a literal) of one source text. */
export function importsOf(path: string, text: string): string[] {
  const out: string[] = [];
  const patterns = [
    /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s*["'](\.{1,2}\/[^"']+)["']/g,
    /(?:^|\n)\s*import\s*["'](\.{1,2}\/[^"']+)["']/g,
    /\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) {
      out.push(new URL(m[1]!, `file:///${path}`).pathname.slice(1));
    }
  }
  return out;
}

/** Every import edge of the `.ts` files under `roots` (and `mod.ts`), read from disk. */
export async function readGraph(roots: readonly string[]): Promise<Edge[]> {
  const files: string[] = ["mod.ts"];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (/\.tsx?$/.test(path)) files.push(path);
    }
  };
  for (const root of roots) await walk(root);
  const edges: Edge[] = [];
  for (const file of files) {
    for (const to of importsOf(file, await Deno.readTextFile(file))) edges.push({ from: file, to });
  }
  return edges;
}

/** SQL statements in a source text (upper-case keywords, as this code base writes them). */
export function sqlStatementsIn(text: string): number {
  return text.match(/\b(SELECT\s+[\w*(]|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)/g)
    ?.length ?? 0;
}

/** How many times a source runs an Effect (`Effect.runPromise`, `runtime.runSync`, …) outside comments. */
export function effectRunsIn(text: string): number {
  const code = text.split("\n").filter((line) => !/^\s*(\*|\/\/|\/\*\*)/.test(line)).join("\n");
  return code.match(/\.run(Promise|PromiseExit|Sync|SyncExit|Fork|Callback)\b/g)?.length ?? 0;
}
