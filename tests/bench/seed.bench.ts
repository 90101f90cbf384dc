// The demo shop's size and how long the stand-in takes to seed it and to export every
// order through a bulk operation (what the app's first order backfill waits for).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openStore } from "../devshop/store.ts";
import { seedShop } from "../devshop/seed.ts";
import { createAdminApi } from "../devshop/admin-api.ts";

const SHOP = "uplift-demo.myshopify.com";
const BULK_QUERY = `mutation { bulkOperationRunQuery(query: "{ orders { edges { node { id createdAt lineItems { edges { node { id quantity variant { id } } } } } } } }") { userErrors { message } } }`;

export async function run() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "uplift-bench-seed-"));
  try {
    const store = openStore(path.join(dir, "devshop.sqlite"));
    const seeded = seedShop(store, { shop: SHOP });
    const again = seedShop(store, { shop: SHOP });
    store.db.prepare("INSERT INTO installations (shop, access_token, scope, installed_at) VALUES (?, 'bench', '', '')").run(SHOP);
    let finished = () => {};
    const done = new Promise<void>((resolve) => (finished = resolve));
    const api = createAdminApi({ store, publicUrl: "http://localhost", onEvent: (e) => { if (e.topic === "bulk_operations/finish") finished(); } });
    const started = performance.now();
    await api.handle({ shop: SHOP, version: "2026-10", accessToken: "bench", body: { query: BULK_QUERY } });
    await done;
    const bulkMs = performance.now() - started;
    const lines = [...store.orders.values()].reduce((n, o) => n + o.lines.length, 0);
    store.close();
    return {
      products: seeded.products, variants: seeded.variants, collections: seeded.collections, customers: seeded.customers,
      orders: seeded.orders, order_lines: lines,
      seed_ms: Math.round(seeded.ms), reseed_ms: Number(again.ms.toFixed(2)), bulk_export_ms: Math.round(bulkMs),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
