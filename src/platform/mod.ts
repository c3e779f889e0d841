/**
 * The plugin contract, exported as `@forgesync/forgesync/plugin`: what a platform plugin
 * implements (`types.ts` and the files it gathers), the error it fails with and what the core does
 * about each reason (`errors.ts`), boards (`boards.ts`), and the helpers every plugin shares rather
 * than re-implements: throttled answers' waits (`rate_limit.ts`), listing cursors (`cursor.ts`), the
 * keyset listing (`keyset.ts`), timestamps (`time.ts`), redaction (`redaction.ts`), webhook
 * signatures (`webhook_signature.ts`) and URL text (`url_text.ts`). See docs/plugins.md.
 *
 * @module
 */
export * from "./types.ts";
export * from "./errors.ts";
export * from "./boards.ts";
export * from "./rate_limit.ts";
export * from "./cursor.ts";
export * from "./keyset.ts";
export * from "./time.ts";
export * from "./redaction.ts";
export * from "./webhook_signature.ts";
export * from "./url_text.ts";
