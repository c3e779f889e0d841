import { assert, assertEquals } from "../testing/assert.ts";
import { credentialsIn, credentialsRefusal, maskCredentials, withoutUserName } from "./credentials.ts";
import { registerSecret } from "../log.ts";

const GHP = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";

Deno.test("credentialsIn() finds URL passwords and token shapes, and accepts plain forms", () => {
  assertEquals(credentialsIn(`https://x-access-token:${GHP}@github.com/o/r.git`), "token");
  assertEquals(credentialsIn("https://someone:plainpassword@gitlab.com/g/p"), "password");
  assertEquals(credentialsIn("ssh://git:pw@github.com/o/r.git"), "password");
  assertEquals(credentialsIn("user:pw@github.com/o/r"), "password");
  assertEquals(credentialsIn(`https://${GHP}@github.com/o/r`), "token");
  assertEquals(credentialsIn(GHP), "token");
  for (
    const ok of ["o/r", "https://github.com/o/r", "git@github.com:o/r.git", "ssh://git@github.com/o/r.git"]
  ) {
    assertEquals(credentialsIn(ok), undefined, ok);
  }
  assertEquals(credentialsIn("https://alice@bitbucket.org/ws/repo.git"), undefined);
});

Deno.test("credentialsIn() finds a registered secret that has no token shape", () => {
  registerSecret("unshaped-secret-value-1234");
  assertEquals(credentialsIn("https://github.com/unshaped-secret-value-1234/r"), "token");
});

Deno.test("withoutUserName() drops the user name of an authority only", () => {
  assertEquals(
    withoutUserName("https://alice@bitbucket.org/ws/repo.git"),
    "https://bitbucket.org/ws/repo.git",
  );
  assertEquals(withoutUserName("ssh://git@github.com/o/r.git"), "ssh://github.com/o/r.git");
  assertEquals(withoutUserName("git@github.com:o/r.git"), "git@github.com:o/r.git");
  assertEquals(withoutUserName("o/r"), "o/r");
});

Deno.test("maskCredentials() and credentialsRefusal() never show the secret", () => {
  const text = "https://someone:plainpassword@gitlab.com/g/p";
  assertEquals(maskCredentials(text), "https://***@gitlab.com/g/p");
  assertEquals(maskCredentials("user:pw@github.com/o/r"), "***@github.com/o/r");
  const refusal = credentialsRefusal("repository", `https://x:${GHP}@github.com/o/r`);
  assert(!refusal.message.includes(GHP) && !refusal.message.includes("plainpassword"));
  assert(refusal.message.includes("repository"));
  assert(refusal.hint.includes("api_token_name"));
});
