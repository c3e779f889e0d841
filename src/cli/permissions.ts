/**
 * The Deno permissions the server runs with (the same as deno.json's `mcp` and `start` tasks):
 * network for the forges, environment for tokens, files for the database, FFI and system
 * information for the libSQL native addon.
 *
 * @module
 */

/** `deno run` permission flags for forgesync. */
export const RUN_PERMISSIONS: readonly string[] = [
  "--allow-read",
  "--allow-write",
  "--allow-net",
  "--allow-env",
  "--allow-ffi",
  "--allow-sys",
];
