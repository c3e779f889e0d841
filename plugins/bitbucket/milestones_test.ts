import { assertEquals } from "../../src/testing/assert.ts";
import { run, withPlugin } from "./test_support.ts";

Deno.test("listMilestones() reads Bitbucket's milestones; writing them is not offered", async () => {
  await withPlugin(async ({ client, repo }) => {
    const milestones = await run(client.listMilestones!(repo));
    assertEquals(milestones.map((m) => [m.id, m.title, m.state, m.due_on]), [
      ["1", "v1.0", "open", null],
      ["2", "v1.1", "open", null],
      ["3", "v2.0", "open", null],
    ]);
    assertEquals(client.createMilestone, undefined);
    assertEquals(client.closeMilestone, undefined);
    assertEquals(client.createRelease, undefined);
    assertEquals(client.generateNotes, undefined);
  }, "bearer");
});
