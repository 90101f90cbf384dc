// What the recommendations publish and the deals sync write, put straight into a stand-in's
// store for rendering tests: product windows as `$app:uplift` list.product_reference
// metafields, shop windows and deals as app-data metafields of the app installation.
import type { Store } from "../../devshop/store.ts";
import { gid, resolveNamespace } from "../../devshop/views.ts";
import { storefrontDeals, type Deal, type DealVariant } from "~/deals/schedule";

const INSTALLATION = gid("AppInstallation", 1);
const updatedAt = () => new Date().toISOString();
const refs = (ids: number[]) => JSON.stringify(ids.map((id) => gid("Product", id)));

export function writeProductWindow(store: Store, productId: number, key: "together" | "similar", ids: number[]) {
  store.setMetafield({ ownerId: gid("Product", productId), namespace: resolveNamespace("$app:uplift"), key, type: "list.product_reference", value: refs(ids), updatedAt: updatedAt() });
}

export function writeShopWindow(store: Store, key: "best_sellers" | "on_offer", ids: number[]) {
  store.setMetafield({ ownerId: INSTALLATION, namespace: "uplift", key, type: "list.product_reference", value: refs(ids), updatedAt: updatedAt() });
}

/** The deals metafield for these days, as the deals sync computes it at `now`. */
export function writeDeals(store: Store, deals: { day: string; variantId: number; price: number }[], now = Date.now()) {
  const variants = new Map<string, DealVariant>();
  const rows: Deal[] = deals.map((d) => {
    const product = [...store.products.values()].find((p) => p.variants.some((v) => v.id === d.variantId))!;
    const variant = product.variants.find((v) => v.id === d.variantId)!;
    variants.set(gid("ProductVariant", variant.id), { productId: gid("Product", product.id), handle: product.handle, price: variant.price, available: variant.inventoryQuantity > 0 });
    return { day: d.day, productId: gid("Product", product.id), variantId: gid("ProductVariant", variant.id), price: d.price };
  });
  const payload = storefrontDeals(rows, variants, store.shop!.timezone, store.shop!.currency, now);
  store.setMetafield({ ownerId: INSTALLATION, namespace: "uplift", key: "deals", type: "json", value: JSON.stringify(payload), updatedAt: updatedAt() });
  return payload;
}
