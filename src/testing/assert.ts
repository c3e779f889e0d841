/**
 * Small assertions for tests (JSR's @std/assert is out of reach here; `node:assert` is built in).
 *
 * @module
 */
import nodeAssert from "node:assert/strict";

/** Asserts that `value` is truthy. */
export function assert(value: unknown, message?: string): asserts value {
  nodeAssert.ok(value, message);
}

/** Asserts that `value` is falsy. */
export function assertFalse(value: unknown, message?: string): void {
  nodeAssert.ok(!value, message);
}

/** Asserts deep, strict equality. */
export function assertEquals<T>(actual: unknown, expected: T, message?: string): asserts actual is T {
  nodeAssert.deepStrictEqual(actual, expected, message);
}

/** Asserts deep inequality. */
export function assertNotEquals(actual: unknown, expected: unknown, message?: string): void {
  nodeAssert.notDeepStrictEqual(actual, expected, message);
}

/** Asserts that `text` matches `pattern`. */
export function assertMatch(text: string, pattern: RegExp, message?: string): void {
  nodeAssert.match(text, pattern, message);
}

/** Asserts that `text` includes `part`. */
export function assertStringIncludes(text: string, part: string, message?: string): void {
  nodeAssert.ok(
    text.includes(part),
    message ?? `Expected ${JSON.stringify(text.slice(0, 500))} to include ${JSON.stringify(part)}`,
  );
}

/** Asserts that `fn` throws, optionally checking the message; returns the error. */
export function assertThrows(fn: () => unknown, includes?: string): Error {
  try {
    fn();
  } catch (error) {
    if (includes !== undefined) assertStringIncludes(String((error as Error)?.message ?? error), includes);
    return error as Error;
  }
  throw new nodeAssert.AssertionError({ message: "Expected the function to throw." });
}

/** Asserts that the promise rejects, optionally checking the message; returns the error. */
export async function assertRejects(fn: () => Promise<unknown>, includes?: string): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    if (includes !== undefined) assertStringIncludes(String((error as Error)?.message ?? error), includes);
    return error as Error;
  }
  throw new nodeAssert.AssertionError({ message: "Expected the promise to reject." });
}
