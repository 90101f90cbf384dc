// The app on PostgreSQL, end to end: `npm run setup` creates and migrates a throwaway
// database with our migrator, a second run applies nothing, and the app's real modules
// (session storage, settings, catalog, a sync against the stand-in) round-trip their data
// through the PostgreSQL client. Without a reachable PostgreSQL these tests are skipped and
// say so, except in CI (CI=true), where that is a failure.
import { cpSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, RequestedTokenType, Session, shopifyApi } from "@shopify/shopify-api";
import { Prisma } from "@prisma/client";
import { POSTGRESQL, ROOT } from "../../scripts/db-targets.ts";
import { MIGRATION_LOCK_KEY, MigrationError, migratePostgres, readMigrations } from "../../scripts/migrate-postgresql.ts";
import { API_KEY, API_SECRET, SHOP, startHarness, type Harness } from "./support/harness";
import { dropDatabase, holdAdvisoryLock, postgresUnavailable, sql, TEST_POSTGRES_URL, throwawayDatabaseUrl } from "./support/postgres";
import type { ProductRecord } from "~/catalog/sync.server";
import type { Settings } from "~/settings/settings";

const unavailable = await postgresUnavailable();
const MIGRATIONS = path.join(ROOT, POSTGRESQL.migrations);

if (unavailable) {
  const message = `PostgreSQL tests: cannot reach ${TEST_POSTGRES_URL} (${unavailable}); start PostgreSQL or set TEST_POSTGRES_URL`;
  if (process.env.CI) {
    describe("PostgreSQL", () => {
      it("is reachable (CI must run the PostgreSQL tests)", () => {
        throw new Error(`${message}: failing, because CI must run them.`);
      });
    });
  } else {
    console.warn(`\nSKIPPED ${message}.`);
  }
}

describe.skipIf(unavailable !== null)("the app on PostgreSQL", () => {
  const database = throwawayDatabaseUrl();
  const migrations = readMigrations(MIGRATIONS);
  let scratch: string;
  let harness: Harness;
  let prisma: typeof import("~/db.server").default;

  beforeAll(async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), "uplift-pg-"));
    // The harness runs `node scripts/db.ts migrate` (what `npm run setup` runs) with this
    // URL: the database does not exist yet, so that creates it too.
    harness = await startHarness({ databaseUrl: database.url });
    prisma = (await import("~/db.server")).default;
  });
  afterAll(async () => {
    await harness?.close();
    await dropDatabase(database.name);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  describe("migrations", () => {
    it("setup created the database and applied every migration once, with Prisma's bookkeeping", async () => {
      const rows = await sql<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
        database.url, 'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
      );
      expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(migrations.map((m) => [m.name, m.checksum]));
      expect(rows.every((r) => r.finished_at instanceof Date && r.applied_steps_count === 1)).toBe(true);
      const tables = await sql<{ table_name: string }>(database.url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(["Session", "Shop", "ShopSettings", "Product", "Variant", "Order", "OrderLine"]));
    });

    it("a second run applies nothing", async () => {
      const result = await migratePostgres({ url: database.url, dir: MIGRATIONS });
      expect(result).toEqual({ applied: [], alreadyApplied: migrations.map((m) => m.name) });
      const output = execFileSync(process.execPath, [path.join(ROOT, "scripts", "db.ts"), "migrate"], {
        env: { ...process.env, DATABASE_URL: database.url }, encoding: "utf8",
      });
      expect(output).toContain(`all ${migrations.length} migration(s) already applied`);
      const [row] = await sql<{ count: string }>(database.url, 'SELECT count(*) FROM "_prisma_migrations"');
      expect(Number(row?.count)).toBe(migrations.length);
    });

    it("two processes migrating at once wait for each other and apply each migration once", async () => {
      const url = `${database.url}?schema=race`;
      // Hold the lock first, so both runs are certainly waiting at the same time.
      const release = await holdAdvisoryLock(database.url, MIGRATION_LOCK_KEY);
      const waiting: string[] = [];
      const runs = [1, 2].map(() => migratePostgres({ url, dir: MIGRATIONS, log: (line) => waiting.push(line) }));
      for (let i = 0; i < 100 && waiting.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(waiting).toEqual([expect.stringMatching(/waiting/), expect.stringMatching(/waiting/)]);
      expect(await sql(database.url, "SELECT 1 FROM information_schema.tables WHERE table_schema = 'race'")).toEqual([]);
      await release();
      const results = await Promise.all(runs);
      expect(results.map((r) => r.applied.length).sort()).toEqual([0, migrations.length]);
      const rows = await sql(database.url, 'SELECT migration_name FROM race."_prisma_migrations"');
      expect(rows).toHaveLength(migrations.length);
    });

    it("a failing migration is rolled back whole and named; fixed, it applies", async () => {
      const dir = path.join(scratch, "broken");
      cpSync(MIGRATIONS, dir, { recursive: true });
      const broken = path.join(dir, "99990101000000_broken");
      cpSync(path.join(dir, migrations[0]!.name), broken, { recursive: true });
      writeFileSync(path.join(broken, "migration.sql"), 'CREATE TABLE "Half" ("id" INTEGER);\nSELECT * FROM "Missing";\n');
      const url = `${database.url}?schema=broken`;

      const error = await migratePostgres({ url, dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toBe('Migration 99990101000000_broken failed and was rolled back: relation "Missing" does not exist');
      expect(await sql(database.url, "SELECT 1 FROM information_schema.tables WHERE table_schema = 'broken' AND table_name = 'Half'")).toEqual([]);
      const names = await sql<{ migration_name: string }>(database.url, 'SELECT migration_name FROM broken."_prisma_migrations"');
      expect(names.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));

      writeFileSync(path.join(broken, "migration.sql"), 'CREATE TABLE "Half" ("id" INTEGER);\n');
      expect((await migratePostgres({ url, dir })).applied).toEqual(["99990101000000_broken"]);
    });

    it("refuses a migration changed after it was applied", async () => {
      const dir = path.join(scratch, "changed");
      cpSync(MIGRATIONS, dir, { recursive: true });
      appendFileSync(path.join(dir, migrations[0]!.name, "migration.sql"), "\n-- edited afterwards\n");
      const error = await migratePostgres({ url: database.url, dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toMatch(new RegExp(`^Migration ${migrations[0]!.name} was changed after it was applied`));
    });
  });

  describe("the app's modules through the PostgreSQL client", () => {
    it("opens the database", async () => {
      const { assertDatabaseReady } = await import("~/db.server");
      await expect(assertDatabaseReady()).resolves.toBeUndefined();
    });

    it("stores, finds and deletes Shopify sessions (session-storage-prisma)", async () => {
      const { sessionStorage } = await import("~/shopify.server");
      const expires = new Date(Date.now() + 3_600_000);
      expires.setMilliseconds(0);
      const online = new Session({
        id: `${SHOP}_902541635`, shop: SHOP, state: "state-1", isOnline: true, scope: "read_products,read_orders",
        expires, accessToken: "shpua_online",
        onlineAccessInfo: {
          expires_in: 3600, associated_user_scope: "read_products",
          associated_user: { id: 902541635, first_name: "Ada", last_name: "Lovelace", email: "ada@example.com", email_verified: true, account_owner: true, locale: "en", collaborator: false },
        },
      });
      const offline = new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "state-2", isOnline: false, scope: "read_products", accessToken: "shpat_offline" });
      expect(await sessionStorage!.storeSession(online)).toBe(true);
      expect(await sessionStorage!.storeSession(offline)).toBe(true);

      const loaded = await sessionStorage!.loadSession(online.id);
      // The library's table keeps the user, not the token's lifetime or the user's scope.
      const { expires_in: _e, associated_user_scope: _s, ...user } = online.onlineAccessInfo!;
      expect(loaded?.toObject()).toEqual({ ...online.toObject(), onlineAccessInfo: user });
      expect(loaded?.expires?.getTime()).toBe(expires.getTime());
      expect((await prisma.session.findUniqueOrThrow({ where: { id: online.id } })).userId).toBe(902541635n);
      expect((await sessionStorage!.loadSession(offline.id))?.equals(offline)).toBe(true);
      expect((await sessionStorage!.findSessionsByShop(SHOP)).map((s) => s.id).sort()).toEqual([offline.id, online.id].sort());

      await sessionStorage!.deleteSession(online.id);
      expect(await sessionStorage!.loadSession(online.id)).toBeUndefined();
    });

    it("saves and loads shop settings", async () => {
      const { loadSettings, saveSettings } = await import("~/settings/settings.server");
      const { DEFAULT_SETTINGS } = await import("~/settings/settings");
      const shop = "settings-pg.myshopify.com";
      expect(await loadSettings(shop)).toEqual(DEFAULT_SETTINGS);
      const settings: Settings = { freeShippingThresholds: { EUR: 5000, USD: 6000, JPY: 8000 }, holdoutBasisPoints: 1250, storefrontLocales: ["en", "fr", "de"], offersPerPage: 3, offersPerShopperPerDay: 9 };
      await saveSettings(shop, settings);
      expect(await loadSettings(shop)).toEqual(settings);
      await saveSettings(shop, { ...settings, holdoutBasisPoints: 0 });
      expect((await loadSettings(shop)).holdoutBasisPoints).toBe(0);
      expect(await prisma.shopSettings.count({ where: { shop } })).toBe(1);
    });

    it("upserts a product with its variants and collections, then updates and deletes it", async () => {
      const { deleteProduct, upsertProduct } = await import("~/catalog/sync.server");
      const shop = "catalog-pg.myshopify.com";
      const variant = (n: number, priceMinor: number) => ({
        id: `gid://shopify/ProductVariant/${n}`, title: `${n} GB`, sku: `PHONE-${n}`, priceMinor, compareAtMinor: null,
        inventoryQuantity: 7, availableForSale: true, options: [{ name: "Storage", value: `${n} GB` }], position: n === 64 ? 1 : 2,
      });
      const product: ProductRecord = {
        id: "gid://shopify/Product/1", title: "Phone «Ü»", handle: "phone", status: "ACTIVE", vendor: "Uplift", productType: "Phones",
        tags: ["phone", "5g"], imageUrl: null, updatedAt: new Date("2026-11-01T10:00:00.000Z"),
        variants: [variant(64, 49900), variant(128, 59900)], collectionIds: ["gid://shopify/Collection/1", "gid://shopify/Collection/2"],
      };
      await upsertProduct(shop, "EUR", product);
      const row = await prisma.product.findUniqueOrThrow({ where: { shop_id: { shop, id: product.id } } });
      expect([row.title, JSON.parse(row.tags), row.updatedAt.toISOString()]).toEqual(["Phone «Ü»", ["phone", "5g"], "2026-11-01T10:00:00.000Z"]);
      expect(await prisma.variant.findMany({ where: { shop }, orderBy: { position: "asc" }, select: { id: true, priceMinor: true, currency: true, options: true } })).toEqual([
        { id: "gid://shopify/ProductVariant/64", priceMinor: 49900, currency: "EUR", options: '[{"name":"Storage","value":"64 GB"}]' },
        { id: "gid://shopify/ProductVariant/128", priceMinor: 59900, currency: "EUR", options: '[{"name":"Storage","value":"128 GB"}]' },
      ]);
      expect(await prisma.productCollection.count({ where: { shop, productId: product.id } })).toBe(2);

      await upsertProduct(shop, "EUR", { ...product, title: "Phone", variants: [variant(128, 54900)], collectionIds: null });
      expect((await prisma.product.findUniqueOrThrow({ where: { shop_id: { shop, id: product.id } } })).title).toBe("Phone");
      expect(await prisma.variant.findMany({ where: { shop }, select: { id: true, priceMinor: true } })).toEqual([{ id: "gid://shopify/ProductVariant/128", priceMinor: 54900 }]);
      expect(await prisma.productCollection.count({ where: { shop, productId: product.id } })).toBe(2);

      await deleteProduct(shop, product.id);
      expect(await prisma.product.count({ where: { shop } })).toBe(0);
      expect(await prisma.variant.count({ where: { shop } })).toBe(0);
    });

    it("reports a unique violation as @prisma/client's error class, as libraries expect", async () => {
      await prisma.shop.create({ data: { domain: "twice-pg.myshopify.com" } });
      const error = await prisma.shop.create({ data: { domain: "twice-pg.myshopify.com" } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
      expect((error as Prisma.PrismaClientKnownRequestError).code).toBe("P2002");
    });

    it("syncs the stand-in's catalog and order history", async () => {
      const shopify = (await import("~/shopify.server")).default;
      const api = shopifyApi({ apiKey: API_KEY, apiSecretKey: API_SECRET, hostName: "localhost:8170", apiVersion: ApiVersion.October26, isEmbeddedApp: true, logger: { level: 0 } });
      const { session } = await api.auth.tokenExchange({
        shop: SHOP, sessionToken: await harness.sessionToken(), requestedTokenType: RequestedTokenType.OfflineAccessToken,
      });
      await shopify.sessionStorage!.storeSession(session);
      const { admin } = await shopify.unauthenticated.admin(SHOP);

      const { runCatalogSync } = await import("~/catalog/sync.server");
      const result = await runCatalogSync(SHOP, admin);
      const run = await prisma.syncRun.findUniqueOrThrow({ where: { id: result!.runId } });
      expect([run.status, run.error]).toEqual(["succeeded", null]);
      const store = harness.devshop.store;
      expect(await prisma.product.count({ where: { shop: SHOP } })).toBe(store.products.size);
      expect(await prisma.variant.count({ where: { shop: SHOP } })).toBe([...store.products.values()].reduce((n, p) => n + p.variants.length, 0));
      expect(await prisma.collection.count({ where: { shop: SHOP } })).toBe(store.collections.size);

      const { enqueue } = await import("~/jobs/queue.server");
      await enqueue(SHOP, "orders.backfill", {});
      await harness.runJobs();
      const orders = await prisma.syncRun.findFirst({ where: { shop: SHOP, kind: "orders" }, orderBy: { id: "desc" } });
      expect([orders?.status, orders?.error ?? null]).toEqual(["succeeded", null]);
      const all = [...store.orders.values()];
      expect(await prisma.order.count({ where: { shop: SHOP } })).toBe(all.length);
      expect(await prisma.orderLine.count({ where: { shop: SHOP } })).toBe(all.reduce((n, o) => n + o.lines.length, 0));
    }, 240_000);
  });
});
