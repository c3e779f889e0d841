/**
 * Test support for the browser tests: Debian's Chromium driven by playwright-core. The browser is
 * found at FORGESYNC_CHROMIUM or /usr/bin/chromium; when it is missing the tests FAIL with the command
 * that installs it (`.ci/run` installs it on a fresh machine), they never skip.
 *
 * @module
 */
import { type Browser, chromium } from "playwright-core";

/** Where screenshots go (git-ignored). */
export const SCREENSHOTS = new URL("../../.test-report/screenshots/", import.meta.url).pathname;

/** The Chromium executable the tests use. */
export function chromiumPath(): string {
  return Deno.env.get("FORGESYNC_CHROMIUM") ?? "/usr/bin/chromium";
}

/**
 * Launches headless Chromium with the flags this machine needs (no sandbox as root, no background
 * networking: the network is closed). Throws naming the fix when Chromium is not installed.
 */
export async function launchChromium(): Promise<Browser> {
  const path = chromiumPath();
  try {
    await Deno.stat(path);
  } catch {
    throw new Error(
      `Chromium is not installed at ${path}: the browser tests need it. Install it with ` +
        "`apt-get install -y chromium` (Debian; .ci/run does this) or set FORGESYNC_CHROMIUM to a Chromium binary.",
    );
  }
  await Deno.mkdir(SCREENSHOTS, { recursive: true });
  return await chromium.launch({
    executablePath: path,
    headless: true,
    timeout: 30_000,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
    ],
  });
}
