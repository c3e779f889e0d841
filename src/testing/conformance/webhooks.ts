/**
 * The kit's "webhook verification": signed deliveries verify and parse; byte flips, truncations and extensions of the signature (and of the body where the forge signs it), a missing signature and another secret fail; an unrelated event parses to null.
 *
 * @module
 */
import fc from "fast-check";
import { isRepoParseError, type WebhookRequest } from "../../platform/types.ts";
import type { ConformanceOptions, ConformanceProperty } from "./common.ts";
import type { HarnessDelivery } from "../harness.ts";

/** A change made to a signed delivery, which must then fail verification. */
type Tamper =
  | { readonly kind: "body flip"; readonly index: number; readonly mask: number }
  | { readonly kind: "body truncation"; readonly length: number }
  | { readonly kind: "body extension"; readonly bytes: Uint8Array }
  | { readonly kind: "signature flip"; readonly index: number; readonly char: number }
  | { readonly kind: "signature truncation"; readonly length: number }
  | { readonly kind: "signature extension"; readonly text: string };

const PRINTABLE = { min: 0x21, max: 0x7e } as const;

const tamperArb: fc.Arbitrary<Tamper> = fc.oneof(
  fc.record({
    kind: fc.constant("body flip" as const),
    index: fc.nat(),
    mask: fc.integer({ min: 1, max: 255 }),
  }),
  fc.record({ kind: fc.constant("body truncation" as const), length: fc.nat() }),
  fc.record({
    kind: fc.constant("body extension" as const),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant("signature flip" as const), index: fc.nat(), char: fc.integer(PRINTABLE) }),
  fc.record({ kind: fc.constant("signature truncation" as const), length: fc.nat() }),
  fc.record({
    kind: fc.constant("signature extension" as const),
    text: fc.stringMatching(/^[!-~]{1,8}$/),
  }),
);

/** Secrets a forge's settings page takes: printable ASCII (GitLab sends it as a header value). */
const secretArb = fc.stringMatching(/^[!-~]{1,48}$/);

/** A copy of a delivery, so that a plugin changing what it is given cannot change the next check. */
function copyRequest(d: { readonly headers: Headers; readonly body: Uint8Array }): WebhookRequest {
  return { headers: new Headers(d.headers), body: d.body.slice() };
}

/**
 * The delivery changed by `t`, with a description, or undefined when `t` does not apply (the body
 * of a forge that does not sign it, an empty value).
 */
function tamper(d: HarnessDelivery, t: Tamper): { request: WebhookRequest; what: string } | undefined {
  const request = copyRequest(d);
  const body = d.body;
  const signature = d.headers.get(d.signatureHeader) ?? "";
  switch (t.kind) {
    case "body flip": {
      if (!d.bodySigned || body.length === 0) return undefined;
      const i = t.index % body.length;
      request.body[i]! ^= t.mask;
      return { request, what: `byte ${i} of the body xor 0x${t.mask.toString(16)}` };
    }
    case "body truncation": {
      if (!d.bodySigned || body.length === 0) return undefined;
      const length = t.length % body.length;
      return {
        request: { ...request, body: body.slice(0, length) },
        what: `the body cut to ${length} bytes`,
      };
    }
    case "body extension": {
      if (!d.bodySigned) return undefined;
      const longer = new Uint8Array(body.length + t.bytes.length);
      longer.set(body);
      longer.set(t.bytes, body.length);
      return { request: { ...request, body: longer }, what: `${t.bytes.length} bytes added to the body` };
    }
    case "signature flip": {
      if (signature.length === 0) return undefined;
      const i = t.index % signature.length;
      const original = signature[i]!.toLowerCase();
      // Another printable character, not the same letter in another case (hex digits may be either).
      let code = t.char;
      while (String.fromCharCode(code).toLowerCase() === original) {
        code = code === PRINTABLE.max ? PRINTABLE.min : code + 1;
      }
      const changed = `${signature.slice(0, i)}${String.fromCharCode(code)}${signature.slice(i + 1)}`;
      request.headers.set(d.signatureHeader, changed);
      return {
        request,
        what: `character ${i} of ${d.signatureHeader} changed to "${String.fromCharCode(code)}"`,
      };
    }
    case "signature truncation": {
      if (signature.length === 0) return undefined;
      const length = t.length % signature.length;
      request.headers.set(d.signatureHeader, signature.slice(0, length));
      return { request, what: `${d.signatureHeader} cut to ${length} characters` };
    }
    case "signature extension": {
      request.headers.set(d.signatureHeader, `${signature}${t.text}`);
      return { request, what: `${d.signatureHeader} followed by ${JSON.stringify(t.text)}` };
    }
  }
}

/** The "webhook verification" property (plugins with webhooks). */
export function webhookVerification(options: ConformanceOptions): ConformanceProperty {
  const { plugin } = options;
  return {
    name: "webhook verification",
    run: async () => {
      const hooks = plugin.webhooks;
      if (hooks === undefined) return { skipped: `plugin "${plugin.id}" has no webhooks member` };
      const harness = await options.harness();
      try {
        if (harness.webhookDelivery === undefined) {
          return {
            skipped: `the "${harness.platform}" harness has no webhookDelivery(), so no signed delivery ` +
              "can be built: implement SandboxHarness.webhookDelivery to run this property",
          };
        }
        const build = harness.webhookDelivery.bind(harness);
        const repo = plugin.parseRepository(harness.repository);
        if (isRepoParseError(repo)) throw new Error(`The harness repository does not parse: ${repo.message}`);
        const secretsArb = fc.tuple(secretArb, secretArb).filter(([a, b]) => a !== b);
        await fc.assert(
          fc.asyncProperty(
            secretsArb,
            fc.integer({ min: 1, max: 1_000_000 }),
            fc.uuid(),
            fc.array(tamperArb, { minLength: 1, maxLength: 8 }),
            async ([secret, other], issueNumber, deliveryId, tampers) => {
              const d = await build({ secret, issueNumber, deliveryId });
              if (!(await hooks.verify(copyRequest(d), secret))) {
                throw new Error("a correctly signed issue delivery did not verify");
              }
              const event = hooks.parse(copyRequest(d));
              if (event === null) throw new Error("a correctly signed issue delivery parsed to null");
              const problems: string[] = [];
              if (event.delivery_id !== deliveryId) {
                problems.push(`delivery_id ${JSON.stringify(event.delivery_id)}, expected "${deliveryId}"`);
              }
              const names = [event.repository, ...(event.repository_aliases ?? [])].map((n) =>
                n.toLowerCase()
              );
              if (!names.includes(repo.path.toLowerCase())) {
                problems.push(`repository ${JSON.stringify(event.repository)}, expected "${repo.path}"`);
              }
              if (!event.issue_numbers.includes(issueNumber)) {
                problems.push(
                  `issue_numbers ${JSON.stringify(event.issue_numbers)}, expected #${issueNumber}`,
                );
              }
              if (problems.length > 0) {
                throw new Error(`the issue delivery parsed wrong: ${problems.join("; ")}`);
              }

              if (await hooks.verify(copyRequest(d), other)) {
                throw new Error(
                  `a delivery signed with one secret verified with another (${JSON.stringify(other)})`,
                );
              }
              const foreign = await build({ secret: other, issueNumber, deliveryId });
              if (await hooks.verify(copyRequest(foreign), secret)) {
                throw new Error("a delivery signed with another secret verified");
              }
              const unsigned = copyRequest(d);
              unsigned.headers.delete(d.signatureHeader);
              if (await hooks.verify(unsigned, secret)) {
                throw new Error(`a delivery without ${d.signatureHeader} verified`);
              }
              for (const t of tampers) {
                const changed = tamper(d, t);
                if (changed !== undefined && await hooks.verify(changed.request, secret)) {
                  throw new Error(`a delivery with ${changed.what} verified`);
                }
              }

              const push = await build({ secret, issueNumber, event: "other" });
              let parsed: unknown;
              try {
                parsed = hooks.parse(copyRequest(push));
              } catch (error) {
                throw new Error(
                  `parse threw on an unrelated event instead of answering null: ${
                    error instanceof Error ? error.message : String(error)
                  }`,
                );
              }
              if (parsed !== null) {
                throw new Error(`an unrelated event parsed to ${JSON.stringify(parsed)}, expected null`);
              }
            },
          ),
          {
            numRuns: options.numRuns ?? 12,
            seed: options.seed,
            endOnFailure: true,
            includeErrorInReport: true,
          },
        );
      } finally {
        await harness.close();
      }
    },
  };
}
