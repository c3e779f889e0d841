import { createHmac } from "node:crypto";
import { assert, assertEquals, assertFalse, assertThrows } from "../testing/assert.ts";
import { constantTimeEqual, readJsonBody, verifySha256Signature } from "./webhook_signature.ts";
import { WebhookPayloadError } from "./types.ts";

Deno.test("constantTimeEqual() is plain equality on strings of any length", () => {
  assert(constantTimeEqual("", ""));
  assert(constantTimeEqual("s3cret ✓", "s3cret ✓"));
  assertFalse(constantTimeEqual("s3cret", "s3creT"));
  assertFalse(constantTimeEqual("s3cret", "s3cret "));
  assertFalse(constantTimeEqual("", "a"));
  assertFalse(constantTimeEqual("ab", "a"));
  // Same bytes modulo the length must still differ.
  assertFalse(constantTimeEqual("aa", "a"));
});

Deno.test("verifySha256Signature() checks the HMAC of the raw body, with or without upper-case hex", async () => {
  const body = new TextEncoder().encode('{"zen":"Keep it logically awesome."}');
  const hex = createHmac("sha256", "key").update(body).digest("hex");
  assert(await verifySha256Signature(body, "key", `sha256=${hex}`));
  assert(await verifySha256Signature(body, "key", `sha256=${hex.toUpperCase()}`));
  assert(await verifySha256Signature(body, "key", ` sha256=${hex} `));
  assertFalse(await verifySha256Signature(body, "kez", `sha256=${hex}`));
  assertFalse(await verifySha256Signature(body, "key", hex));
  assertFalse(await verifySha256Signature(body, "key", null));
  assertFalse(await verifySha256Signature(body, "", `sha256=${hex}`));
});

Deno.test("readJsonBody() reads a JSON object and refuses anything else", () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  assertEquals(readJsonBody(enc('{"a":[1]}')), { a: [1] });
  for (const bad of ["", "null", "[]", "3", "{", '"x"']) {
    const error = assertThrows(() => readJsonBody(enc(bad)), "not a JSON object");
    assert(error instanceof WebhookPayloadError);
  }
  assertThrows(() => readJsonBody(new Uint8Array([0x7b, 0xff, 0x7d])), "not a JSON object");
});
