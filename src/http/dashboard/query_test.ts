import { assertEquals } from "../../testing/assert.ts";
import { likePattern, listHref, pageRange, readListQuery } from "./query.ts";

const STATUSES = ["pending", "completed"];

Deno.test("readListQuery() keeps valid filters and falls back to defaults for anything else", () => {
  const q = readListQuery(
    new URLSearchParams("status=completed&repository=3&feature=feat_1&q=%20dark%20&sort=oldest&page=4"),
    STATUSES,
  );
  assertEquals(q, {
    status: "completed",
    repository: 3,
    feature: "feat_1",
    q: "dark",
    sort: "oldest",
    page: 4,
  });
  const bad = readListQuery(
    new URLSearchParams("status=<x>&repository=abc&feature=a%20b&sort=drop&page=-1"),
    STATUSES,
  );
  assertEquals(bad, {
    status: undefined,
    repository: undefined,
    feature: undefined,
    q: undefined,
    sort: "newest",
    page: 1,
  });
  assertEquals(
    readListQuery(new URLSearchParams("repository=none&page=99999999"), STATUSES).repository,
    "none",
  );
  assertEquals(readListQuery(new URLSearchParams("page=99999999"), STATUSES).page, 10_000);
});

Deno.test("listHref() keeps the filters and leaves defaults out", () => {
  const q = readListQuery(new URLSearchParams("status=pending&q=a b"), STATUSES);
  assertEquals(listHref("/tasks", q), "/tasks?status=pending&q=a+b");
  assertEquals(listHref("/tasks", q, { page: 2 }), "/tasks?status=pending&q=a+b&page=2");
  assertEquals(listHref("/tasks", readListQuery(new URLSearchParams(), STATUSES)), "/tasks");
});

Deno.test("likePattern() escapes LIKE's wildcards; pageRange() gives the rows shown", () => {
  assertEquals(likePattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
  assertEquals(pageRange(1, 0), { from: 0, to: 0, pages: 1 });
  assertEquals(pageRange(2, 120), { from: 51, to: 100, pages: 3 });
  assertEquals(pageRange(3, 120), { from: 101, to: 120, pages: 3 });
});
