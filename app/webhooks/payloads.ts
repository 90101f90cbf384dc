// The shape each webhook topic's body must have before any work is queued for it. Shopify's
// HMAC covers the body only: the topic and shop headers can be relabelled by anyone who holds
// a genuine signed body. So compliance bodies are checked strictly (a customers/redact body
// does not pass as shop/redact) and must name the shop they are for.
import { z } from "zod";

const id = z.number().int().nonnegative();
const money = z.string().regex(/^-?\d+(\.\d+)?$/);
const timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not a date");

const restVariant = z.object({
  id, title: z.string(), sku: z.string().nullable().optional(), price: money, compare_at_price: money.nullable().optional(),
  inventory_quantity: z.number().int().optional(), position: z.number().int(), option1: z.string().nullable().optional(),
}).passthrough();

export const productPayload = z.object({
  id, title: z.string(), handle: z.string(), status: z.string(), vendor: z.string(), product_type: z.string(),
  tags: z.string(), updated_at: timestamp, variants: z.array(restVariant).max(2_048).optional(),
  options: z.array(z.object({ name: z.string() }).passthrough()).optional(),
  image: z.object({ src: z.string() }).passthrough().nullable().optional(),
}).passthrough();

export const productDeletePayload = z.object({ id }).passthrough();

export const orderPayload = z.object({
  id, created_at: timestamp, updated_at: timestamp.optional(), cancelled_at: timestamp.nullable(), currency: z.string().length(3), total_price: money,
  customer: z.object({ id }).passthrough().nullable().optional(),
  line_items: z.array(z.object({ id, product_id: id.nullable(), variant_id: id.nullable(), quantity: z.number().int().nonnegative(), price: money }).passthrough()).max(5_000),
  refunds: z.array(z.object({ refund_line_items: z.array(z.object({ line_item_id: id, quantity: z.number().int().nonnegative() }).passthrough()) }).passthrough()).optional(),
}).passthrough();

const shopFields = { shop_id: id, shop_domain: z.string() };
const customer = z.object({ id, email: z.string().nullable().optional(), phone: z.string().nullable().optional() }).passthrough();

/**
 * Fields that mark a body as another compliance topic's. Shopify may add fields to these
 * bodies, so they are not refused for an unknown field; a body carrying a field of another
 * topic was relabelled.
 */
const withoutFields = <T extends z.ZodTypeAny>(schema: T, fields: string[]) =>
  schema.superRefine((value, ctx) => {
    for (const field of fields) {
      if (value && typeof value === "object" && field in value) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message: "belongs to another topic" });
    }
  });

export const shopRedactPayload = withoutFields(z.object(shopFields).passthrough(), ["customer", "orders_to_redact", "orders_requested", "data_request"]);
export const customersRedactPayload = withoutFields(
  z.object({ ...shopFields, customer, orders_to_redact: z.array(id).max(100_000) }).passthrough(), ["orders_requested", "data_request"],
);
export const customersDataRequestPayload = withoutFields(
  z.object({ ...shopFields, customer, orders_requested: z.array(id).max(100_000), data_request: z.object({ id }).passthrough() }).passthrough(),
  ["orders_to_redact"],
);

export const uninstalledPayload = z.object({}).passthrough();

/** Each topic Uplift subscribes to and works on, with the shape of its body. */
export const TOPICS = {
  "products/create": productPayload,
  "products/update": productPayload,
  "products/delete": productDeletePayload,
  "orders/create": orderPayload,
  "orders/updated": orderPayload,
  "app/uninstalled": uninstalledPayload,
  "customers/data_request": customersDataRequestPayload,
  "customers/redact": customersRedactPayload,
  "shop/redact": shopRedactPayload,
} as const;

export type Topic = keyof typeof TOPICS;
export type TopicPayload<T extends Topic> = z.infer<(typeof TOPICS)[T]>;

export const COMPLIANCE_TOPICS: readonly Topic[] = ["customers/data_request", "customers/redact", "shop/redact"];

export type PayloadCheck = { ok: true; topic: Topic; payload: unknown } | { ok: false; message: string };

/** Checks a verified delivery's body against its topic, and a compliance body against its shop. */
export function checkPayload(topic: string, shop: string, payload: unknown): PayloadCheck {
  if (!(topic in TOPICS)) return { ok: false, message: `Uplift does not handle the topic "${topic}".` };
  const parsed = TOPICS[topic as Topic].safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `The ${topic} body is not what Shopify sends: ${issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "invalid"}.` };
  }
  if (COMPLIANCE_TOPICS.includes(topic as Topic) && (parsed.data as { shop_domain: string }).shop_domain !== shop) {
    return { ok: false, message: `The ${topic} body is for another shop than the delivery says.` };
  }
  return { ok: true, topic: topic as Topic, payload: parsed.data };
}
