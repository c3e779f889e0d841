import { assertEquals } from "../../testing/assert.ts";
import { allTools } from "./mod.ts";
import { publishedAnnotations } from "../tool.ts";
import type { Tool } from "../tool.ts";

Deno.test("each tool's annotations follow its actions: destructive when one may remove or overwrite, read-only when all read", () => {
  for (const tool of allTools) {
    const actions = Object.values(tool.actions);
    assertEquals(tool.annotations.destructiveHint, actions.some((a) => a.destructive === true), tool.name);
    assertEquals(tool.annotations.readOnlyHint, actions.every((a) => a.reads === true), tool.name);
  }
});

Deno.test("in read-only mode every tool is published read-only and not destructive", () => {
  for (const tool of allTools) {
    const published = publishedAnnotations(tool as Tool<unknown>, true);
    assertEquals([published.readOnlyHint, published.destructiveHint], [true, false], tool.name);
    assertEquals(publishedAnnotations(tool as Tool<unknown>, false), tool.annotations);
  }
});
