import { assert } from "../assert.ts";
import { GITLAB_ENDPOINTS } from "./gitlab.ts";
import { UNCOVERED } from "./uncovered.ts";

Deno.test("every GitLab write without a Gitbeaker options type is listed as uncovered", () => {
  for (const e of GITLAB_ENDPOINTS) {
    if (e.method === "GET" || e.options !== undefined) continue;
    assert(
      UNCOVERED.some((u) => u.platform === "gitlab" && u.endpoint === `${e.method} ${e.path}`),
      `${e.method} ${e.path} is missing from UNCOVERED`,
    );
  }
});

Deno.test("every GitLab parameter documented beyond Gitbeaker's typings is listed as uncovered", () => {
  for (const e of GITLAB_ENDPOINTS) {
    for (const name of Object.keys(e.documented ?? {})) {
      const snake = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      assert(
        UNCOVERED.some((u) =>
          u.platform === "gitlab" && u.endpoint.includes(e.path) && u.endpoint.includes(snake)
        ),
        `${snake} of ${e.method} ${e.path} is missing from UNCOVERED`,
      );
    }
  }
});
