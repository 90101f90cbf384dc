// What the storefront's script sends the app proxy about the live cart: the lines as the Ajax
// Cart API lists them, the cart's currency and subtotal, and the visitor id the head script
// set. Anything else is refused (400), never guessed.
import { z } from "zod";
import type { CartLine } from "./targeting.ts";

export interface CartOffersQuery {
  lines: CartLine[];
  currency: string;
  /** Minor units, in `currency`. */
  subtotal: number;
  visitor: string;
}

/** Shopify's carts hold at most a few hundred lines; more is no real cart. */
const MAX_LINES = 250;
const id = z.string().regex(/^[1-9]\d{0,19}$/);
const line = z.string().transform((text, ctx) => {
  const [variant, product, quantity] = text.split(":");
  const parsed = z.tuple([id, id, z.coerce.number().int().min(1).max(1_000_000)]).safeParse([variant, product, quantity]);
  if (!parsed.success) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "line is variantId:productId:quantity" });
    return z.NEVER;
  }
  const [v, p, q] = parsed.data;
  return { variantId: `gid://shopify/ProductVariant/${v}`, productId: `gid://shopify/Product/${p}`, quantity: q };
});

const schema = z.object({
  lines: z.string().max(20_000).transform((s) => (s ? s.split(",") : [])).pipe(z.array(line).max(MAX_LINES)),
  currency: z.string().regex(/^[A-Z]{3}$/),
  subtotal: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  visitor: z.string().regex(/^[\w-]{1,64}$/),
});

/** `?lines=variant:product:qty,...&currency=EUR&subtotal=1234&visitor=...` */
export function parseCartOffersQuery(params: URLSearchParams): { ok: true; query: CartOffersQuery } | { ok: false; error: string } {
  const raw = Object.fromEntries(["lines", "currency", "subtotal", "visitor"].map((k) => [k, params.get(k) ?? undefined]));
  const parsed = schema.safeParse(raw);
  return parsed.success ? { ok: true, query: parsed.data } : { ok: false, error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
}
