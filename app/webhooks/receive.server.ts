// Every webhook route's one hop: refuse what is too large before reading it, verify the HMAC
// with Shopify's library, check the body's shape for its topic, then record the receipt and
// enqueue the work in one transaction and answer 200 at once. A receipt without its work
// cannot exist, so a crash after the answer loses nothing: the job is there to run.
// Deliveries repeat (retries, duplicates) and may arrive after uninstall: a repeated webhook
// id is answered 200 and changes nothing.
import { atomically } from "~/db.server";
import { WebhookType, WebhookValidationErrorReason } from "@shopify/shopify-api";
import { webhooks } from "~/shopify.server";
import { enqueueJob } from "~/jobs/queue.server";
import { noteForegroundWork } from "~/jobs/foreground";
import { isInstalled } from "~/shop/lifecycle.server";
import { checkPayload, COMPLIANCE_TOPICS, type Topic } from "./payloads";

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
  const check = await webhooks.validate({ rawBody: body, rawRequest: request });
  if (!check.valid) return check.reason === WebhookValidationErrorReason.InvalidHmac ? text(401, "The HMAC does not match.") : text(400, `The delivery is not a valid webhook (${check.reason}).`);
  if (check.webhookType !== WebhookType.Webhooks) return text(400, "Only HTTP webhooks are taken here.");
  // The header as Shopify sends it ("orders/create"); the library keeps its storage form.
  const topic = (request.headers.get("X-Shopify-Topic") ?? "").toLowerCase();
  const { webhookId, domain: shop } = check;
  if (!(topics as readonly string[]).includes(topic)) return text(400, `This address does not take ${topic} deliveries.`);
  const payload = parseJson(body);
  if (payload === undefined) return text(400, "The body is not JSON.");
  const checked = checkPayload(topic, shop, payload);
  if (!checked.ok) return text(422, checked.message);
  // Catalog and order news for a shop the app is not installed on (or whose data is erased)
  // would bring back data that must be gone; the privacy requests are always carried out.
  if (!COMPLIANCE_TOPICS.includes(checked.topic) && !(await isInstalled(shop))) return new Response(null, { status: 200 });
  try {
    await atomically(async (db) => {
      await db.webhookReceipt.create({ data: { webhookId, shop, topic } });
      await enqueueJob(shop, "webhook", { topic, webhookId, payload: checked.payload }, {}, db);
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  return new Response(null, { status: 200 });
}
