import { assertEquals, assertThrows } from "../testing/assert.ts";
import { parseDbServerArgs } from "./db_server.ts";

Deno.test("parseDbServerArgs() has loopback defaults and reads every option", () => {
  assertEquals(parseDbServerArgs([]), {
    data: ".forgesync/primary",
    host: "127.0.0.1",
    port: 8080,
    newKey: false,
  });
  assertEquals(parseDbServerArgs(["--data=/srv/db", "--port", "9000", "--jwt-key-file", "k.pub"]), {
    data: "/srv/db",
    host: "127.0.0.1",
    port: 9000,
    jwtKeyFile: "k.pub",
    newKey: false,
  });
  assertEquals(parseDbServerArgs(["--host", "0.0.0.0", "--new-key"]).newKey, true);
});

Deno.test("parseDbServerArgs() refuses bad values, unknown flags and an open host without a key", () => {
  assertThrows(() => parseDbServerArgs(["--port", "70000"]));
  assertThrows(() => parseDbServerArgs(["--port"]));
  assertThrows(() => parseDbServerArgs(["--verbose"]));
  assertThrows(() => parseDbServerArgs(["--host", "0.0.0.0"]));
  assertThrows(() => parseDbServerArgs(["--new-key", "--jwt-key-file", "k.pub"]));
});
