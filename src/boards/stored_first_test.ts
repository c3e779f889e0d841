import { assertEquals } from "../testing/assert.ts";
import type { RemoteBoard } from "../platform/boards.ts";
import { sameColumns } from "./stored_first.ts";

const board: RemoteBoard = {
  id: "PVT_1",
  number: 1,
  title: "Sprint",
  url: null,
  owner: "acme",
  columns_field_id: "F",
  columns: [{ id: "a", name: "To Do" }, { id: "b", name: "Done" }],
};

Deno.test("sameColumns() compares the columns' names, ids and field, not the title", () => {
  assertEquals(sameColumns(board, { ...board, title: "Renamed" }), true);
  assertEquals(
    sameColumns(board, { ...board, columns: [{ id: "c", name: "To Do" }, board.columns[1]!] }),
    false,
  );
  assertEquals(
    sameColumns(board, { ...board, columns: [...board.columns, { id: "d", name: "Blocked" }] }),
    false,
  );
  assertEquals(sameColumns(board, { ...board, columns_field_id: "G" }), false);
});
