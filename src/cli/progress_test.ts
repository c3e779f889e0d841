import { assertEquals } from "../testing/assert.ts";
import { progressLine, progressMode } from "./progress.ts";

Deno.test("progressMode() shows progress on a terminal, nowhere else unless asked, never with --no-progress", () => {
  assertEquals(progressMode({}, true), "terminal");
  assertEquals(progressMode({}, false), "off");
  assertEquals(progressMode({ progress: true }, false), "lines");
  assertEquals(progressMode({ progress: true }, true), "terminal");
  assertEquals(progressMode({ "no-progress": true }, true), "off");
});

Deno.test("progressLine() rewrites one terminal line in place and clears it at the end; lines mode writes lines", () => {
  const out: string[] = [];
  const terminal = progressLine("terminal", (t) => out.push(t), 20);
  terminal.show("page 1 pulled");
  terminal.show("a line far longer than twenty characters");
  terminal.end();
  assertEquals(out, ["\r\x1b[2Kpage 1 pulled", "\r\x1b[2Ka line far longer …", "\r\x1b[2K"]);
  const lines: string[] = [];
  const plain = progressLine("lines", (t) => lines.push(t));
  plain.show("page 1 pulled");
  plain.end();
  assertEquals(lines, ["page 1 pulled\n"]);
  const off: string[] = [];
  progressLine("off", (t) => off.push(t)).show("x");
  assertEquals(off, []);
});
