// A second, smaller shop, so that isolation between shops is tested end to end: a tea and
// kitchen shop in US dollars, 36 products and a few hundred orders, deterministic. Its ids are
// in ranges of their own, as Shopify's ids are unique across shops.
import type { Collection, Customer, Order, OrderLine, Product, Store, Variant } from "./store.ts";
import type { SeedResult } from "./seed.ts";
import { mulberry32 } from "./random.ts";

export const SECOND_SHOP = "uplift-second.myshopify.com";
const SEED_VERSION = "second-1";
const DAY = 86_400_000;
const START = Date.UTC(2025, 10, 1);
const END = Date.UTC(2026, 9, 31);
const ORDERS = 320;

const teas = ["Sencha", "Assam", "Earl Grey", "Rooibos", "Jasmine", "Darjeeling", "Chamomile", "Oolong", "Matcha", "Genmaicha", "Lapsang", "Peppermint"];
const kitchen = ["Glass teapot", "Cast iron teapot", "Tea strainer", "Matcha whisk", "Travel tumbler", "Electric kettle"];
const extras = ["Honey jar", "Tea cups, set of 4", "Tea towel", "Gift box", "Loose-leaf tin", "Tasting set"];

export function seedSecondShop(store: Store, { shop }: { shop: string }): SeedResult {
  const started = performance.now();
  const counts = () => ({
    products: store.products.size,
    variants: [...store.products.values()].reduce((n, p) => n + p.variants.length, 0),
    collections: store.collections.size,
    customers: store.customers.size,
    orders: store.orders.size,
  });
  if (store.getMeta("seed_version") === SEED_VERSION) return { seeded: false, ...counts(), ms: performance.now() - started };
  const rand = mulberry32(20261201);

  store.transaction(() => {
    store.setShop({ id: 2, domain: shop, name: "Uplift Second Store", email: "owner@uplift-second.example", currency: "USD", presentmentCurrencies: ["USD", "CAD"], timezone: "America/New_York" });
    const products: Product[] = [];
    const collections: Collection[] = [];
    let variantId = 41_000_000_000;
    const add = (collection: string, title: string, type: string, option: { name: string; values: string[]; prices: number[] }) => {
      const id = 9_000_000_000 + products.length + 1;
      const created = new Date(START - (10 + products.length) * DAY).toISOString();
      const variants: Variant[] = option.values.map((value, position) => ({
        id: ++variantId, productId: id, title: value, sku: `TEA-${products.length + 1}-${position + 1}`, price: option.prices[position]!,
        compareAtPrice: null, inventoryQuantity: 20 + Math.floor(rand() * 100), options: [{ name: option.name, value }], position: position + 1,
      }));
      const handle = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
      const product: Product = {
        id, title, handle, status: "ACTIVE", vendor: "Leaf & Kettle", productType: type, tags: [type.toLowerCase()], description: `${title} from Leaf & Kettle.`,
        imageUrl: null, createdAt: created, updatedAt: created, options: [{ name: option.name, values: option.values }], variants,
      };
      products.push(product);
      store.put("product", product);
      let c = collections.find((x) => x.title === collection);
      if (!c) collections.push((c = { id: 610_000_000 + collections.length + 1, title: collection, handle: collection.toLowerCase(), productIds: [] }));
      c.productIds.push(id);
    };
    teas.forEach((t, i) => add("Teas", `${t} loose-leaf tea`, "Tea", { name: "Weight", values: ["50 g", "100 g", "250 g"], prices: [800 + i * 50, 1400 + i * 90, 3000 + i * 200] }));
    teas.forEach((t, i) => add("Teas", `${t} tea bags`, "Tea bags", { name: "Title", values: ["Default Title"], prices: [600 + i * 40] }));
    kitchen.forEach((k, i) => add("Teaware", k, "Teaware", { name: "Title", values: ["Default Title"], prices: [2400 + i * 900] }));
    extras.forEach((e, i) => add("Gifts", e, "Gift", { name: "Title", values: ["Default Title"], prices: [900 + i * 500] }));
    for (const c of collections) store.put("collection", c);

    const customers: Customer[] = [];
    for (let i = 0; i < 60; i++) {
      const c: Customer = { id: 7_100_000_000 + i + 1, firstName: `Guest${i + 1}`, lastName: "Tea", email: `guest${i + 1}@second.example`, tags: [], createdAt: new Date(START - DAY).toISOString() };
      customers.push(c);
      store.put("customer", c);
    }

    let lineId = 91_000_000_000;
    const line = (p: Product): OrderLine => {
      const v = p.variants[Math.floor(rand() * p.variants.length)]!;
      const quantity = 1 + Math.floor(rand() * rand() * 3);
      return { id: ++lineId, productId: p.id, variantId: v.id, title: `${p.title}${v.title === "Default Title" ? "" : ` - ${v.title}`}`, quantity, currentQuantity: quantity, price: v.price };
    };
    const teaware = products.filter((p) => p.productType === "Teaware");
    const loose = products.filter((p) => p.productType === "Tea");
    const dates = Array.from({ length: ORDERS }, () => START + rand() * (END - START)).sort((a, b) => a - b);
    dates.forEach((at, index) => {
      // A teapot comes with a strainer or loose-leaf tea more often than not: structure to learn from.
      const lines = [line(products[Math.floor(rand() * products.length)]!)];
      if (rand() < 0.5) lines.push(line(rand() < 0.5 ? teaware[2]! : loose[Math.floor(rand() * loose.length)]!));
      const order: Order = {
        id: 5_100_000_000 + index + 1, name: `#S${1001 + index}`, createdAt: new Date(at).toISOString(), cancelledAt: null, currency: "USD",
        customerId: rand() < 0.8 ? customers[Math.floor(rand() * customers.length)]!.id : null, lines,
      };
      store.put("order", order);
    });
    store.setMeta("seed_version", SEED_VERSION);
  });
  return { seeded: true, ...counts(), ms: performance.now() - started };
}
