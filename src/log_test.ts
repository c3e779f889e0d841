import { assert, assertEquals, assertStringIncludes } from "./testing/assert.ts";
import { redact, redactValue, registerSecret } from "./log.ts";

const GHP = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
const GHS = "ghs_" + "abcdefghijklmnopqrstuvwxyz0123";
const FINE_GRAINED = "github_pat_11ABCDEFG0123456789_" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX";
const GLPAT = "glpat-" + "Xy9_abcdefghij-0123";
const ATLASSIAN = "ATATT3xFfGF0" + "abcdefghijklmnopqrstuvwxyz0123456789";

Deno.test("redact() removes registered secrets wherever they appear", () => {
  registerSecret("correct-horse-battery-staple");
  assertEquals(
    redact("token=correct-horse-battery-staple; again correct-horse-battery-staple!"),
    "token=[REDACTED]; again [REDACTED]!",
  );
  assertEquals(redact("prefixcorrect-horse-battery-staplesuffix"), "prefix[REDACTED]suffix");
});

Deno.test("registerSecret() ignores empty and very short values so that ordinary text survives", () => {
  registerSecret(undefined);
  registerSecret("");
  registerSecret("abc");
  assertEquals(
    redact("abc is a word; an empty string is not a secret"),
    "abc is a word; an empty string is not a secret",
  );
});

Deno.test("redact() removes GitHub, GitLab and Atlassian token shapes", () => {
  for (const token of [GHP, GHS, FINE_GRAINED, GLPAT, ATLASSIAN]) {
    const out = redact(`request failed with ${token} at line 3`);
    assert(!out.includes(token), out);
    assertEquals(out, "request failed with [REDACTED] at line 3");
  }
  const url = redact(`https://x-access-token:${GHS}@github.com/acme/widgets.git`);
  assertEquals(url, "https://x-access-token:[REDACTED]@github.com/acme/widgets.git");
});

Deno.test("redact() removes Authorization, PRIVATE-TOKEN and X-Gitlab-Token header values", () => {
  const cases: Array<[string, string]> = [
    ["Authorization: Bearer abc.def.ghi", "Authorization: [REDACTED]"],
    ["authorization: token opaque-value", "authorization: [REDACTED]"],
    ["Authorization: Basic dXNlcjpwYXNz", "Authorization: [REDACTED]"],
    ["Authorization:Bearer tight", "Authorization:[REDACTED]"],
    ["PRIVATE-TOKEN: some-gitlab-token", "PRIVATE-TOKEN: [REDACTED]"],
    ["private-token=abcdef123", "private-token=[REDACTED]"],
    ["X-Gitlab-Token: webhook-secret-1", "X-Gitlab-Token: [REDACTED]"],
    [`{"authorization":"Bearer xyz123","accept":"json"}`, `{"authorization":"[REDACTED]","accept":"json"}`],
    [
      `headers: { "Authorization": "Bearer xyz123", 'PRIVATE-TOKEN': 'zzz' }`,
      `headers: { "Authorization": "[REDACTED]", 'PRIVATE-TOKEN': '[REDACTED]' }`,
    ],
  ];
  for (const [input, expected] of cases) assertEquals(redact(input), expected, input);
});

Deno.test("redact() leaves ordinary text untouched", () => {
  for (
    const text of [
      "",
      "Task task_01ARZ3NDEKTSV4RRFFQ69G5FAV moved from pending to in_progress.",
      "The authorization of the release was approved by the team.",
      "Mentions of ghp_ short, glpat- and github_pat_ prefixes alone are fine.",
      'Robert\'); DROP TABLE tasks;-- 🚀 "quoted" \\ %_',
      "https://github.com/acme/widgets/issues/42 and https://gitlab.com/g/p/-/issues/7",
      "Tokens are read from GITHUB_TOKEN, GITLAB_TOKEN and FORGESYNC_HTTP_TOKEN.",
      JSON.stringify({ feature_id: "feat_X", title: "Private token handling", labels: ["auth"] }),
    ]
  ) {
    assertEquals(redact(text), text);
  }
});

Deno.test("log lines go to stderr only, redacted", async () => {
  const script = `
    import { log, registerSecret } from ${JSON.stringify(new URL("./log.ts", import.meta.url).href)};
    registerSecret("registered-secret-value");
    log.info("calling with registered-secret-value", { headers: { Authorization: "Bearer ${GLPAT}" } });
    log.error("failed: ${GHP}");
    log.debug("below the threshold");
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", script],
    env: { FORGESYNC_LOG_LEVEL: "info" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  assert(out.success, stderr);
  assertEquals(stdout, "");
  const lines = stderr.trim().split("\n");
  assertEquals(lines.length, 2, stderr);
  assertStringIncludes(lines[0]!, "INFO calling with [REDACTED]");
  assertStringIncludes(lines[0]!, `"Authorization":"[REDACTED]"`);
  assertStringIncludes(lines[1]!, "ERROR failed: [REDACTED]");
  for (const secret of ["registered-secret-value", GLPAT, GHP]) assert(!stderr.includes(secret), stderr);
});

Deno.test("redactValue() redacts every string of a JSON value, keys and nested arrays included", () => {
  const token = "ghp_" + "0123456789abcdefghijABCDEFGHIJ";
  const out = redactValue({
    a: token,
    list: [{ b: `x ${token} y` }, 3, null, true],
    [token]: "key",
    when: new Date(0),
  });
  assertEquals(
    out,
    {
      a: "[REDACTED]",
      list: [{ b: "x [REDACTED] y" }, 3, null, true],
      "[REDACTED]": "key",
      when: "1970-01-01T00:00:00.000Z",
    } as unknown as typeof out,
  );
});
