/**
 * The plugin contract, exported as `@forgesync/forgesync/plugin`: what a platform plugin
 * implements, the error it fails with, and webhook signature helpers.
 *
 * @module
 */
export * from "./types.ts";
export * from "./errors.ts";
export * from "./boards.ts";
export * from "./webhook_signature.ts";
export * from "./url_text.ts";
