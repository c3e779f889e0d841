/**
 * The plugin contract, exported as `@forgesync/forgesync/plugin`: what a platform plugin
 * implements and the error it fails with.
 *
 * @module
 */
export * from "./types.ts";
export * from "./errors.ts";
