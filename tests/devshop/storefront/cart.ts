// The stand-in's carts and the Ajax Cart API's answers (/cart.js, /cart/add.js,
// /cart/change.js, /cart/update.js), shaped as Shopify documents them. Carts live in
// memory, keyed by the `cart` cookie's token; prices are the cart's market's (markets.ts),
// read when the cart is.
import { randomBytes, createHash } from "node:crypto";
import type { Product, Store, Variant } from "../store.ts";
import { productImageUrl } from "../views.ts";
import { presentmentPrice } from "../markets.ts";

export interface CartLine {
  key: string;
  variantId: number;
  quantity: number;
  properties: Record<string, string>;
}

export interface Cart {
  token: string;
  currency: string;
  lines: CartLine[];
  attributes: Record<string, string>;
  note: string;
}

/** Shopify's 422 answer: the whole request is refused and the cart left as it was. */
export class CartError extends Error {
  readonly status: 404 | 422;
  readonly description: string;
  constructor(status: 404 | 422, description: string) {
    super(description);
    this.status = status;
    this.description = description;
  }
}

const lineKey = (variantId: number, properties: Record<string, string>) =>
  `${variantId}:${createHash("md5").update(JSON.stringify(Object.entries(properties).sort())).digest("hex")}`;

export function createCarts(store: Store) {
  const carts = new Map<string, Cart>();

  function variant(id: number): { product: Product; variant: Variant } | null {
    for (const product of store.products.values()) {
      const v = product.status === "ACTIVE" ? product.variants.find((x) => x.id === id) : undefined;
      if (v) return { product, variant: v };
    }
    return null;
  }

  const available = (v: Variant, wanted: number) => v.inventoryQuantity >= wanted;

  return {
    variant,
    /** A shop-currency price in the cart's currency, at its market's rate and rounding. */
    price: (shopMinor: number, currency: string) => presentmentPrice(shopMinor, currency, store.shop!.currency),
    get(token: string | undefined): Cart | null {
      return (token && carts.get(token)) || null;
    },
    /** The shopper's cart, made on the first change (Shopify creates it then too). */
    open(token: string | undefined, currency: string): Cart {
      const existing = token ? carts.get(token) : undefined;
      if (existing) return Object.assign(existing, { currency });
      const cart: Cart = { token: randomBytes(12).toString("hex"), currency, lines: [], attributes: {}, note: "" };
      carts.set(cart.token, cart);
      return cart;
    },
    /** Every item or none: an unknown or sold-out variant refuses the whole request. */
    add(cart: Cart, items: { id: unknown; quantity?: unknown; properties?: unknown }[]): CartLine[] {
      if (!items.length) throw new CartError(422, "Cart Error");
      // What this request asks for so far, per variant: two items of one variant share its stock.
      const asked = new Map<number, number>();
      const wanted = items.map((item) => {
        const id = Number(item.id);
        const quantity = item.quantity === undefined ? 1 : Number(item.quantity);
        const found = Number.isSafeInteger(id) ? variant(id) : null;
        if (!found) throw new CartError(404, "Cannot find variant");
        if (!Number.isSafeInteger(quantity) || quantity < 1) throw new CartError(422, "Quantity must be a positive whole number");
        const properties = Object.fromEntries(Object.entries(typeof item.properties === "object" && item.properties ? item.properties : {}).map(([k, v]) => [k, String(v)]));
        const inCart = cart.lines.filter((l) => l.variantId === id).reduce((n, l) => n + l.quantity, 0);
        asked.set(id, (asked.get(id) ?? 0) + quantity);
        if (!available(found.variant, inCart + asked.get(id)!)) {
          throw new CartError(422, `You can't add more ${found.product.title}${found.variant.title === "Default Title" ? "" : ` - ${found.variant.title}`} to the cart.`);
        }
        return { variantId: id, quantity, properties, key: lineKey(id, properties) };
      });
      const added: CartLine[] = [];
      for (const item of wanted) {
        const line = cart.lines.find((l) => l.key === item.key);
        if (line) line.quantity += item.quantity;
        else cart.lines.push(item);
        added.push(cart.lines.find((l) => l.key === item.key)!);
      }
      return added;
    },
    /** /cart/change.js: one line by key (`id`) or 1-based `line`; quantity 0 removes it. */
    change(cart: Cart, body: { id?: unknown; line?: unknown; quantity?: unknown; properties?: unknown }): void {
      const index = body.line !== undefined ? Number(body.line) - 1 : cart.lines.findIndex((l) => l.key === String(body.id) || String(l.variantId) === String(body.id));
      const line = cart.lines[index];
      if (!line) throw new CartError(422, "no valid id or line parameter");
      const quantity = body.quantity === undefined ? line.quantity : Number(body.quantity);
      if (!Number.isSafeInteger(quantity) || quantity < 0) throw new CartError(422, "Quantity must be a whole number");
      if (quantity > line.quantity && !available(variant(line.variantId)!.variant, quantity)) throw new CartError(422, "You can't add more of this item to the cart.");
      if (quantity === 0) cart.lines.splice(index, 1);
      else line.quantity = quantity;
    },
    /** /cart/update.js: quantities by variant id or line key, attributes and note. */
    update(cart: Cart, body: { updates?: unknown; attributes?: unknown; note?: unknown }): void {
      if (body.updates && typeof body.updates === "object") {
        for (const [id, quantity] of Object.entries(body.updates)) {
          const line = cart.lines.find((l) => l.key === id || String(l.variantId) === id);
          if (line) this.change(cart, { id: line.key, quantity });
          else if (Number(quantity) > 0) this.add(cart, [{ id, quantity }]);
        }
      }
      if (body.attributes && typeof body.attributes === "object") {
        for (const [k, v] of Object.entries(body.attributes)) {
          if (v === "" || v === null) delete cart.attributes[k];
          else cart.attributes[k] = String(v);
        }
      }
      if (typeof body.note === "string") cart.note = body.note;
    },
  };
}

export type Carts = ReturnType<typeof createCarts>;

/** A cart as /cart.js answers it (empty when the shopper has none yet). */
export function cartJson(carts: Carts, cart: Cart | null, currency: string, publicUrl: string) {
  const items = (cart?.lines ?? []).map((line) => lineJson(carts, line, currency, publicUrl));
  const total = items.reduce((n, i) => n + i.line_price, 0);
  return {
    token: cart?.token ?? null, note: cart?.note ?? "", attributes: cart?.attributes ?? {},
    original_total_price: total, total_price: total, total_discount: 0, total_weight: 0,
    item_count: items.reduce((n, i) => n + i.quantity, 0), items, requires_shipping: items.length > 0,
    currency, items_subtotal_price: total, cart_level_discount_applications: [],
  };
}

export function lineJson(carts: Carts, line: CartLine, currency: string, publicUrl: string) {
  const { product, variant } = carts.variant(line.variantId)!;
  const price = carts.price(variant.price, currency);
  const single = product.variants.length === 1 && variant.title === "Default Title";
  return {
    id: variant.id, key: line.key, properties: line.properties, quantity: line.quantity, variant_id: variant.id,
    title: single ? product.title : `${product.title} - ${variant.title}`, price, original_price: price, discounted_price: price,
    line_price: price * line.quantity, original_line_price: price * line.quantity, final_price: price, final_line_price: price * line.quantity,
    total_discount: 0, discounts: [], sku: variant.sku, grams: 0, vendor: product.vendor, taxable: true, product_id: product.id,
    product_has_only_default_variant: single, gift_card: false, url: `/products/${product.handle}?variant=${variant.id}`,
    image: productImageUrl(publicUrl, product.id), handle: product.handle, requires_shipping: true, product_type: product.productType,
    product_title: product.title, variant_title: single ? null : variant.title, options_with_values: variant.options,
  };
}
