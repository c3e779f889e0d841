/**
 * Command-line arguments: each command declares its options once ({@link CommandSpec}); parsing,
 * `--help` and the refusal of unknown flags (with a suggestion) follow from that declaration.
 *
 * Tokens come from `node:util`'s `parseArgs` (Node's own parser, which Deno implements): it handles
 * `--name value`, `--name=value`, short flags and repeated options, and adds no package to download.
 * Its strict mode refuses unknown options with a bare message, so it runs non-strict and the tokens are
 * checked here against the declaration, which lets the message name the command and the closest option.
 *
 * @module
 */
import { parseArgs } from "node:util";

/** One option of a command. */
export interface OptionSpec {
  /** The long name, without dashes: `repo` for `--repo`. */
  readonly name: string;
  readonly type: "string" | "boolean";
  /** A one-letter alias: `y` for `-y`. */
  readonly short?: string;
  /** Other long names accepted for it (`repository` for `repo`). */
  readonly aliases?: readonly string[];
  /** May be given more than once (collected in order). */
  readonly multiple?: boolean;
  /** What the value looks like in the help (`owner/repo`). */
  readonly value?: string;
  readonly description: string;
}

/** A command: its name, what it does, its options and examples. */
export interface CommandSpec {
  readonly name: string;
  /** Other names that run it (`start` for `serve`). */
  readonly aliases?: readonly string[];
  /** One line for the command list. */
  readonly summary: string;
  /** Paragraphs shown by `--help` under the usage line. */
  readonly description?: string;
  readonly options: readonly OptionSpec[];
  readonly examples?: readonly string[];
}

/** Values of the parsed options by long name; `help` is true when `--help`/`-h` was given. */
export type OptionValues = Readonly<Record<string, string | boolean | readonly string[] | undefined>>;

/** The outcome of {@link parseCommand}. */
export type Parsed =
  | { readonly ok: true; readonly help: boolean; readonly values: OptionValues }
  | { readonly ok: false; readonly message: string };

const HELP: OptionSpec = { name: "help", short: "h", type: "boolean", description: "show this help" };

/** Edit distance between two short words, a swap of neighbours counting as one edit (suggestions only). */
export function distance(a: string, b: string): number {
  const d: number[][] = Array.from(
    { length: a.length + 1 },
    (_, i) => Array.from({ length: b.length + 1 }, (_, j) => i === 0 ? j : j === 0 ? i : 0),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate closest to `word` when it is close enough to be a typo (or a prefix of it).
 *
 * @example
 * ```ts
 * import { suggest } from "./args.ts";
 * suggest("stauts", ["status", "sync"]); // "status"
 * ```
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of candidates) {
    const d = name.startsWith(word) && word.length >= 2 ? 0 : distance(word, name);
    if (best === undefined || d < best.d) best = { name, d };
  }
  return best !== undefined && best.d <= Math.max(1, Math.floor(best.name.length / 3))
    ? best.name
    : undefined;
}

const flagOf = (o: OptionSpec) => `--${o.name}`;

/** Parses `args` against a command's options; `--help`/`-h` is accepted by every command. */
export function parseCommand(spec: CommandSpec, args: readonly string[], prefix = "deno task"): Parsed {
  const options = [...spec.options, HELP];
  const byName = new Map<string, OptionSpec>();
  for (const o of options) {
    byName.set(o.name, o);
    for (const alias of o.aliases ?? []) byName.set(alias, o);
  }
  const byShort = new Map(options.filter((o) => o.short !== undefined).map((o) => [o.short!, o]));
  const seeHelp = `See: ${prefix} ${spec.name} --help`;
  // parseArgs must know which options take a value; unknown ones come back as tokens (non-strict).
  const known: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const o of options) {
    known[o.name] = { type: o.type, ...(o.short ? { short: o.short } : {}) };
    for (const alias of o.aliases ?? []) known[alias] = { type: o.type };
  }
  let tokens;
  try {
    tokens =
      parseArgs({ args: [...args], options: known, strict: false, allowPositionals: true, tokens: true })
        .tokens;
  } catch (error) {
    return { ok: false, message: `${spec.name}: ${(error as Error).message}. ${seeHelp}` };
  }
  const values: Record<string, string | boolean | string[] | undefined> = {};
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      const looksLikeRepo = /^[\w.-]+\/[\w./-]+$/.test(token.value);
      const hint = looksLikeRepo && byName.has("repo") ? ` Did you mean --repo ${token.value}?` : "";
      return {
        ok: false,
        message: `${spec.name} takes no argument "${token.value}": options start with --.${hint} ${seeHelp}`,
      };
    }
    const short = token.rawName.length === 2 && !token.rawName.startsWith("--");
    // parseArgs names a known short flag by its long name (`-y` → yes).
    const option = byName.get(token.name) ?? (short ? byShort.get(token.name) : undefined);
    if (option === undefined) {
      const names = [...byName.keys()].filter((n) => n !== "help");
      const close = short ? undefined : suggest(token.name, names);
      return {
        ok: false,
        message: `Unknown option "${token.rawName}" for ${spec.name}.${
          close === undefined ? "" : ` Did you mean "--${byName.get(close)!.name}"?`
        } ${seeHelp}`,
      };
    }
    if (option.type === "boolean") {
      if (token.value !== undefined) {
        return {
          ok: false,
          message: `${flagOf(option)} takes no value (got "${token.value}"). ${seeHelp}`,
        };
      }
      values[option.name] = true;
      continue;
    }
    let value = token.value;
    // `--repo --watch`: non-strict parseArgs takes the next flag as the value.
    if (value === undefined || (!token.inlineValue && value.startsWith("-"))) {
      return {
        ok: false,
        message: `${flagOf(option)} needs a value${option.value ? ` (${option.value})` : ""}. ${seeHelp}`,
      };
    }
    value = value.trim();
    if (option.multiple) {
      const list = (values[option.name] as string[] | undefined) ?? [];
      list.push(value);
      values[option.name] = list;
    } else if (values[option.name] !== undefined && values[option.name] !== value) {
      return { ok: false, message: `${flagOf(option)} is given twice. ${seeHelp}` };
    } else {
      values[option.name] = value;
    }
  }
  return { ok: true, help: values.help === true, values };
}

/** The `--help` text of a command. */
export function helpText(spec: CommandSpec, prefix = "deno task"): string {
  const options = [...spec.options, HELP];
  const left = (o: OptionSpec) =>
    `${o.short ? `-${o.short}, ` : "    "}--${o.name}${
      o.type === "string" ? ` <${o.value ?? "value"}>` : ""
    }`;
  const width = Math.max(...options.map((o) => left(o).length)) + 2;
  const lines = [`${prefix} ${spec.name} — ${spec.summary}`, ""];
  const usage = spec.options.length === 0 ? "" : " [options]";
  lines.push(`Usage: ${prefix} ${spec.name}${usage}`);
  if (spec.aliases?.length) lines.push(`Also: ${spec.aliases.map((a) => `${prefix} ${a}`).join(", ")}`);
  if (spec.description) lines.push("", spec.description);
  lines.push("", "Options:");
  for (const o of options) {
    const also = o.aliases?.length ? ` (also ${o.aliases.map((a) => `--${a}`).join(", ")})` : "";
    const repeat = o.multiple ? " (repeatable)" : "";
    lines.push(`  ${left(o).padEnd(width)}${o.description}${also}${repeat}`);
  }
  if (spec.examples?.length) {
    lines.push("", "Examples:");
    for (const e of spec.examples) lines.push(`  ${e}`);
  }
  return lines.join("\n");
}

/** A string option's value (undefined when not given). */
export const stringOf = (values: OptionValues, name: string): string | undefined => {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
};

/** A repeatable option's values (empty when not given). */
export const listOf = (values: OptionValues, name: string): readonly string[] => {
  const v = values[name];
  return Array.isArray(v) ? v : [];
};
