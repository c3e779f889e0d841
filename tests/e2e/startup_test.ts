/**
 * Start-up failures a person can fix (issue 9, findings 7 and 9): a busy port, a database folder
 * that cannot be written, a file that is not a database. Each is one or two clear lines on stderr
 * naming what failed and why — no stack trace — and a non-zero exit.
 */
import { assert, assertEquals, assertFalse, assertStringIncludes } from "../../src/testing/assert.ts";
import { childEnv, ROOT, startHttpServer, taskArgs, withTempDir } from "./helpers.ts";

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The non-empty lines of stderr. */
  readonly lines: string[];
}

async function run(task: "mcp" | "start", env: Record<string, string>): Promise<Run> {
  const { RUST_BACKTRACE: _, ...base } = childEnv(env);
  const output = await new Deno.Command(Deno.execPath(), {
    args: taskArgs(task),
    cwd: ROOT,
    env: base,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  return {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout),
    stderr,
    lines: stderr.split("\n").filter((l) => l.trim() !== ""),
  };
}

/** One or two lines, no stack trace, non-zero exit. */
function assertClearFailure(r: Run): void {
  assert(r.code !== 0, `exit code ${r.code}`);
  assert(r.lines.length >= 1 && r.lines.length <= 2, `stderr should be one or two lines:\n${r.stderr}`);
  assertFalse(/^\s+at /m.test(r.stderr), `a stack trace:\n${r.stderr}`);
  assertFalse(r.stderr.includes("Uncaught"), r.stderr);
}

Deno.test("start on a busy port: one clear line naming the port and a non-zero exit", async () => {
  await withTempDir(async (dir) => {
    const first = await startHttpServer({ FORGESYNC_DB_URL: `file:${dir}/first.db` });
    try {
      const port = new URL(first.url).port;
      const second = await run("start", {
        FORGESYNC_DB_URL: `file:${dir}/second.db`,
        FORGESYNC_HTTP_PORT: port,
      });
      assertClearFailure(second);
      assertEquals(second.lines.length, 1, second.stderr);
      assertStringIncludes(second.stderr, port);
      assertStringIncludes(second.stderr, "FORGESYNC_HTTP_PORT");
      // The first server is untouched.
      const health = await fetch(`${first.url}/healthz`);
      assertEquals(health.status, 200);
      await health.body?.cancel();
    } finally {
      await first.stop();
    }
  });
});

Deno.test("start-up on a file that is not a database: one or two lines naming the file and the cause", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/notes.db`;
    await Deno.writeTextFile(path, "These are my notes, not a database.\n".repeat(200));
    for (const task of ["mcp", "start"] as const) {
      const r = await run(task, { FORGESYNC_DB_URL: `file:${path}`, FORGESYNC_HTTP_PORT: "0" });
      assertClearFailure(r);
      assertStringIncludes(r.stderr, path);
      assertStringIncludes(r.stderr, "not a database");
      assertEquals(r.stdout, "", "stdout stays clean");
    }
    assertEquals(
      await Deno.readTextFile(path),
      "These are my notes, not a database.\n".repeat(200),
      "left alone",
    );
  });
});

/** Makes `dir` unwritable, even for root (chattr +i), or returns false when that is not possible. */
async function makeReadOnly(dir: string): Promise<boolean> {
  if (Deno.uid() === 0) {
    const chattr = await new Deno.Command("chattr", { args: ["+i", dir] }).output().catch(() => undefined);
    if (chattr === undefined || !chattr.success) return false;
  } else {
    await Deno.chmod(dir, 0o555);
  }
  try {
    await Deno.writeTextFile(`${dir}/probe`, "x");
    await Deno.remove(`${dir}/probe`);
    return false;
  } catch {
    return true;
  }
}

async function makeWritable(dir: string): Promise<void> {
  if (Deno.uid() === 0) {
    await new Deno.Command("chattr", { args: ["-i", dir] }).output().catch(() => undefined);
  } else await Deno.chmod(dir, 0o755);
}

Deno.test("start-up in a read-only folder: one or two lines naming the database and the cause", async (t) => {
  await withTempDir(async (dir) => {
    const folder = `${dir}/locked`;
    await Deno.mkdir(folder);
    if (!(await makeReadOnly(folder))) {
      await t.step({
        name: "skipped: this machine cannot make a folder read-only",
        ignore: true,
        fn: () => {},
      });
      return;
    }
    try {
      for (const task of ["mcp", "start"] as const) {
        const r = await run(task, {
          FORGESYNC_DB_URL: `file:${folder}/forgesync.db`,
          FORGESYNC_HTTP_PORT: "0",
        });
        assertClearFailure(r);
        assertStringIncludes(r.stderr, `${folder}/forgesync.db`);
        assert(/read-only|permission|cannot (be )?(written|write|create)/i.test(r.stderr), r.stderr);
      }
    } finally {
      await makeWritable(folder);
    }
  });
});

Deno.test("start-up with an unreachable libSQL primary: one or two lines naming it, UNAVAILABLE's hint", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const r = await run("mcp", { FORGESYNC_DB_URL: `http://127.0.0.1:${port}` });
  assertClearFailure(r);
  assertStringIncludes(r.stderr, `127.0.0.1:${port}`);
  assertStringIncludes(r.stderr, "cannot be reached.");
  assertEquals(r.stdout, "");
});
