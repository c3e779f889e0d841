/**
 * Drives a connected plugin client through every operation it offers, with representative inputs,
 * so that a recording sandbox log holds one of each request the plugin can send: verify, create
 * (labels, assignees, milestone), update (every field, status changes both ways), get (found and
 * missing), incremental listing (all pages, then from a cursor), finding by marker (recent and by
 * search), milestones (list, create, batched assignment and read, close), releases and generated
 * notes, tags, and boards (create, adopt by number and address, add columns with cards on the board,
 * move one card or a batch, read, list). A batch names a missing issue too: refused alone.
 * Operations the forge refuses for this repository (a capability it lacks) are skipped; any other
 * failure fails the drive.
 *
 * @module
 */
import { Effect, Option, Stream } from "effect";
import { hasBoards } from "../../platform/boards.ts";
import type { PlatformError } from "../../platform/errors.ts";
import { type Capabilities, defaultMarker, type PlatformClient, type RepoRef } from "../../platform/types.ts";
import type { SandboxHarness } from "../harness.ts";

const run = <A>(effect: Effect.Effect<A, PlatformError>): Promise<A> => Effect.runPromise(effect);

/** What the drive did, for the test's own assertions. */
export interface DriveReport {
  readonly operations: string[];
}

/**
 * Runs every operation of `client` on `repo` of `harness` once or more. `tagTarget` is a commit the
 * forge knows, for `createTag`.
 */
export async function driveClient(
  client: PlatformClient,
  repo: RepoRef,
  harness: SandboxHarness,
  options: {
    readonly tagTarget?: string;
    /** The plugin's capabilities: labels are sent only where the forge has them. */
    readonly capabilities?: Capabilities;
  } = {},
): Promise<DriveReport> {
  const operations: string[] = [];
  const did = (name: string) => operations.push(name);
  await run(client.verify(repo));
  did("verify");
  await harness.seedIssues(3);
  const users = harness.users;
  const milestone = harness.milestones[0] ?? null;
  const marker = defaultMarker("task", "contract-1");
  const labels = options.capabilities?.labels === false ? {} : { labels: ["bug", "contract"] };
  const created = await run(client.createIssue(repo, {
    title: "Contract: every field",
    body: `A body\n\n${marker}`,
    ...labels,
    assignees: users.slice(0, 1),
    milestone,
  }));
  did("createIssue");
  await run(client.updateIssue(repo, created.number, {
    title: "Contract: renamed",
    body: `Another body\n\n${marker}`,
    ...(options.capabilities?.labels === false ? {} : { labels: ["contract"] }),
    assignees: users.slice(1, 2),
    milestone: null,
    status: "in_progress",
  }));
  await run(client.updateIssue(repo, created.number, { status: "completed" }));
  await run(client.updateIssue(repo, created.number, { status: "open" }));
  await run(client.updateIssue(repo, created.number, { status: "cancelled" }));
  did("updateIssue");
  await run(client.getIssue(repo, created.number));
  const missing = await run(client.getIssue(repo, 99_999));
  if (Option.isSome(missing)) throw new Error("issue 99999 should not exist");
  did("getIssue");
  const pages = await run(Stream.runCollect(client.listChanged(repo, null)));
  const cursor = [...pages].at(-1)?.cursor ?? null;
  await harness.remoteEdit(created.number, { title: "Contract: edited on the forge" });
  await run(Stream.runCollect(client.listChanged(repo, cursor)));
  did("listChanged");
  await run(client.findByMarker(repo, marker, new Date(Date.now() - 60_000).toISOString()));
  await run(client.findByMarker(repo, marker, null));
  did("findByMarker");
  if (client.listMilestones !== undefined) {
    await run(client.listMilestones(repo));
    did("listMilestones");
  }
  if (client.createMilestone !== undefined) {
    const m = await run(client.createMilestone(repo, {
      title: "Contract 1.0",
      description: "A milestone",
      due_on: "2030-01-31",
    }));
    did("createMilestone");
    if (client.setMilestones !== undefined && client.readMilestones !== undefined) {
      const known = [{ number: created.number, id: created.id }];
      await run(client.setMilestones(repo, m, known));
      // Without global ids: the plugin looks the issue and the milestone up first.
      await run(
        client.setMilestones(repo, { ...m, global_id: undefined }, [{ number: created.number, id: null }]),
      );
      did("setMilestones");
      await run(client.readMilestones(repo, [...known, { number: 99_999, id: null }]));
      did("readMilestones");
    }
    if (client.closeMilestone !== undefined) {
      await run(client.closeMilestone(repo, m.id));
      did("closeMilestone");
    }
  }
  if (client.generateNotes !== undefined) {
    await run(client.generateNotes(repo, { tag: "v9.0.0" }));
    did("generateNotes");
  }
  if (client.createRelease !== undefined) {
    await run(client.createRelease(repo, {
      tag: "v9.0.0",
      name: "Contract 9",
      body: "Notes",
      ...(milestone === null ? {} : { milestone }),
    }));
    did("createRelease");
  }
  if (client.createTag !== undefined && options.tagTarget !== undefined) {
    await run(client.createTag(repo, { name: "contract-tag", target: options.tagTarget }));
    did("createTag");
  }
  if (hasBoards(client.boards)) {
    const boards = client.boards;
    const board = await run(
      boards.createBoard(repo, { title: "Contract board", columns: ["To Do", "Done"] }),
    );
    did("createBoard");
    const adopted = await run(boards.getBoard(repo, { number: board.number }));
    if (board.url !== null) await run(boards.getBoard(repo, { url: board.url }));
    did("getBoard");
    const issue = { number: created.number, id: created.id };
    await run(boards.moveCard(repo, adopted, issue, "To Do"));
    did("moveCard");
    const wider = await run(boards.addColumns(repo, adopted, ["To Do", "Done", "Blocked"]));
    did("addColumns");
    await run(boards.moveCard(repo, wider, { number: created.number, id: null }, "Blocked"));
    await run(boards.getCard(repo, wider, issue));
    did("getCard");
    const cards = await run(boards.listCards(repo, wider));
    did("listCards");
    if (boards.moveCards !== undefined) {
      const [other] = await harness.seedIssues(1);
      await run(boards.moveCards(repo, wider, [
        {
          issue,
          column: "Done",
          item_id: cards.find((c) => c.issue_number === created.number)?.item_id ?? null,
        },
        { issue: { number: other!, id: null }, column: "To Do", item_id: null },
        { issue: { number: 99_999, id: null }, column: "To Do", item_id: null },
      ]));
      did("moveCards");
    }
  }
  return { operations };
}
