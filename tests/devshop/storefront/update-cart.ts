// The server side of the stand-in's Shopify.actions.updateCart (standard-actions.js): the
// payload's lines (an add has `merchandiseId`; an update names its line by `id` or by
// `viewKey`, the key Liquid and /cart.js show; quantity 0 removes), note and attributes,
// applied to the cart all together or not at all. A change the cart declines comes back as
// `userErrors` with the cart as it was, as the Storefront API answers it.
import { CartError, cartJson, type Cart, type Carts } from "./cart.ts";

interface LineInput {
  id?: unknown;
  viewKey?: unknown;
  merchandiseId?: unknown;
  quantity?: unknown;
  attributes?: unknown;
}

const numericId = (gid: unknown) => Number(String(gid ?? "").split("/").pop());
const attributesOf = (value: unknown): Record<string, string> =>
  Object.fromEntries((Array.isArray(value) ? value : []).filter((a) => a && typeof a.key === "string").map((a: { key: string; value: unknown }) => [a.key, String(a.value ?? "")]));
/** The cart line's Storefront id, from its key. */
const lineId = (key: string) => `gid://shopify/CartLine/${encodeURIComponent(key)}`;

export function updateCart(carts: Carts, cart: Cart, payload: { lines?: unknown; note?: unknown; attributes?: unknown }, publicUrl: string) {
  const before = structuredClone({ lines: cart.lines, note: cart.note, attributes: cart.attributes });
  const userErrors: { field: string[]; message: string; code: string }[] = [];
  try {
    const lines = (Array.isArray(payload.lines) ? payload.lines : []) as LineInput[];
    const adds = lines.filter((l) => l.merchandiseId !== undefined && l.id === undefined && l.viewKey === undefined);
    if (adds.length) carts.add(cart, adds.map((l) => ({ id: numericId(l.merchandiseId), quantity: l.quantity ?? 1, properties: attributesOf(l.attributes) })));
    for (const line of lines.filter((l) => !adds.includes(l))) {
      const key = line.viewKey !== undefined ? String(line.viewKey) : decodeURIComponent(String(line.id).replace("gid://shopify/CartLine/", ""));
      carts.change(cart, { id: key, quantity: line.quantity });
    }
    if (typeof payload.note === "string") cart.note = payload.note;
    if (Array.isArray(payload.attributes)) cart.attributes = attributesOf(payload.attributes);
  } catch (error) {
    if (!(error instanceof CartError)) throw error;
    Object.assign(cart, structuredClone(before));
    userErrors.push({ field: ["lines"], message: error.description, code: error.status === 404 ? "INVALID_MERCHANDISE_LINE" : "MERCHANDISE_NOT_ENOUGH_STOCK" });
  }
  return { cart: storefrontCart(carts, cart, publicUrl), userErrors };
}

/** The cart in the Storefront API's shape, as the standard actions resolve it. */
export function storefrontCart(carts: Carts, cart: Cart | null, publicUrl: string) {
  const json = cartJson(carts, cart, cart?.currency ?? "EUR", publicUrl);
  const money = (minor: number) => ({ amount: (minor / 100).toFixed(2), currencyCode: json.currency });
  return {
    id: cart ? `gid://shopify/Cart/${cart.token}` : null, note: json.note, totalQuantity: json.item_count,
    cost: { subtotalAmount: money(json.items_subtotal_price), totalAmount: money(json.total_price) },
    lines: json.items.map((item) => ({
      id: lineId(item.key), quantity: item.quantity, merchandise: { id: `gid://shopify/ProductVariant/${item.variant_id}`, product: { id: `gid://shopify/Product/${item.product_id}`, title: item.product_title } },
      attributes: Object.entries(item.properties).map(([key, value]) => ({ key, value })),
      cost: { totalAmount: money(item.final_line_price) },
    })),
  };
}
