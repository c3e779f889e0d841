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

if (import.meta.main) {
  await Deno.mkdir(REPORT_DIR, { recursive: true });
  await Deno.remove(REPORT).catch(() => undefined);
  const args = [
    "test",
    `--config=${TEST_CONFIG}`,
    "--allow-all",
    "--parallel",
    `--junit-path=${REPORT}`,
    ...Deno.args,
  ];
  const status = await new Deno.Command(Deno.execPath(), {
    args,
    stdout: "inherit",
    stderr: "inherit",
    env: { FORGESYNC_LOG_LEVEL: Deno.env.get("FORGESYNC_LOG_LEVEL") ?? "error" },
  }).spawn().status;
  let counts: Counts = { passed: 0, failed: 1, skipped: 0 };
  try {
    counts = countJunit(await Deno.readTextFile(REPORT));
    if (!status.success && counts.failed === 0) counts = { ...counts, failed: 1 };
  } catch {
    console.error("No JUnit report was written: deno test failed before running (see above).");
  }
  console.log(`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  Deno.exit(counts.failed > 0 || !status.success ? 1 : 0);
}
