import { assert, assertEquals, assertFalse, assertStringIncludes } from "../../testing/assert.ts";
import { DashboardAuth, localPath, readSessionCookie, SESSION_SECONDS, sessionCookie } from "./auth.ts";

Deno.test("DashboardAuth: a session it issued verifies; a changed, expired or foreign one does not", async () => {
  let now = 1_800_000_000_000;
  const auth = new DashboardAuth("a-long-random-token", () => now);
  const { value, session } = await auth.issue(true);
  assertEquals(await auth.verify(value), session);
  assertFalse(value.includes("a-long-random-token"), "the cookie never holds the token");
  const [id, expires, , mac] = value.split(".");
  assertEquals(await auth.verify(`${id}.${expires}.0.${mac}`), undefined, "signed-in flag changed");
  assertEquals(await auth.verify(`${id}x.${expires}.1.${mac}`), undefined, "id changed");
  assertEquals(await auth.verify("garbage"), undefined);
  assertEquals(await new DashboardAuth("another-token", () => now).verify(value), undefined, "another key");
  now += SESSION_SECONDS * 1000;
  assertEquals(await auth.verify(value), undefined, "expired");
});

Deno.test("DashboardAuth: CSRF tokens belong to one session; without a token nobody is signed in", async () => {
  const auth = new DashboardAuth(undefined);
  const a = (await auth.issue(true)).session;
  const b = (await auth.issue(false)).session;
  assertFalse(a.signedIn && auth.needsSignIn);
  assert(await auth.checkCsrf(a, await auth.csrf(a)));
  assertFalse(await auth.checkCsrf(b, await auth.csrf(a)));
  assertFalse(await auth.checkCsrf(a, undefined));
  assertFalse(auth.tokenMatches(""), "no token configured: nothing matches");
  const withToken = new DashboardAuth("tok-123456");
  assert(withToken.bearerMatches("Bearer tok-123456"));
  assertFalse(withToken.bearerMatches("Bearer tok-1234567"));
});

Deno.test("sessionCookie(), readSessionCookie() and localPath()", () => {
  const cookie = sessionCookie("v.1.1.m", false);
  for (const part of ["forgesync_session=v.1.1.m", "HttpOnly", "SameSite=Strict", "Path=/"]) {
    assertStringIncludes(cookie, part);
  }
  assertFalse(cookie.includes("Secure"));
  assertStringIncludes(sessionCookie("v", true), "; Secure");
  assertStringIncludes(sessionCookie(null, false), "Max-Age=0");
  assertEquals(readSessionCookie("a=1; forgesync_session=x.y=z; b=2"), "x.y=z");
  assertEquals(readSessionCookie(undefined), undefined);
  assertEquals(localPath("/tasks?page=2"), "/tasks?page=2");
  for (const bad of ["//evil.example/", "https://evil.example/", "/\\evil", "tasks", null]) {
    assertEquals(localPath(bad), "/");
  }
});
