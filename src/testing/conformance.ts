/**
 * The plugin conformance kit: one property-based suite (fast-check) that any platform plugin runs
 * against its sandbox harness with a few lines, as Hono runs one router contract against every
 * router. It respects the plugin's capabilities and status aliases.
 *
 * Properties:
 * - **field round trip**: what `createIssue`/`updateIssue` write is what they and `getIssue`
 *   return and what the forge holds — unicode titles, empty and 64 KB bodies, label sets,
 *   assignees, milestones, every status;
 * - **incremental listing**: `listChanged` from no cursor yields every issue across pages, oldest
 *   change first; from the last cursor it yields every issue changed since; any page's cursor
 *   resumes without losing an issue;
 * - **idempotent creation**: a create whose answer is lost (the forge wrote it, then answered 502)
 *   is found by its marker; through the core's outbox — the one path production creates issues by —
 *   a lost answer, and a request that got no answer at all, each yield exactly one issue, linked;
 * - **error mapping**: 401/403/404/410/422/429/5xx, resets and malformed bodies map to the right
 *   `PlatformError` reason, and no message carries the token;
 * - **webhook verification** (plugins with `capabilities.webhooks` and `webhooks`): a delivery the
 *   harness signed ({@link SandboxHarness.webhookDelivery}) verifies and parses to the harness
 *   repository, its delivery id and its issue; arbitrary byte flips, truncations and extensions of
 *   the signature (and of the body, where the forge signs it), a missing signature and another
 *   secret all fail verification; an unrelated event (a push) parses to null. Skipped, with a step
 *   note, when the harness cannot build deliveries.
 *
 * @example
 * ```ts ignore
 * import plugin from "../../plugins/github/mod.ts";
 * import { createGitHubSandbox } from "./github_sandbox.ts";
 * import { runConformance } from "./conformance.ts";
 * Deno.test("GitHub plugin conforms", (t) => runConformance(t, { plugin, harness: createGitHubSandbox }));
 * ```
 *
 * @module
 */
import fc from "fast-check";
import { Effect, Option, Result, Stream } from "effect";
import { PlatformError, type PlatformErrorReason } from "../platform/errors.ts";
import {
  defaultMarker,
  isRepoParseError,
  type IssueDraft,
  type IssuePatch,
  type PlatformClient,
  type PlatformPlugin,
  REMOTE_STATUSES,
  type RemoteIssue,
  type RemoteStatus,
  type RepoRef,
  type WebhookRequest,
} from "../platform/types.ts";
import { openOutboxRig } from "./outbox_rig.ts";
import { type HarnessDelivery, harnessEnv, type HarnessFactory, type SandboxHarness } from "./harness.ts";

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  readonly plugin: PlatformPlugin;
  readonly harness: HarnessFactory;
  /** Runs per property (default 12; listing runs a third of it). */
  readonly numRuns?: number;
  /** fast-check seed, to replay a failure. */
  readonly seed?: number;
}

/** What a property answers when it could not run (the harness lacks what it needs), and why. */
export interface ConformanceSkip {
  readonly skipped: string;
}

/** One property of the kit. */
export interface ConformanceProperty {
  readonly name: string;
  /**
   * Resolves when the property holds, or to a {@link ConformanceSkip} when it could not run;
   * rejects with the counterexample when it fails.
   */
  readonly run: () => Promise<void | ConformanceSkip>;
}

/** A plugin connected to a fresh harness. */
interface Connected {
  readonly harness: SandboxHarness;
  readonly client: PlatformClient;
  readonly repo: RepoRef;
}

async function connect(plugin: PlatformPlugin, factory: HarnessFactory): Promise<Connected> {
  const harness = await factory();
  try {
    const repo = plugin.parseRepository(harness.repository);
    if (isRepoParseError(repo)) throw new Error(`The harness repository does not parse: ${repo.message}`);
    const client = await Effect.runPromise(plugin.connect({ ...harnessEnv(harness), fetch }));
    return { harness, client, repo };
  } catch (error) {
    await harness.close();
    throw error;
  }
}

const run = <A>(effect: Effect.Effect<A, PlatformError>): Promise<A> => Effect.runPromise(effect);

/** The status a plugin reads back after writing `status`. */
function canonical(plugin: PlatformPlugin, status: RemoteStatus): RemoteStatus {
  return plugin.statusAliases?.[status] ?? status;
}

// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]/g;
// deno-lint-ignore no-control-regex
const BINARY = /[\u0000-\u0008\u000B-\u001F\u007F\r]/g;

const titleArb = fc.string({ unit: "grapheme", minLength: 1, maxLength: 120 })
  .map((s) => s.replace(CONTROL, " ").trim())
  .filter((s) => s.length > 0 && s.length <= 255);

const bodyArb = fc.oneof(
  fc.constant(""),
  fc.constant("Unicode ✓ — ünïcödé, 中文, emoji 🚀🔥, RTL שלום, combining é"),
  fc.string({ unit: "grapheme", maxLength: 400 }).map((s) => s.replace(BINARY, "")),
  fc.constant("x".repeat(64 * 1024 - 200)),
);

const labelArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,20}[A-Za-z0-9]$/)
  .filter((l) => !l.toLowerCase().startsWith("status"));

function labelsArb(plugin: PlatformPlugin) {
  return plugin.capabilities.labels
    ? fc.uniqueArray(labelArb, { maxLength: 5, selector: (l) => l.toLowerCase() })
    : fc.constant<string[]>([]);
}

function assigneesArb(plugin: PlatformPlugin, harness: SandboxHarness) {
  if (harness.users.length === 0) return fc.constant<string[]>([]);
  return fc.subarray([...harness.users], { maxLength: plugin.capabilities.multiple_assignees ? 3 : 1 });
}

function milestoneArb(plugin: PlatformPlugin, harness: SandboxHarness) {
  return plugin.capabilities.milestones && harness.milestones.length > 0
    ? fc.option(fc.constantFrom(...harness.milestones), { nil: null })
    : fc.constant(null);
}

const sorted = (xs: readonly string[]) => [...xs].sort();

function expectFields(
  plugin: PlatformPlugin,
  actual: RemoteIssue,
  expected: Required<Omit<IssueDraft, "status">> & { status: RemoteStatus },
  what: string,
): void {
  const problems: string[] = [];
  const want = {
    title: expected.title,
    body: expected.body,
    status: canonical(plugin, expected.status),
    labels: sorted(expected.labels),
    assignees: sorted(expected.assignees),
    milestone: expected.milestone,
  };
  for (const key of Object.keys(want) as Array<keyof typeof want>) {
    const got = key === "labels" || key === "assignees" ? sorted(actual[key]) : actual[key];
    if (JSON.stringify(got) !== JSON.stringify(want[key])) {
      problems.push(
        `${key}: expected ${JSON.stringify(want[key]).slice(0, 200)}, got ${
          JSON.stringify(got).slice(0, 200)
        }`,
      );
    }
  }
  if (problems.length > 0) throw new Error(`${what} lost fields — ${problems.join("; ")}`);
}

function fieldRoundTrip(options: ConformanceOptions): ConformanceProperty {
  const { plugin } = options;
  return {
    name: "field round trip",
    run: async () => {
      const { harness, client, repo } = await connect(plugin, options.harness);
      try {
        const fieldsArb = fc.record({
          title: titleArb,
          body: bodyArb,
          status: fc.constantFrom(...REMOTE_STATUSES),
          labels: labelsArb(plugin),
          assignees: assigneesArb(plugin, harness),
          milestone: milestoneArb(plugin, harness),
        });
        const patchArb = fc.record({
          title: fc.option(titleArb, { nil: undefined }),
          body: fc.option(bodyArb, { nil: undefined }),
          statusAndLabels: fc.option(fc.tuple(fc.constantFrom(...REMOTE_STATUSES), labelsArb(plugin)), {
            nil: undefined,
          }),
          assignees: fc.option(assigneesArb(plugin, harness), { nil: undefined }),
          milestone: fc.option(milestoneArb(plugin, harness), { nil: undefined }),
        });
        await fc.assert(
          fc.asyncProperty(fieldsArb, patchArb, async (draft, change) => {
            const created = await run(client.createIssue(repo, draft));
            expectFields(plugin, created, draft, "createIssue's answer");
            const held = harness.readIssue(created.number);
            if (held === undefined) {
              throw new Error(`the forge holds no issue #${created.number} after createIssue`);
            }
            expectFields(plugin, { ...created, ...held }, draft, "the forge's copy");
            const got = await run(client.getIssue(repo, created.number));
            if (Option.isNone(got)) {
              throw new Error(`getIssue(#${created.number}) found nothing after createIssue`);
            }
            expectFields(plugin, got.value, draft, "getIssue after createIssue");
            const patch: IssuePatch = {
              ...(change.title !== undefined ? { title: change.title } : {}),
              ...(change.body !== undefined ? { body: change.body } : {}),
              ...(change.statusAndLabels !== undefined
                ? { status: change.statusAndLabels[0], labels: change.statusAndLabels[1] }
                : {}),
              ...(change.assignees !== undefined ? { assignees: change.assignees } : {}),
              ...(change.milestone !== undefined ? { milestone: change.milestone } : {}),
            };
            const updated = await run(client.updateIssue(repo, created.number, patch));
            const expected = {
              title: patch.title ?? draft.title,
              body: patch.body ?? draft.body,
              status: patch.status ?? draft.status,
              labels: patch.labels ?? draft.labels,
              assignees: patch.assignees ?? draft.assignees,
              milestone: patch.milestone !== undefined ? patch.milestone : draft.milestone,
            };
            expectFields(plugin, updated, expected, "updateIssue's answer");
            const again = await run(client.getIssue(repo, created.number));
            if (Option.isNone(again)) {
              throw new Error(`getIssue(#${created.number}) found nothing after updateIssue`);
            }
            expectFields(plugin, again.value, expected, "getIssue after updateIssue");
            if (again.value.number !== created.number || again.value.id !== created.id) {
              throw new Error("number or global id changed across reads");
            }
          }),
          { numRuns: options.numRuns ?? 12, seed: options.seed, endOnFailure: true },
        );
      } finally {
        await harness.close();
      }
    },
  };
}

async function collect(client: PlatformClient, repo: RepoRef, cursor: string | null) {
  return await run(Stream.runCollect(client.listChanged(repo, cursor)));
}

function incrementalListing(options: ConformanceOptions): ConformanceProperty {
  const { plugin } = options;
  return {
    name: "incremental listing",
    run: async () => {
      const { harness, client, repo } = await connect(plugin, options.harness);
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 0, max: 230 }),
            fc.integer({ min: 0, max: 8 }),
            fc.nat(),
            async (seed, edits, pick) => {
              await harness.seedIssues(seed);
              const all = harness.issueNumbers();
              const pages = await collect(client, repo, null);
              const seen = new Set(pages.flatMap((p) => p.issues.map((i) => i.number)));
              const missing = all.filter((n) => !seen.has(n));
              if (missing.length > 0) {
                throw new Error(
                  `listChanged(null) missed ${missing.length} of ${all.length} issues, e.g. #${missing[0]}`,
                );
              }
              const extra = [...seen].filter((n) => !all.includes(n));
              if (extra.length > 0) {
                throw new Error(`listChanged(null) returned unknown issues, e.g. #${extra[0]}`);
              }
              const stamps = pages.flatMap((p) => p.issues.map((i) => Date.parse(i.updated_at)));
              for (let i = 1; i < stamps.length; i++) {
                if (stamps[i]! < stamps[i - 1]!) {
                  throw new Error("listChanged is not in ascending updated_at order");
                }
              }
              if (pages.length > 0) {
                const i = pick % pages.length;
                const resumed = await collect(client, repo, pages[i]!.cursor);
                const covered = new Set([
                  ...pages.slice(0, i + 1).flatMap((p) => p.issues.map((x) => x.number)),
                  ...resumed.flatMap((p) => p.issues.map((x) => x.number)),
                ]);
                const lost = all.filter((n) => !covered.has(n));
                if (lost.length > 0) throw new Error(`resuming from page ${i}'s cursor lost #${lost[0]}`);
              }
              const cursor = pages.length > 0 ? pages[pages.length - 1]!.cursor : null;
              const edited = all.length === 0 ? [] : [
                ...new Set(
                  Array.from({ length: edits }, (_, k) => all[(pick + k * 7919) % all.length]!),
                ),
              ];
              // No waiting: an edit in the same second as the cursor must still be listed.
              for (const n of edited) await harness.remoteEdit(n, { title: `edited ${n} ${pick}` });
              const next = await collect(client, repo, cursor);
              const changed = new Map(next.flatMap((p) => p.issues.map((x) => [x.number, x] as const)));
              for (const n of edited) {
                const issue = changed.get(n);
                if (issue === undefined) {
                  throw new Error(`listChanged(last cursor) missed edited issue #${n}`);
                }
                if (issue.title !== `edited ${n} ${pick}`) {
                  throw new Error(`listChanged returned a stale #${n}`);
                }
              }
            },
          ),
          {
            numRuns: Math.max(2, Math.ceil((options.numRuns ?? 12) / 3)),
            seed: options.seed,
            endOnFailure: true,
          },
        );
      } finally {
        await harness.close();
      }
    },
  };
}

const issuesPath = /\/issues\/?$/;

/** The client's timeout in the idempotent-creation property, and a latency that outlives it. */
const RIG_TIMEOUT_MS = 150;
const RIG_LATENCY_MS = 250;

function idempotentCreation(options: ConformanceOptions): ConformanceProperty {
  const { plugin } = options;
  return {
    name: "idempotent creation through the marker",
    run: async () => {
      const { harness, client, repo } = await connect(plugin, options.harness);
      const rig = await openOutboxRig(plugin, harness, repo, { timeoutMs: RIG_TIMEOUT_MS });
      try {
        await fc.assert(
          fc.asyncProperty(titleArb, fc.uuid(), async (title, id) => {
            const marker = (plugin.marker ?? defaultMarker)("task", `task_${id}`);
            const since = new Date(Date.now() - 1000).toISOString();
            const count = () =>
              harness.issueNumbers().filter((n) => harness.readIssue(n)?.body.includes(marker));

            // The plugin's own part: a lost answer maps to Transient, and the marker finds the issue.
            harness.faults.add({ kind: "fail_after", method: "POST", path: issuesPath });
            const lost = await Effect.runPromise(
              Effect.result(client.createIssue(repo, { title, body: `spec\n\n${marker}` })),
            );
            if (Result.isSuccess(lost)) {
              throw new Error("createIssue succeeded although the forge answered 502");
            }
            if (lost.failure.reason !== "Transient") {
              throw new Error(`a 502 after the write mapped to ${lost.failure.reason}, expected Transient`);
            }
            if (count().length !== 1) throw new Error("the sandbox did not keep the write");
            const found = await run(client.findByMarker(repo, marker, since));
            if (Option.isNone(found) || !found.value.body.includes(marker)) {
              throw new Error("findByMarker did not find the issue whose answer was lost");
            }

            // Through the core's outbox, the path create_issue and every pass use. The forge writes
            // the issue, then answers 502: the outbox looks for the marker and sends nothing again.
            const twice = (plugin.marker ?? defaultMarker)("feature", `feat_${id}`);
            const countOf = (m: string) =>
              harness.issueNumbers().filter((n) => harness.readIssue(n)?.body.includes(m));
            harness.faults.add({ kind: "fail_after", method: "POST", path: issuesPath });
            const first = await rig.queueCreate({ title, body: `spec\n\n${twice}` }, twice);
            await rig.flush();
            if (countOf(twice).length !== 1) {
              throw new Error(
                `after a lost answer the forge holds ${countOf(twice).length} issues with the marker`,
              );
            }
            const linked = await rig.issueOf(first);
            if (linked !== countOf(twice)[0]) {
              throw new Error(
                `the outbox linked #${linked}, but the issue with the marker is #${countOf(twice)[0]}`,
              );
            }

            // No answer at all: the forge is still creating it when the client gives up. Nothing is
            // looked for nor sent until the request has surely ended; then the marker settles it.
            const slow = (plugin.marker ?? defaultMarker)("task", `task_slow_${id}`);
            harness.faults.add({ kind: "latency", ms: RIG_LATENCY_MS, method: "POST", path: issuesPath });
            const second = await rig.queueCreate({ title, body: slow }, slow);
            const waiting = await rig.flush();
            if (waiting.pending !== 1 || (await rig.issueOf(second)) !== null) {
              throw new Error("a create that got no answer did not wait for its request to end");
            }
            await new Promise((r) => setTimeout(r, 2 * RIG_TIMEOUT_MS + 50));
            await rig.flush();
            if (countOf(slow).length !== 1) {
              throw new Error(
                `after a create that got no answer the forge holds ${countOf(slow).length} issues`,
              );
            }
            if ((await rig.issueOf(second)) !== countOf(slow)[0]) {
              throw new Error("the create that got no answer was not linked to its issue");
            }
          }),
          {
            numRuns: Math.max(2, Math.ceil((options.numRuns ?? 12) / 4)),
            seed: options.seed,
            endOnFailure: true,
          },
        );
      } finally {
        harness.faults.clear();
        await rig.close();
        await harness.close();
      }
    },
  };
}

function errorMapping(options: ConformanceOptions): ConformanceProperty {
  const { plugin } = options;
  return {
    name: "error mapping",
    run: async () => {
      const { harness, client, repo } = await connect(plugin, options.harness);
      try {
        const [number] = await harness.seedIssues(1);
        const cases: Array<{
          what: string;
          arm: () => void;
          call: () => Effect.Effect<unknown, PlatformError>;
          reason: PlatformErrorReason;
          retryAfter?: number;
        }> = [
          {
            what: "401",
            arm: () => harness.faults.add({ kind: "status", status: 401 }),
            call: () => client.verify(repo),
            reason: "Unauthorized",
          },
          {
            what: "403",
            arm: () => harness.faults.add({ kind: "status", status: 403 }),
            call: () => client.verify(repo),
            reason: "Forbidden",
          },
          {
            what: "404",
            arm: () => harness.faults.add({ kind: "status", status: 404 }),
            call: () => client.verify(repo),
            reason: "NotFound",
          },
          {
            what: "410",
            arm: () => harness.faults.add({ kind: "status", status: 410 }),
            call: () => client.getIssue(repo, number!),
            reason: "Gone",
          },
          {
            what: "422",
            arm: () => harness.faults.add({ kind: "status", status: 422 }),
            call: () => client.updateIssue(repo, number!, { title: "x" }),
            reason: "Invalid",
          },
          {
            what: "429 with retry-after",
            arm: () => harness.faults.add({ kind: "rate_limit", status: 429, retryAfter: 7 }),
            call: () => client.getIssue(repo, number!),
            reason: "RateLimited",
            retryAfter: 7,
          },
          {
            what: "500",
            arm: () => harness.faults.add({ kind: "status", status: 500 }),
            call: () => client.getIssue(repo, number!),
            reason: "Transient",
          },
          {
            what: "502",
            arm: () => harness.faults.add({ kind: "status", status: 502 }),
            call: () => client.verify(repo),
            reason: "Transient",
          },
          {
            what: "503",
            arm: () => harness.faults.add({ kind: "status", status: 503 }),
            call: () => client.getIssue(repo, number!),
            reason: "Transient",
          },
          {
            what: "reset",
            arm: () => harness.faults.add({ kind: "reset" }),
            call: () => client.getIssue(repo, number!),
            reason: "Transient",
          },
          {
            what: "malformed body",
            arm: () => harness.faults.add({ kind: "malformed" }),
            call: () => client.getIssue(repo, number!),
            reason: "Transient",
          },
        ];
        const problems: string[] = [];
        for (const c of cases) {
          harness.faults.clear();
          c.arm();
          const outcome = await Effect.runPromise(Effect.result(c.call()));
          if (Result.isSuccess(outcome)) {
            problems.push(`${c.what}: the call succeeded`);
            continue;
          }
          const e = outcome.failure;
          if (!(e instanceof PlatformError)) {
            problems.push(`${c.what}: failed with ${String(e)}, not a PlatformError`);
          } else if (e.reason !== c.reason) {
            problems.push(`${c.what}: reason ${e.reason}, expected ${c.reason}`);
          } else if (c.retryAfter !== undefined && e.retryAfterSeconds !== c.retryAfter) {
            problems.push(`${c.what}: retryAfterSeconds ${e.retryAfterSeconds}, expected ${c.retryAfter}`);
          }
          if (e instanceof PlatformError && `${e.message} ${e.hint ?? ""}`.includes(harness.token)) {
            problems.push(`${c.what}: the message carries the token`);
          }
        }
        harness.faults.clear();
        const absent = await run(client.getIssue(repo, 987_654));
        if (Option.isSome(absent)) problems.push("getIssue of a missing issue returned an issue");
        if (problems.length > 0) throw new Error(problems.join("; "));
      } finally {
        harness.faults.clear();
        await harness.close();
      }
    },
  };
}

/** A change made to a signed delivery, which must then fail verification. */
type Tamper =
  | { readonly kind: "body flip"; readonly index: number; readonly mask: number }
  | { readonly kind: "body truncation"; readonly length: number }
  | { readonly kind: "body extension"; readonly bytes: Uint8Array }
  | { readonly kind: "signature flip"; readonly index: number; readonly char: number }
  | { readonly kind: "signature truncation"; readonly length: number }
  | { readonly kind: "signature extension"; readonly text: string };

const PRINTABLE = { min: 0x21, max: 0x7e } as const;

const tamperArb: fc.Arbitrary<Tamper> = fc.oneof(
  fc.record({
    kind: fc.constant("body flip" as const),
    index: fc.nat(),
    mask: fc.integer({ min: 1, max: 255 }),
  }),
  fc.record({ kind: fc.constant("body truncation" as const), length: fc.nat() }),
  fc.record({
    kind: fc.constant("body extension" as const),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant("signature flip" as const), index: fc.nat(), char: fc.integer(PRINTABLE) }),
  fc.record({ kind: fc.constant("signature truncation" as const), length: fc.nat() }),
  fc.record({
    kind: fc.constant("signature extension" as const),
    text: fc.stringMatching(/^[!-~]{1,8}$/),
  }),
);

/** Secrets a forge's settings page takes: printable ASCII (GitLab sends it as a header value). */
const secretArb = fc.stringMatching(/^[!-~]{1,48}$/);

/** A copy of a delivery, so that a plugin changing what it is given cannot change the next check. */
function copyRequest(d: { readonly headers: Headers; readonly body: Uint8Array }): WebhookRequest {
  return { headers: new Headers(d.headers), body: d.body.slice() };
}

/**
 * The delivery changed by `t`, with a description, or undefined when `t` does not apply (the body
 * of a forge that does not sign it, an empty value).
 */
function tamper(d: HarnessDelivery, t: Tamper): { request: WebhookRequest; what: string } | undefined {
  const request = copyRequest(d);
  const body = d.body;
  const signature = d.headers.get(d.signatureHeader) ?? "";
  switch (t.kind) {
    case "body flip": {
      if (!d.bodySigned || body.length === 0) return undefined;
      const i = t.index % body.length;
      request.body[i]! ^= t.mask;
      return { request, what: `byte ${i} of the body xor 0x${t.mask.toString(16)}` };
    }
    case "body truncation": {
      if (!d.bodySigned || body.length === 0) return undefined;
      const length = t.length % body.length;
      return {
        request: { ...request, body: body.slice(0, length) },
        what: `the body cut to ${length} bytes`,
      };
    }
    case "body extension": {
      if (!d.bodySigned) return undefined;
      const longer = new Uint8Array(body.length + t.bytes.length);
      longer.set(body);
      longer.set(t.bytes, body.length);
      return { request: { ...request, body: longer }, what: `${t.bytes.length} bytes added to the body` };
    }
    case "signature flip": {
      if (signature.length === 0) return undefined;
      const i = t.index % signature.length;
      const original = signature[i]!.toLowerCase();
      // Another printable character, not the same letter in another case (hex digits may be either).
      let code = t.char;
      while (String.fromCharCode(code).toLowerCase() === original) {
        code = code === PRINTABLE.max ? PRINTABLE.min : code + 1;
      }
      const changed = `${signature.slice(0, i)}${String.fromCharCode(code)}${signature.slice(i + 1)}`;
      request.headers.set(d.signatureHeader, changed);
      return {
        request,
        what: `character ${i} of ${d.signatureHeader} changed to "${String.fromCharCode(code)}"`,
      };
    }
    case "signature truncation": {
      if (signature.length === 0) return undefined;
      const length = t.length % signature.length;
      request.headers.set(d.signatureHeader, signature.slice(0, length));
      return { request, what: `${d.signatureHeader} cut to ${length} characters` };
    }
    case "signature extension": {
      request.headers.set(d.signatureHeader, `${signature}${t.text}`);
      return { request, what: `${d.signatureHeader} followed by ${JSON.stringify(t.text)}` };
    }
  }
}

function webhookVerification(options: ConformanceOptions): ConformanceProperty {
  const { plugin } = options;
  return {
    name: "webhook verification",
    run: async () => {
      const hooks = plugin.webhooks;
      if (hooks === undefined) return { skipped: `plugin "${plugin.id}" has no webhooks member` };
      const harness = await options.harness();
      try {
        if (harness.webhookDelivery === undefined) {
          return {
            skipped: `the "${harness.platform}" harness has no webhookDelivery(), so no signed delivery ` +
              "can be built: implement SandboxHarness.webhookDelivery to run this property",
          };
        }
        const build = harness.webhookDelivery.bind(harness);
        const repo = plugin.parseRepository(harness.repository);
        if (isRepoParseError(repo)) throw new Error(`The harness repository does not parse: ${repo.message}`);
        const secretsArb = fc.tuple(secretArb, secretArb).filter(([a, b]) => a !== b);
        await fc.assert(
          fc.asyncProperty(
            secretsArb,
            fc.integer({ min: 1, max: 1_000_000 }),
            fc.uuid(),
            fc.array(tamperArb, { minLength: 1, maxLength: 8 }),
            async ([secret, other], issueNumber, deliveryId, tampers) => {
              const d = await build({ secret, issueNumber, deliveryId });
              if (!(await hooks.verify(copyRequest(d), secret))) {
                throw new Error("a correctly signed issue delivery did not verify");
              }
              const event = hooks.parse(copyRequest(d));
              if (event === null) throw new Error("a correctly signed issue delivery parsed to null");
              const problems: string[] = [];
              if (event.delivery_id !== deliveryId) {
                problems.push(`delivery_id ${JSON.stringify(event.delivery_id)}, expected "${deliveryId}"`);
              }
              const names = [event.repository, ...(event.repository_aliases ?? [])].map((n) =>
                n.toLowerCase()
              );
              if (!names.includes(repo.path.toLowerCase())) {
                problems.push(`repository ${JSON.stringify(event.repository)}, expected "${repo.path}"`);
              }
              if (!event.issue_numbers.includes(issueNumber)) {
                problems.push(
                  `issue_numbers ${JSON.stringify(event.issue_numbers)}, expected #${issueNumber}`,
                );
              }
              if (problems.length > 0) {
                throw new Error(`the issue delivery parsed wrong: ${problems.join("; ")}`);
              }

              if (await hooks.verify(copyRequest(d), other)) {
                throw new Error(
                  `a delivery signed with one secret verified with another (${JSON.stringify(other)})`,
                );
              }
              const foreign = await build({ secret: other, issueNumber, deliveryId });
              if (await hooks.verify(copyRequest(foreign), secret)) {
                throw new Error("a delivery signed with another secret verified");
              }
              const unsigned = copyRequest(d);
              unsigned.headers.delete(d.signatureHeader);
              if (await hooks.verify(unsigned, secret)) {
                throw new Error(`a delivery without ${d.signatureHeader} verified`);
              }
              for (const t of tampers) {
                const changed = tamper(d, t);
                if (changed !== undefined && await hooks.verify(changed.request, secret)) {
                  throw new Error(`a delivery with ${changed.what} verified`);
                }
              }

              const push = await build({ secret, issueNumber, event: "other" });
              let parsed: unknown;
              try {
                parsed = hooks.parse(copyRequest(push));
              } catch (error) {
                throw new Error(
                  `parse threw on an unrelated event instead of answering null: ${
                    error instanceof Error ? error.message : String(error)
                  }`,
                );
              }
              if (parsed !== null) {
                throw new Error(`an unrelated event parsed to ${JSON.stringify(parsed)}, expected null`);
              }
            },
          ),
          {
            numRuns: options.numRuns ?? 12,
            seed: options.seed,
            endOnFailure: true,
            includeErrorInReport: true,
          },
        );
      } finally {
        await harness.close();
      }
    },
  };
}

/**
 * The kit's properties for a plugin, to run with any test runner. "webhook verification" is among
 * them when the plugin declares `capabilities.webhooks` and has `webhooks`.
 */
export function conformanceProperties(options: ConformanceOptions): ConformanceProperty[] {
  const webhooks = options.plugin.capabilities.webhooks && options.plugin.webhooks !== undefined;
  return [
    fieldRoundTrip(options),
    incrementalListing(options),
    idempotentCreation(options),
    errorMapping(options),
    ...(webhooks ? [webhookVerification(options)] : []),
  ];
}

/**
 * Runs the kit as steps of a Deno test. A failing property fails its step with a message naming
 * the property and the plugin, and fast-check's counterexample. A property that could not run
 * passes with an ignored sub-step whose name says why ("skipped: …").
 */
export async function runConformance(t: Deno.TestContext, options: ConformanceOptions): Promise<void> {
  for (const property of conformanceProperties(options)) {
    await t.step(property.name, async (step) => {
      let outcome: void | ConformanceSkip;
      try {
        outcome = await property.run();
      } catch (error) {
        // fast-check keeps the property's own error as the cause: its message says what went wrong.
        const cause = error instanceof Error && error.cause instanceof Error
          ? ` — ${error.cause.message}`
          : "";
        const detail = error instanceof Error ? `${error.message}${cause}` : String(error);
        throw new Error(
          `Conformance property "${property.name}" failed for plugin "${options.plugin.id}": ${detail}`,
        );
      }
      if (outcome !== undefined) {
        await step.step({ name: `skipped: ${outcome.skipped}`, ignore: true, fn: () => {} });
      }
    });
  }
}
