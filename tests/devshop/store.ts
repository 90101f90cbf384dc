// The stand-in's state: one SQLite file (node:sqlite), so a restart keeps the shop.
// Catalog and orders are small JSON documents; lookups happen in memory after load.
import { DatabaseSync } from "node:sqlite";
import { mkdirSync } from "node:fs";
import path from "node:path";

export interface Variant {
  id: number;
  productId: number;
  title: string;
  sku: string;
  /** Minor units, shop currency. */
  price: number;
  compareAtPrice: number | null;
  inventoryQuantity: number;
  options: { name: string; value: string }[];
  position: number;
  /** A bundle parent's components, set with productVariantRelationshipBulkUpdate. */
  components?: { variantId: number; quantity: number }[];
  /** Sold only as its components (a bundle parent): ProductVariant.requiresComponents. */
  requiresComponents?: boolean;
}

export interface Product {
  id: number;
  title: string;
  handle: string;
  status: "ACTIVE" | "DRAFT" | "ARCHIVED";
  vendor: string;
  productType: string;
  tags: string[];
  description: string;
  imageUrl: string | null;
  createdAt: string;
  updatedAt: string;
  options: { name: string; values: string[] }[];
  variants: Variant[];
}

export interface Collection {
  id: number;
  title: string;
  handle: string;
  productIds: number[];
}

export interface Customer {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  tags: string[];
  createdAt: string;
}

export interface OrderLine {
  id: number;
  productId: number;
  variantId: number;
  title: string;
  quantity: number;
  /** Quantity left after refunds and removals. */
  currentQuantity: number;
  price: number;
  /** The cart line's properties (`_`-prefixed ones included), in order; seeded orders have none. */
  properties?: { name: string; value: string }[];
  /** Checkout orders: the unit price charged in the order's presentment currency, before discounts. */
  presentmentPrice?: number;
  /** Checkout orders: the discounts on this line (`application` indexes the order's discountApplications), in shop and presentment currency. */
  discountAllocations?: { application: number; amount: number; presentmentAmount: number }[];
  /** A bundle's component: the id of its group in the order's lineItemGroups. */
  groupId?: number;
}

/** A discount the checkout applied, as REST's discount_applications describe it. */
export interface OrderDiscountApplication {
  title: string;
  /** The message the Function gave (REST `description`). */
  description: string;
  valueType: "percentage" | "fixed_amount";
  value: string;
  allocationMethod: "across" | "each";
}

/** A bundle bought as one line at checkout (Shopify's LineItemGroup): its components are the order's lines with its id. */
export interface OrderLineGroup {
  id: number;
  title: string;
  quantity: number;
  productId: number;
  variantId: number;
  properties: { name: string; value: string }[];
}

export interface Order {
  id: number;
  name: string;
  createdAt: string;
  cancelledAt: string | null;
  currency: string;
  customerId: number | null;
  lines: OrderLine[];
  note?: string | null;
  /** The cart's attributes when the order came from a checkout. */
  noteAttributes?: { name: string; value: string }[];
  /** The currency the shopper paid in (checkout orders); `currency` is the shop's. */
  presentmentCurrency?: string;
  discountApplications?: OrderDiscountApplication[];
  lineItemGroups?: OrderLineGroup[];
}

export interface ShopInfo {
  /** Shopify's numeric shop id; the demo shop's is 1. */
  id?: number;
  domain: string;
  name: string;
  email: string;
  currency: string;
  presentmentCurrencies: string[];
  timezone: string;
}

export interface Metafield {
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  updatedAt: string;
}

type Kind = "product" | "collection" | "customer" | "order";

export class Store {
  readonly db: DatabaseSync;
  readonly dir: string;
  shop: ShopInfo | null = null;
  products = new Map<number, Product>();
  collections = new Map<number, Collection>();
  customers = new Map<number, Customer>();
  orders = new Map<number, Order>();

  constructor(file: string) {
    this.dir = file === ":memory:" ? path.join(process.cwd(), ".devshop-memory") : path.dirname(file);
    if (file !== ":memory:") mkdirSync(this.dir, { recursive: true });
    this.db = new DatabaseSync(file);
    this.db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS documents (kind TEXT NOT NULL, id INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, id));
      CREATE TABLE IF NOT EXISTS metafields (owner_id TEXT NOT NULL, namespace TEXT NOT NULL, key TEXT NOT NULL, type TEXT NOT NULL, value TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (owner_id, namespace, key));
      CREATE TABLE IF NOT EXISTS installations (shop TEXT PRIMARY KEY, access_token TEXT NOT NULL, scope TEXT NOT NULL, installed_at TEXT NOT NULL, uninstalled_at TEXT);
      CREATE TABLE IF NOT EXISTS webhook_deliveries (id INTEGER PRIMARY KEY AUTOINCREMENT, webhook_id TEXT NOT NULL, shop TEXT NOT NULL, topic TEXT NOT NULL, uri TEXT NOT NULL, payload TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL, last_error TEXT, created_at TEXT NOT NULL, delivered_at TEXT);
      CREATE TABLE IF NOT EXISTS webhook_subscriptions (id INTEGER PRIMARY KEY AUTOINCREMENT, shop TEXT NOT NULL, topic TEXT NOT NULL, uri TEXT NOT NULL, created_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS cart_transforms (id INTEGER PRIMARY KEY AUTOINCREMENT, function_id TEXT NOT NULL, block_on_failure INTEGER NOT NULL, created_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS app_discounts (id INTEGER PRIMARY KEY AUTOINCREMENT, function_id TEXT NOT NULL, title TEXT NOT NULL, discount_classes TEXT NOT NULL, combines_with TEXT NOT NULL, starts_at TEXT NOT NULL, ends_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS bulk_operations (id INTEGER PRIMARY KEY AUTOINCREMENT, shop TEXT NOT NULL, query TEXT NOT NULL, status TEXT NOT NULL, object_count INTEGER NOT NULL DEFAULT 0, file_size INTEGER, created_at TEXT NOT NULL, completed_at TEXT);
    `);
    this.load();
  }

  private load(): void {
    const shop = this.getMeta("shop");
    this.shop = shop ? (JSON.parse(shop) as ShopInfo) : null;
    const rows = this.db.prepare("SELECT kind, body FROM documents").all() as { kind: Kind; body: string }[];
    for (const row of rows) {
      const doc = JSON.parse(row.body);
      this.mapFor(row.kind).set(doc.id, doc);
    }
  }

  private mapFor(kind: Kind): Map<number, { id: number }> {
    switch (kind) {
      case "product": return this.products;
      case "collection": return this.collections;
      case "customer": return this.customers;
      case "order": return this.orders;
    }
  }

  getMeta(key: string): string | null {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(key, value);
  }

  setShop(shop: ShopInfo): void {
    this.shop = shop;
    this.setMeta("shop", JSON.stringify(shop));
  }

  put(kind: "product", doc: Product): void;
  put(kind: "collection", doc: Collection): void;
  put(kind: "customer", doc: Customer): void;
  put(kind: "order", doc: Order): void;
  put(kind: Kind, doc: { id: number }): void {
    this.db.prepare("INSERT INTO documents (kind, id, body) VALUES (?, ?, ?) ON CONFLICT(kind, id) DO UPDATE SET body = excluded.body").run(kind, doc.id, JSON.stringify(doc));
    this.mapFor(kind).set(doc.id, doc);
  }

  remove(kind: Kind, id: number): void {
    this.db.prepare("DELETE FROM documents WHERE kind = ? AND id = ?").run(kind, id);
    this.mapFor(kind).delete(id);
  }

  transaction<T>(work: () => T): T {
    this.db.exec("BEGIN");
    try {
      const result = work();
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  nextId(sequence: string): number {
    const current = Number(this.getMeta(`seq:${sequence}`) ?? "0");
    this.setMeta(`seq:${sequence}`, String(current + 1));
    return current + 1;
  }

  metafields(ownerId: string): Metafield[] {
    return (this.db.prepare("SELECT owner_id, namespace, key, type, value, updated_at FROM metafields WHERE owner_id = ?").all(ownerId) as Record<string, string>[])
      .map((r) => ({ ownerId: r.owner_id!, namespace: r.namespace!, key: r.key!, type: r.type!, value: r.value!, updatedAt: r.updated_at! }));
  }

  setMetafield(m: Metafield): void {
    this.db.prepare(`INSERT INTO metafields (owner_id, namespace, key, type, value, updated_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(owner_id, namespace, key) DO UPDATE SET type = excluded.type, value = excluded.value, updated_at = excluded.updated_at`)
      .run(m.ownerId, m.namespace, m.key, m.type, m.value, m.updatedAt);
  }

  deleteMetafield(ownerId: string, namespace: string, key: string): boolean {
    return this.db.prepare("DELETE FROM metafields WHERE owner_id = ? AND namespace = ? AND key = ?").run(ownerId, namespace, key).changes > 0;
  }

  close(): void {
    this.db.close();
  }
}

export function openStore(file: string): Store {
  return new Store(file);
}
