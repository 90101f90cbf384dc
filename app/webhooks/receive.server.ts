// Every webhook route's one hop: refuse what is too large before reading it, verify the HMAC,
// check the body's shape for its topic, then record the receipt and enqueue the work in one
// transaction and answer 200 at once. A receipt without its work
// cannot exist, so a crash after the answer loses nothing: the job is there to run.
// Deliveries repeat (retries, duplicates) and may arrive after uninstall: a repeated webhook
// id is answered 200 and changes nothing.
import { createHmac, timingSafeEqual } from "node:crypto";
import { appSecret } from "~/shopify.server";
import { noteForegroundWork } from "~/jobs/foreground";
import { checkPayload, COMPLIANCE_TOPICS, type Topic } from "./payloads";
import { recordDelivery } from "./receipts.server";

/** Bodies larger than this are refused before they are read whole (Shopify's are far smaller). */
export const WEBHOOK_BODY_LIMIT = Number(process.env.UPLIFT_WEBHOOK_MAX_BYTES) || 5 * 1024 * 1024;

const text = (status: number, message: string) => new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

/** The body as text, or null when it is larger than `limit` bytes (read no further than that). */
export async function readLimited(request: Request, limit = WEBHOOK_BODY_LIMIT): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > limit) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** A copy of the request with the body already read, for the library to verify. */
export async function boundedRequest(request: Request): Promise<Request | Response> {
  const body = await readLimited(request);
  if (body === null) return text(413, `Webhook bodies over ${WEBHOOK_BODY_LIMIT} bytes are refused.`);
  return new Request(request.url, { method: request.method, headers: request.headers, body });
}

export function isUniqueViolation(error: unknown): boolean {
  const text = String((error as { code?: string; message?: string })?.code ?? "") + String((error as Error)?.message ?? "");
  return text.includes("P2002") || /UNIQUE constraint|duplicate key/i.test(text);
}

/** The headers every delivery of Shopify's carries. */
const REQUIRED_HEADERS = ["X-Shopify-Hmac-Sha256", "X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-Webhook-Id", "X-Shopify-API-Version"] as const;

type Verified = { ok: true; topic: string; shop: string; webhookId: string } | { ok: false; response: Response };

/**
 * Shopify's check (shopify.dev, "Verify webhooks"): the base64 HMAC-SHA256 of the raw body under
 * the app's secret, compared in constant time. Done here rather than by the library's
 * `webhooks.validate`, whose WebCrypto round trip and header canonicalisation were a tenth of
 * an answer's time under a burst; the library's check is the same HMAC of the same bytes.
 */
export function verifyDelivery(headers: Headers, body: string): Verified {
  const missing = REQUIRED_HEADERS.filter((name) => !headers.get(name));
  if (missing.length) return { ok: false, response: text(400, `The delivery is not a valid webhook (missing ${missing.join(", ")}).`) };
  const given = Buffer.from(headers.get("X-Shopify-Hmac-Sha256")!, "base64");
  const expected = createHmac("sha256", appSecret).update(body, "utf8").digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, response: text(401, "The HMAC does not match.") };
  // The topic as Shopify sends it ("orders/create").
  return { ok: true, topic: headers.get("X-Shopify-Topic")!.toLowerCase(), shop: headers.get("X-Shopify-Shop-Domain")!, webhookId: headers.get("X-Shopify-Webhook-Id")! };
}

/** The body parsed, or undefined when it is not JSON. */
function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export async function receiveWebhook(request: Request, topics: readonly Topic[]): Promise<Response> {
  if (request.method !== "POST") return text(405, "Webhooks are POSTed.");
  noteForegroundWork();
  const body = await readLimited(request);
  if (body === null) return text(413, `Webhook bodies over ${WEBHOOK_BODY_LIMIT} bytes are refused.`);
  const verified = verifyDelivery(request.headers, body);
  if (!verified.ok) return verified.response;
  const { topic, shop, webhookId } = verified;
  if (!(topics as readonly string[]).includes(topic)) return text(400, `This address does not take ${topic} deliveries.`);
  const payload = parseJson(body);
  if (payload === undefined) return text(400, "The body is not JSON.");
  const checked = checkPayload(topic, shop, payload);
  if (!checked.ok) return text(422, checked.message);
  await recordDelivery({ webhookId, shop, topic, payload: checked.payload, onlyIfInstalled: !COMPLIANCE_TOPICS.includes(checked.topic) });
  return new Response(null, { status: 200 });
}
