/**
 * `deno task test`: runs the whole suite with a JUnit report and closes with the line CI reads,
 * `tests: N passed, N failed, N skipped`. Exits non-zero when anything failed.
 *
 * Arguments are passed to `deno test` (e.g. a path or `--filter`). Tests run with `deno.test.json`: the
 * runtime's imports plus the test-only packages (fast-check, recorded fixtures, playwright-core…), each
 * with its own lock file, so that `deno task mcp`, `start` and `init` never download what only tests use.
 *
 * @module
 */

const REPORT_DIR = ".test-report";
const REPORT = `${REPORT_DIR}/junit.xml`;
/** The configuration the tests run with (see deno.test.json). */
export const TEST_CONFIG = "deno.test.json";

/** Counts of a JUnit report. */
export interface Counts {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Counts the test cases of a JUnit XML report (Deno reports each step as a test case). */
export function countJunit(xml: string): Counts {
  let passed = 0, failed = 0, skipped = 0;
  for (const match of xml.matchAll(/<testcase\b[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const inner = match[1] ?? "";
    if (/<(failure|error)\b/.test(inner)) failed++;
    else if (/<skipped\b/.test(inner)) skipped++;
    else passed++;
  }
  return { passed, failed, skipped };
}

/**
 * Test files run after the others, on their own: headless Chromium takes a core, and tests that
 * count what happens within a time (passes while people edit) must not share the machine with it.
 */
export const ALONE: readonly string[] = ["tests/e2e/dashboard_browser_test.ts"];

/** Whether `path` names a file or folder. */
function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The `deno test` runs for these arguments: one when test files or folders are named, else the suite
 * then {@link ALONE}.
 */
export function runs(
  args: readonly string[],
  isPath: (arg: string) => boolean = exists,
): { args: string[]; report: string }[] {
  const base = ["test", `--config=${TEST_CONFIG}`, "--allow-all"];
  if (args.some((a) => !a.startsWith("-") && isPath(a))) {
    return [{ args: [...base, "--parallel", `--junit-path=${REPORT}`, ...args], report: REPORT }];
  }
  const alone = `${REPORT_DIR}/junit-alone.xml`;
  return [
    {
      args: [...base, "--parallel", `--junit-path=${REPORT}`, ...ALONE.map((f) => `--ignore=${f}`), ...args],
      report: REPORT,
    },
    { args: [...base, `--junit-path=${alone}`, ...args, ...ALONE], report: alone },
  ];
}

if (import.meta.main) {
  await Deno.mkdir(REPORT_DIR, { recursive: true });
  let total: Counts = { passed: 0, failed: 0, skipped: 0 };
  let success = true;
  for (const run of runs(Deno.args)) {
    await Deno.remove(run.report).catch(() => undefined);
    const status = await new Deno.Command(Deno.execPath(), {
      args: run.args,
      stdout: "inherit",
      stderr: "inherit",
      env: { FORGESYNC_LOG_LEVEL: Deno.env.get("FORGESYNC_LOG_LEVEL") ?? "error" },
    }).spawn().status;
    let counts: Counts = { passed: 0, failed: 1, skipped: 0 };
    try {
      counts = countJunit(await Deno.readTextFile(run.report));
      if (!status.success && counts.failed === 0) counts = { ...counts, failed: 1 };
    } catch {
      console.error("No JUnit report was written: deno test failed before running (see above).");
    }
    success &&= status.success;
    total = {
      passed: total.passed + counts.passed,
      failed: total.failed + counts.failed,
      skipped: total.skipped + counts.skipped,
    };
  }
  console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  Deno.exit(total.failed > 0 || !success ? 1 : 0);
}
