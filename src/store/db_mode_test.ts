import { assertEquals } from "../testing/assert.ts";
import { classifyServerError, dbMode, replicaSyncUrl, serverAddress, startupPragmas } from "./db_mode.ts";

Deno.test("dbMode() tells local files, memory, replicas and remote servers apart", () => {
  assertEquals(dbMode({ url: ":memory:" }), "memory");
  assertEquals(dbMode({ url: "file::memory:?cache=shared" }), "memory");
  assertEquals(dbMode({ url: "file:.forgesync/forgesync.db" }), "local");
  assertEquals(dbMode({ url: "file:/a/b.db", syncUrl: "http://127.0.0.1:8080" }), "replica");
  for (
    const url of ["http://127.0.0.1:8080", "https://db.example.com", "libsql://team.turso.io", "ws://h:1"]
  ) {
    assertEquals(dbMode({ url }), "remote", url);
  }
});

Deno.test("startupPragmas() sends WAL to local files only", () => {
  assertEquals(startupPragmas("local"), ["PRAGMA journal_mode=WAL"]);
  for (const mode of ["memory", "replica", "remote"] as const) assertEquals(startupPragmas(mode), []);
});

Deno.test("replicaSyncUrl() gives the replication client http(s) for tls=0 and WebSocket forms", () => {
  assertEquals(replicaSyncUrl("libsql://127.0.0.1:8080?tls=0"), "http://127.0.0.1:8080");
  assertEquals(replicaSyncUrl("libsql://[::1]:8080?tls=0"), "http://[::1]:8080");
  assertEquals(replicaSyncUrl("ws://127.0.0.1:8080"), "http://127.0.0.1:8080");
  assertEquals(replicaSyncUrl("wss://db.example.com"), "https://db.example.com");
  assertEquals(replicaSyncUrl("libsql://team-org.turso.io"), "libsql://team-org.turso.io");
  assertEquals(replicaSyncUrl("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
  assertEquals(replicaSyncUrl("not a url"), "not a url");
});

Deno.test("serverAddress() names host:port and never a user, password, path or query", () => {
  assertEquals(serverAddress("http://127.0.0.1:8080"), "127.0.0.1:8080");
  assertEquals(serverAddress("https://user:secret@db.example.com/x?authToken=secret"), "db.example.com:443");
  assertEquals(serverAddress("libsql://team.turso.io?authToken=secret"), "team.turso.io:443");
  assertEquals(serverAddress("libsql://127.0.0.1:8080?tls=0"), "127.0.0.1:8080");
  assertEquals(serverAddress("http://db.local"), "db.local:80");
  assertEquals(serverAddress("%%%"), "(an unreadable URL)");
});

Deno.test("classifyServerError() reads the errors @libsql/client gives (as seen against sqld)", () => {
  const refused = new Error(
    'WriteDelegation(status: Unavailable, message: "error trying to connect: tcp connect error: Connection refused (os error 111)"',
  );
  assertEquals(classifyServerError(refused), "unreachable");
  assertEquals(classifyServerError(new Error("Replication(PrimaryHandshakeTimeout)")), "unreachable");
  assertEquals(
    classifyServerError(
      new TypeError("fetch failed", { cause: new Error("tcp connect error: Connection refused") }),
    ),
    "unreachable",
  );
  assertEquals(
    classifyServerError(
      new Error('WriteDelegation(status: Unauthenticated, message: "AuthError: The JWT is invalid"'),
    ),
    "unauthorized",
  );
  assertEquals(
    classifyServerError(new Error("SERVER_ERROR: Server returned HTTP status 401")),
    "unauthorized",
  );
  assertEquals(
    classifyServerError(
      new TypeError("fetch failed", {
        cause: new Error("received corrupt message of type InvalidContentType"),
      }),
    ),
    "plain-http",
  );
  assertEquals(
    classifyServerError(new Error("SQLITE_CONSTRAINT: UNIQUE constraint failed: tasks.task_id")),
    undefined,
  );
  assertEquals(classifyServerError(new Error("SQLITE_ERROR: no such table: x")), undefined);
});
