/**
 * A token is only ever sent to the host it was configured for (issue 9, finding 1; SPEC §12).
 * A listening "attacker" server records every request it receives: a tool call must not be able
 * to make forgesync send it any token, whether through `api_url`, `api_token_name`, a re-configured
 * repository's next ordinary sync, a row stored before the rules existed, or a redirect.
 */
import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { Db } from "../../src/store/db.ts";
import { execute } from "../../src/store/sql.ts";
import { dumpSync, openSession, PLATFORMS, type Session } from "./sync_support.ts";
import { assertNotInDatabaseFiles } from "./secret_support.ts";

const G = "orchestrator_git_integration";
const OTHER_SECRET = "other-secret-value-0123456789";
const HTTP_TOKEN = "http-bearer-token-0123456789";

/** A server that records what it receives (and answers like a forge would, to be convincing). */
interface Listener {
  readonly url: string;
  readonly origin: string;
  readonly hostPort: string;
  readonly received: Array<{ method: string; path: string; headers: Record<string, string> }>;
  close(): Promise<void>;
}

function listen(answer?: (request: Request) => Response): Listener {
  const received: Listener["received"] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    received.push({
      method: request.method,
      path: new URL(request.url).pathname,
      headers: Object.fromEntries(request.headers),
    });
    return answer?.(request) ??
      Response.json({ full_name: "o/r", html_url: "https://x", permissions: { push: true } });
  });
  const origin = `http://127.0.0.1:${server.addr.port}`;
  return {
    url: `${origin}/api/v3`,
    origin,
    hostPort: `127.0.0.1:${server.addr.port}`,
    received,
    close: () => server.shutdown(),
  };
}

async function withAttacker(
  f: (s: Session, attacker: Listener) => Promise<void>,
  env: (attacker: Listener) => Record<string, string> = () => ({}),
  pc = PLATFORMS[0]!,
): Promise<void> {
  const attacker = listen();
  const s = await openSession(pc, {
    env: { SOME_OTHER_SECRET: OTHER_SECRET, FORGESYNC_HTTP_TOKEN: HTTP_TOKEN, ...env(attacker) },
  });
  try {
    await f(s, attacker);
  } finally {
    await s.close();
    await attacker.close();
  }
}

function leaked(attacker: Listener, secrets: readonly string[]): string[] {
  const seen = JSON.stringify(attacker.received);
  return secrets.filter((secret) => seen.includes(secret));
}

for (const pc of PLATFORMS) {
  const P = pc.platform;
  Deno.test(`${P}: configure refuses an api_url or api_token_name outside the allowed ones, stores and sends nothing`, () =>
    withAttacker(async (s, attacker) => {
      const secrets = [s.h.token, OTHER_SECRET, HTTP_TOKEN];
      const attempts: Array<[Record<string, unknown>, string]> = [
        [
          { api_url: attacker.url, api_token_name: "SOME_OTHER_SECRET", verify: true },
          "FORGESYNC_ALLOWED_API_HOSTS",
        ],
        [{ api_url: attacker.url, verify: true }, "FORGESYNC_ALLOWED_API_HOSTS"],
        [{ api_url: attacker.url }, "FORGESYNC_ALLOWED_API_HOSTS"],
        [{ api_token_name: "SOME_OTHER_SECRET", verify: true }, "FORGESYNC_TOKEN_VARIABLES"],
        [{ api_token_name: "FORGESYNC_HTTP_TOKEN", verify: true }, "FORGESYNC_TOKEN_VARIABLES"],
        [{ api_token_name: "HOME" }, "FORGESYNC_TOKEN_VARIABLES"],
      ];
      for (const [extra, variable] of attempts) {
        const before = await dumpSync(s.c);
        const r = await s.call(G, { action: "configure", platform: P, repository: s.h.repository, ...extra });
        assert(r.isError, `${JSON.stringify(extra)} should be refused: ${r.text}`);
        assertEquals(r.structured.error.code, "FORBIDDEN", r.text);
        assertStringIncludes(r.structured.error.hint, variable);
        for (const secret of secrets) assert(!r.text.includes(secret));
        assertEquals(await dumpSync(s.c), before, `${JSON.stringify(extra)} changed the database`);
      }
      assertEquals(attacker.received.length, 0, "the attacker received no request at all");
      await assertNotInDatabaseFiles(s.c.dbUrl, secrets);
    }));

  Deno.test(`${P}: re-configuring only api_url is refused, and the next ordinary sync still goes to the forge`, () =>
    withAttacker(async (s, attacker) => {
      await s.configure();
      const { task } = await s.task({ action: "create", title: "Stays home" });
      await s.git({ action: "create_issue", task_id: task.task_id });
      const r = await s.call(G, {
        action: "configure",
        platform: P,
        repository: s.h.repository,
        api_url: attacker.url,
      });
      assertEquals(r.structured.error.code, "FORBIDDEN", r.text);
      const { run } = await s.git({ action: "sync_status" });
      assertEquals(run.status, "completed");
      assertEquals(attacker.received.length, 0);
    }));
}

Deno.test("a configuration stored with a foreign api_url (before the rules) is refused at connection: nothing is sent", () =>
  withAttacker(async (s, attacker) => {
    await s.configure();
    const { task } = await s.task({ action: "create", title: "Queued" });
    // A row written by an older forgesync, or by hand: the check is where requests are made too.
    await s.c.runtime.runPromise(
      Db.use((db) =>
        db.transaction(
          execute("UPDATE git_integration_config SET api_url = ?, api_token_name = ?", [
            attacker.url,
            "SOME_OTHER_SECRET",
          ]),
        )
      ),
    );
    const created = await s.call(G, { action: "create_issue", task_id: task.task_id });
    assert(created.isError, created.text);
    assertEquals(created.structured.error.code, "FORBIDDEN", created.text);
    const synced = await s.call(G, { action: "sync_status" });
    assert(synced.isError, synced.text);
    assertEquals(synced.structured.error.code, "FORBIDDEN", synced.text);
    assertEquals(attacker.received.length, 0);
  }));

Deno.test("a host in FORGESYNC_ALLOWED_API_HOSTS and a name in FORGESYNC_TOKEN_VARIABLES are accepted", () =>
  withAttacker(
    async (s, trusted) => {
      const { config } = await s.git({
        action: "configure",
        platform: "github",
        repository: s.h.repository,
        api_url: trusted.url,
        api_token_name: "SOME_OTHER_SECRET",
        verify: true,
      });
      assertEquals(config.api_url, trusted.url);
      assertEquals(config.api_token_name, "SOME_OTHER_SECRET");
      assert(trusted.received.length > 0, "the trusted host was asked");
      assertEquals(leaked(trusted, [s.h.token, HTTP_TOKEN]), [], "only the named token went there");
      assertEquals(leaked(trusted, [OTHER_SECRET]), [OTHER_SECRET]);
    },
    (trusted) => ({
      FORGESYNC_ALLOWED_API_HOSTS: `http://${trusted.hostPort}`,
      FORGESYNC_TOKEN_VARIABLES: "SOME_OTHER_SECRET",
    }),
  ));

Deno.test("a forge redirecting a request to another host does not get the token sent there", async () => {
  const attacker = listen();
  const forge = listen((request) =>
    new Response(null, {
      status: 302,
      headers: { location: `${attacker.origin}${new URL(request.url).pathname}` },
    })
  );
  const s = await openSession(PLATFORMS[0]!, { env: { GITHUB_API_URL: forge.url } });
  try {
    const r = await s.call(G, {
      action: "configure",
      platform: "github",
      repository: s.h.repository,
      verify: true,
    });
    assert(r.isError, r.text);
    assert(forge.received.length > 0, "the configured forge was asked");
    assertEquals(attacker.received.length, 0, "the redirect was not followed to another host");
  } finally {
    await s.close();
    await forge.close();
    await attacker.close();
  }
});
