import { Effect, Option, Result } from "effect";
import github from "../../plugins/github/mod.ts";
import bitbucket, { NO_BOARDS } from "../../plugins/bitbucket/mod.ts";
import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import type { BoardClient, RemoteBoard } from "./boards.ts";
import { hasBoards } from "./boards.ts";
import { PlatformError } from "./errors.ts";
import type { PlatformClient } from "./types.ts";
import { wrapClient } from "./wrap.ts";
import type { RetryPolicy } from "./retry.ts";
import { unsupportedBoards, wrapBoards } from "./wrap_boards.ts";

const FAST: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2, maxWaitSeconds: 10 };
const REPO = { platform: "github", path: "o/r" };
const BOARD: RemoteBoard = {
  id: "B",
  number: 1,
  title: "T",
  url: null,
  owner: null,
  columns_field_id: null,
  columns: [{ id: "1", name: "To Do" }],
};

const transient = () =>
  new PlatformError({ reason: "Transient", message: "502 token ghp_abcdefghijklmnopqrstuv" });
const limited = () => new PlatformError({ reason: "RateLimited", message: "429", retryAfterSeconds: 0 });

/** A board client failing each operation with the errors listed for it, then succeeding. */
function scripted(
  failures: Partial<Record<keyof BoardClient, PlatformError[]>>,
  calls: Record<string, number>,
) {
  const step = <A>(name: keyof BoardClient, value: A) =>
    Effect.suspend(() => {
      calls[name] = (calls[name] ?? 0) + 1;
      const next = failures[name]?.shift();
      return next === undefined ? Effect.succeed(value) : Effect.fail(next);
    });
  const card = { issue_number: 1, title: "t", url: null, column: "To Do", item_id: null, milestone: null };
  const client: BoardClient = {
    createBoard: () => step("createBoard", BOARD),
    getBoard: () => step("getBoard", BOARD),
    addColumns: () => step("addColumns", BOARD),
    getCard: () => step("getCard", Option.some(card)),
    moveCard: () => step("moveCard", card),
    listCards: () => step("listCards", [card]),
  };
  return client;
}

Deno.test("wrapBoards() retries reads and moves, but a create only after a rate limit", async () => {
  const calls: Record<string, number> = {};
  const wrapped = wrapBoards(
    github,
    scripted({
      moveCard: [transient(), limited()],
      createBoard: [transient()],
      addColumns: [limited()],
      listCards: [transient()],
    }, calls),
    { policy: FAST },
  );
  assert(hasBoards(wrapped));
  const card = await Effect.runPromise(wrapped.moveCard(REPO, BOARD, { number: 1, id: null }, "To Do"));
  assertEquals([card.column, calls.moveCard], ["To Do", 3]);
  const failed = await Effect.runPromise(
    Effect.flip(wrapped.createBoard(REPO, { title: "T", columns: ["A"] })),
  );
  assertEquals([failed.reason, calls.createBoard], ["Transient", 1]);
  assertStringIncludes(failed.message, "[REDACTED]");
  await Effect.runPromise(wrapped.addColumns(REPO, BOARD, ["B"]));
  assertEquals(calls.addColumns, 2);
  await Effect.runPromise(wrapped.listCards(REPO, BOARD));
  assertEquals(calls.listCards, 2);
});

Deno.test("wrapClient() answers Unsupported with a hint for a plugin without boards, and keeps a plugin's own reason", async () => {
  const bare = { verify: () => Effect.die("unused") } as unknown as PlatformClient;
  const generic = wrapClient(github, bare).boards;
  if (generic === undefined || hasBoards(generic)) throw new Error("expected no boards");
  assertStringIncludes(generic.unsupported.message, "GitHub has no project boards");
  const own = wrapClient(bitbucket, { ...bare, boards: NO_BOARDS }).boards;
  assertEquals(own, NO_BOARDS);
  const error = await Effect.runPromise(Effect.flip(unsupportedBoards(NO_BOARDS)));
  assertEquals(error.reason, "Unsupported");
  assertStringIncludes(error.message, "Jira");
});

Deno.test("wrapBoards() retries a batch of moves like one move (never after no answer), and keeps moveCards absent when the plugin has none", async () => {
  let calls = 0;
  let unanswered = 0;
  const results = [
    Result.succeed({
      issue_number: 1,
      title: "t",
      url: null,
      column: "To Do",
      item_id: "I",
      milestone: null,
    }),
  ];
  const batching: BoardClient = {
    ...scripted({}, {}),
    batchSize: 25,
    moveCards: () =>
      Effect.suspend(() => {
        calls++;
        if (calls === 1) return Effect.fail(transient());
        if (calls === 2) {
          unanswered++;
          return Effect.fail(new PlatformError({ reason: "Transient", message: "timed out" }));
        }
        return Effect.succeed(results);
      }),
  };
  const wrapped = wrapBoards(github, batching, { policy: FAST, unanswered: () => unanswered });
  assert(hasBoards(wrapped));
  assertEquals(wrapped.batchSize, 25);
  const move = { issue: { number: 1, id: null }, column: "To Do", item_id: null };
  const lost = await Effect.runPromise(Effect.flip(wrapped.moveCards!(REPO, BOARD, [move])));
  assertEquals(
    [lost.unanswered, lost.message, calls],
    [true, "timed out", 2],
    "an answered 5xx retried, no answer not",
  );
  assertEquals(await Effect.runPromise(wrapped.moveCards!(REPO, BOARD, [move])), results);
  const plain = wrapBoards(github, scripted({}, {}), { policy: FAST });
  assert(hasBoards(plain));
  assertEquals([plain.moveCards, plain.batchSize], [undefined, undefined]);
});
