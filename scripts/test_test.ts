import { assertEquals } from "../src/testing/assert.ts";
import { ALONE, countJunit, runs } from "./test.ts";

Deno.test("runs(): the suite then the tests that run alone; one run when paths are given", () => {
  const whole = runs(["--filter", "dashboard"]);
  assertEquals(whole.length, 2);
  for (const file of ALONE) {
    assertEquals(whole[0]!.args.includes(`--ignore=${file}`), true);
    assertEquals(whole[1]!.args.at(-1), file);
  }
  assertEquals(whole[0]!.args.includes("--parallel"), true);
  assertEquals(whole[1]!.args.includes("--parallel"), false, "alone means alone");
  assertEquals(whole[1]!.args.includes("dashboard"), true, "flags reach both runs");
  const one = runs(["src/cli/args_test.ts"]);
  assertEquals(one.length, 1);
  assertEquals(one[0]!.args.at(-1), "src/cli/args_test.ts");
});

Deno.test("countJunit() counts passed, failed and skipped test cases", () => {
  const xml =
    `<testsuites><testsuite><testcase name="a"/><testcase name="b"><failure message="x"/></testcase>` +
    `<testcase name="c"><skipped/></testcase></testsuite></testsuites>`;
  assertEquals(countJunit(xml), { passed: 1, failed: 1, skipped: 1 });
});
