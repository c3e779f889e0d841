/**
 * The README's first command, `deno task demo`, run as a user runs it: the whole walkthrough against
 * the bundled sandbox, ending with its "Done" line and a zero exit.
 */
import { assert, assertStringIncludes } from "../../src/testing/assert.ts";
import { childEnv, ROOT } from "./helpers.ts";

Deno.test("deno task demo runs the whole walkthrough and ends well", async () => {
  const denoJson = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`)) as {
    tasks: Record<string, string>;
  };
  const args = denoJson.tasks.demo!.split(/\s+/).slice(1);
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: childEnv({}),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert(out.success, text);
  assertStringIncludes(text, "resolved with the local value");
  assertStringIncludes(text, "Done");
});
