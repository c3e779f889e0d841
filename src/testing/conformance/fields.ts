/**
 * The kit's "field round trip": what `createIssue`/`updateIssue` write is what they and `getIssue` return and what the forge holds — unicode titles, empty and 64 KB bodies, label sets, assignees, milestones, every status.
 *
 * @module
 */
import fc from "fast-check";
import { Option } from "effect";
import {
  type IssueDraft,
  type IssuePatch,
  type PlatformPlugin,
  REMOTE_STATUSES,
  type RemoteIssue,
  type RemoteStatus,
} from "../../platform/types.ts";
import { canonical, type ConformanceOptions, type ConformanceProperty, connect, run } from "./common.ts";
import { type SandboxHarness } from "../harness.ts";

// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]/g;
// deno-lint-ignore no-control-regex
const BINARY = /[\u0000-\u0008\u000B-\u001F\u007F\r]/g;

/** Titles: any graphemes without control characters, 1 to 255 of them. */
export const titleArb = fc.string({ unit: "grapheme", minLength: 1, maxLength: 120 })
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

/** The "field round trip" property. */
export function fieldRoundTrip(options: ConformanceOptions): ConformanceProperty {
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
