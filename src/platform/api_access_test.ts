import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import { AppError } from "../domain/errors.ts";
import {
  type AccessPolicy,
  allowedOrigins,
  checkApiUrl,
  checkTokenVariable,
  destination,
  originOf,
} from "./api_access.ts";

const github = {
  id: "github",
  name: "GitHub",
  defaultApiUrl: "https://api.github.com",
  apiUrlVariable: "GITHUB_API_URL",
  defaultTokenVariable: "GITHUB_TOKEN",
};

function policy(env: Record<string, string> = {}, extra: Partial<AccessPolicy> = {}): AccessPolicy {
  return { allowedApiOrigins: [], tokenVariables: [], env: (n) => env[n], ...extra };
}

Deno.test("originOf() gives the origin of http(s) URLs without credentials only", () => {
  assertEquals(originOf("https://api.github.com/"), "https://api.github.com");
  assertEquals(originOf("https://ghe.example.com:8443/api/v3"), "https://ghe.example.com:8443");
  assertEquals(originOf("https://u:p@ghe.example.com/api/v3"), undefined);
  assertEquals(originOf("ftp://x"), undefined);
  assertEquals(originOf("not a url"), undefined);
});

Deno.test("allowedOrigins() is the public API, the platform variable's URL and the listed hosts", () => {
  assertEquals(allowedOrigins(github, policy()), ["https://api.github.com"]);
  assertEquals(
    allowedOrigins(
      github,
      policy({ GITHUB_API_URL: "https://ghe.corp/api/v3" }, { allowedApiOrigins: ["https://gitlab.corp"] }),
    ),
    ["https://api.github.com", "https://ghe.corp", "https://gitlab.corp"],
  );
});

Deno.test("checkApiUrl() refuses another host with FORBIDDEN naming FORGESYNC_ALLOWED_API_HOSTS", () => {
  assertEquals(checkApiUrl(github, "https://api.github.com", policy()), undefined);
  assertEquals(
    checkApiUrl(github, "https://ghe.corp/api/v3", policy({ GITHUB_API_URL: "https://ghe.corp/api/v3" })),
    undefined,
  );
  const refused = checkApiUrl(github, "http://127.0.0.1:9/api/v3", policy());
  assertEquals(refused?.code, "FORBIDDEN");
  assertStringIncludes(refused!.hint, "FORGESYNC_ALLOWED_API_HOSTS=http://127.0.0.1:9");
  // The scheme counts: an https entry does not admit plain http to the same host.
  const plain = checkApiUrl(
    github,
    "http://ghe.corp/api/v3",
    policy({}, { allowedApiOrigins: ["https://ghe.corp"] }),
  );
  assertEquals(plain?.code, "FORBIDDEN");
  assertEquals(checkApiUrl(github, "https://u:p@api.github.com", policy())?.code, "VALIDATION_ERROR");
});

Deno.test("checkTokenVariable() allows the default and listed names only", () => {
  assertEquals(checkTokenVariable(github, "GITHUB_TOKEN", policy()), undefined);
  assertEquals(
    checkTokenVariable(github, "ACME_TOKEN", policy({}, { tokenVariables: ["ACME_TOKEN"] })),
    undefined,
  );
  const refused = checkTokenVariable(github, "FORGESYNC_HTTP_TOKEN", policy());
  assertEquals(refused?.code, "FORBIDDEN");
  assertStringIncludes(refused!.hint, "FORGESYNC_TOKEN_VARIABLES");
  assertEquals(checkTokenVariable(github, "GITLAB_TOKEN", policy())?.code, "FORBIDDEN");
});

Deno.test("destination() decides the URL, origin and variable, or refuses", () => {
  assertEquals(destination(github, { api_url: null, api_token_name: null }, policy()), {
    apiUrl: "https://api.github.com",
    origin: "https://api.github.com",
    tokenVariable: "GITHUB_TOKEN",
  });
  assertEquals(
    destination(
      github,
      { api_url: null, api_token_name: null },
      policy({ GITHUB_API_URL: "http://127.0.0.1:5/api/v3" }),
    ),
    { apiUrl: "http://127.0.0.1:5/api/v3", origin: "http://127.0.0.1:5", tokenVariable: "GITHUB_TOKEN" },
  );
  assert(
    destination(github, { api_url: "https://evil.example", api_token_name: null }, policy()) instanceof
      AppError,
  );
  assert(destination(github, { api_url: null, api_token_name: "HOME" }, policy()) instanceof AppError);
});

Deno.test("checkApiUrl() is not fooled by look-alike addresses", () => {
  const refused = [
    "https://api.github.com@evil.example/api", // user name that looks like the host
    "https://api.github.com.evil.example", // suffix
    "http://api.github.com", // plain HTTP to the public host
    "https://evil.example\\@api.github.com", // backslash: the host is evil.example
    "https://xn--pi-7ld.github.com", // "аpi" with a Cyrillic а
    "https://api.github.com:8443", // another port
  ];
  for (const url of refused) {
    const error = checkApiUrl(github, url, policy());
    assert(error !== undefined, `${url} was allowed`);
  }
  for (
    const url of ["https://API.GITHUB.COM", "https://api.github.com:443/", "https://api.github.com/x/../"]
  ) {
    assertEquals(checkApiUrl(github, url, policy()), undefined, url);
  }
});
