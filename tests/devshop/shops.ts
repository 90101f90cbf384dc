// Several shops in one stand-in, each with its own catalog, orders, customers and metafields
// in a file of its own. The first shop's file also holds what is Shopify-wide (installations,
// tokens, webhook subscriptions and deliveries, bulk operations), each row with its shop.
import path from "node:path";
import { openStore, type Store } from "./store.ts";
import { seedShop } from "./seed.ts";
import { seedSecondShop } from "./seed-second.ts";

export interface Shops {
  /** The first shop's domain; its store is the platform store. */
  primary: string;
  platform: Store;
  domains(): string[];
  storeFor(shop: string): Store | undefined;
  /** The store holding a product or order: Shopify's ids are unique across shops. */
  holding(kind: "product" | "order", id: number): { shop: string; store: Store } | undefined;
  close(): void;
}

export function openShops(options: { dataDir: string; primary: string; others: string[]; seed: boolean }): Shops {
  const stores = new Map<string, Store>();
  const platform = openStore(path.join(options.dataDir, "devshop.sqlite"));
  stores.set(options.primary, platform);
  if (options.seed) seedShop(platform, { shop: options.primary });
  for (const domain of options.others) {
    const store = openStore(path.join(options.dataDir, "shops", domain, "devshop.sqlite"));
    // Every further shop is the small one: a few dozen products, a few hundred orders.
    if (options.seed) seedSecondShop(store, { shop: domain });
    stores.set(domain, store);
  }
  return {
    primary: options.primary,
    platform,
    domains: () => [...stores.keys()],
    storeFor: (shop) => stores.get(shop),
    holding(kind, id) {
      for (const [shop, store] of stores) if ((kind === "product" ? store.products : store.orders).has(id)) return { shop, store };
      return undefined;
    },
    close() {
      for (const store of stores.values()) store.close();
    },
  };
}
