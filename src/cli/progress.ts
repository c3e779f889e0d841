/**
 * Progress of the `sync` and `import` commands on stderr: on a terminal, one line rewritten in place
 * as pages are pulled and writes sent; elsewhere nothing (logs and pipes stay clean), unless
 * `--progress` asks for one line per step. `--no-progress` turns it off on a terminal too.
 *
 * @module
 */
import type { OptionSpec, OptionValues } from "./args.ts";

/** The options every command with progress takes. */
export const PROGRESS_OPTIONS: readonly OptionSpec[] = [
  {
    name: "progress",
    type: "boolean",
    description: "show progress on stderr even when it is not a terminal (one line per step)",
  },
  { name: "no-progress", type: "boolean", description: "show no progress, even on a terminal" },
];

/** How progress is shown. */
export type ProgressMode = "terminal" | "lines" | "off";

/** The mode for the options given and whether stderr is a terminal. */
export function progressMode(values: OptionValues, stderrIsTerminal: boolean): ProgressMode {
  if (values["no-progress"] === true) return "off";
  if (values.progress === true) return stderrIsTerminal ? "terminal" : "lines";
  return stderrIsTerminal ? "terminal" : "off";
}

/** Where progress lines go. */
export interface ProgressLine {
  /** Shows `text` as the current step. */
  show(text: string): void;
  /** Clears the line (terminal) before the summary is printed. */
  end(): void;
}

const encoder = new TextEncoder();

/** Writes to stderr, ignoring a closed stream. */
function toStderr(text: string): void {
  try {
    Deno.stderr.writeSync(encoder.encode(text));
  } catch {
    // stderr closed
  }
}

/**
 * A progress line in `mode`; `width` bounds a terminal line (it is cut rather than wrapped, so that
 * rewriting it in place works).
 */
export function progressLine(
  mode: ProgressMode,
  write: (text: string) => void = toStderr,
  width = 100,
): ProgressLine {
  if (mode === "off") return { show: () => {}, end: () => {} };
  if (mode === "lines") return { show: (text) => write(`${text}\n`), end: () => {} };
  let shown = false;
  return {
    show: (text) => {
      const cut = [...text].length > width - 1 ? `${[...text].slice(0, width - 2).join("")}…` : text;
      write(`\r\x1b[2K${cut}`);
      shown = true;
    },
    end: () => {
      if (shown) write("\r\x1b[2K");
      shown = false;
    },
  };
}

/** The terminal's width, or 100 when unknown. */
export function terminalWidth(): number {
  try {
    return Deno.consoleSize().columns || 100;
  } catch {
    return 100;
  }
}
