// The app's Functions as Shopify knows them once deployed (every `type = "function"`
// extension under extensions/), and what a shop has made of them: its cart transform and its
// automatic app discounts, kept in the shop's own store so a restart keeps them.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseToml } from "smol-toml";
import type { Store } from "../store.ts";
import { APP_ID } from "../views.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
/** Where the app's extensions are; tests add folders of fixture Functions. */
export const EXTENSIONS_DIR = path.join(ROOT, "extensions");

/** Which Function API a target belongs to, and the output type Shopify checks its result against. */
export const TARGETS: Record<string, { api: "cart_transform" | "discount"; apiType: string; outputType: string }> = {
  "cart.transform.run": { api: "cart_transform", apiType: "cart_transform", outputType: "CartTransformRunResult" },
  "cart.lines.discounts.generate.run": { api: "discount", apiType: "discount", outputType: "CartLinesDiscountsGenerateRunResult" },
};

export interface AppFunction {
  /** Shopify's function id: a UUID string. */
  id: string;
  handle: string;
  title: string;
  apiType: string;
  apiVersion: string;
  target: string;
  dir: string;
  inputQuery: string;
  /** `[extensions.input.variables]`: the owner's metafield whose JSON holds the input variables. */
  inputVariables?: { namespace: string; key: string };
}

interface FunctionToml {
  api_version?: string;
  extensions?: { name?: string; handle?: string; type?: string; targeting?: { target: string; input_query?: string }[]; input?: { variables?: { namespace: string; key: string } } }[];
}

/** A stable UUID for a Function: Shopify gives each deployed Function one. */
const functionId = (handle: string) => {
  const h = createHash("sha1").update(`${APP_ID}:${handle}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

/** Every Function extension in `roots` (each a folder of extension folders), in name order. */
export function appFunctions(roots: string[] = [EXTENSIONS_DIR]): AppFunction[] {
  const found: AppFunction[] = [];
  for (const root of roots) {
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root).sort()) {
      const dir = path.join(root, name);
      const file = path.join(dir, "shopify.extension.toml");
      if (!existsSync(file)) continue;
      const toml = parseToml(readFileSync(file, "utf8")) as FunctionToml;
      for (const ext of toml.extensions ?? []) {
        const targeting = ext.targeting?.find((t) => TARGETS[t.target]);
        if (ext.type !== "function" || !targeting?.input_query || !ext.handle) continue;
        found.push({
          id: functionId(ext.handle), handle: ext.handle, title: ext.name ?? ext.handle, apiType: TARGETS[targeting.target]!.apiType,
          apiVersion: toml.api_version ?? "", target: targeting.target, dir, inputQuery: readFileSync(path.join(dir, targeting.input_query), "utf8"),
          inputVariables: ext.input?.variables,
        });
      }
    }
  }
  return found;
}

export interface CartTransformRow { id: number; functionId: string; blockOnFailure: boolean; createdAt: string }
export interface AppDiscountRow {
  id: number; functionId: string; title: string; discountClasses: string[];
  combinesWith: { productDiscounts: boolean; orderDiscounts: boolean; shippingDiscounts: boolean };
  startsAt: string; endsAt: string | null; createdAt: string; updatedAt: string;
}

/** The shop's cart transforms and automatic app discounts (one app: the stand-in installs one). */
export function functionOwners(store: Store) {
  const transform = (r: Record<string, unknown>): CartTransformRow => ({ id: Number(r.id), functionId: String(r.function_id), blockOnFailure: !!r.block_on_failure, createdAt: String(r.created_at) });
  const discount = (r: Record<string, unknown>): AppDiscountRow => ({
    id: Number(r.id), functionId: String(r.function_id), title: String(r.title), discountClasses: JSON.parse(String(r.discount_classes)),
    combinesWith: JSON.parse(String(r.combines_with)), startsAt: String(r.starts_at), endsAt: r.ends_at === null ? null : String(r.ends_at),
    createdAt: String(r.created_at), updatedAt: String(r.updated_at),
  });
  return {
    cartTransforms: () => (store.db.prepare("SELECT * FROM cart_transforms ORDER BY id").all() as Record<string, unknown>[]).map(transform),
    createCartTransform(functionId: string, blockOnFailure: boolean): CartTransformRow {
      const { lastInsertRowid } = store.db.prepare("INSERT INTO cart_transforms (function_id, block_on_failure, created_at) VALUES (?, ?, ?)").run(functionId, blockOnFailure ? 1 : 0, new Date().toISOString());
      return this.cartTransforms().find((t) => t.id === Number(lastInsertRowid))!;
    },
    deleteCartTransform: (id: number) => store.db.prepare("DELETE FROM cart_transforms WHERE id = ?").run(id).changes > 0,
    discounts: () => (store.db.prepare("SELECT * FROM app_discounts ORDER BY id").all() as Record<string, unknown>[]).map(discount),
    discount(id: number): AppDiscountRow | undefined {
      return this.discounts().find((d) => d.id === id);
    },
    saveDiscount(row: Omit<AppDiscountRow, "id" | "createdAt" | "updatedAt"> & { id?: number }): AppDiscountRow {
      const now = new Date().toISOString();
      const values = [row.functionId, row.title, JSON.stringify(row.discountClasses), JSON.stringify(row.combinesWith), row.startsAt, row.endsAt];
      if (row.id !== undefined) {
        store.db.prepare("UPDATE app_discounts SET function_id = ?, title = ?, discount_classes = ?, combines_with = ?, starts_at = ?, ends_at = ?, updated_at = ? WHERE id = ?").run(...values, now, row.id);
        return this.discount(row.id)!;
      }
      const { lastInsertRowid } = store.db.prepare("INSERT INTO app_discounts (function_id, title, discount_classes, combines_with, starts_at, ends_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)").run(...values, now, now);
      return this.discount(Number(lastInsertRowid))!;
    },
    deleteDiscount: (id: number) => store.db.prepare("DELETE FROM app_discounts WHERE id = ?").run(id).changes > 0,
    /**
     * What uninstalling the app removes, as Shopify does: its cart transform, its app
     * discounts (with their metafields) and every metafield in its `$app` namespaces.
     */
    removeApp(): void {
      store.transaction(() => {
        store.db.prepare("DELETE FROM cart_transforms").run();
        store.db.prepare("DELETE FROM app_discounts").run();
        store.db.prepare("DELETE FROM metafields WHERE namespace = ? OR namespace LIKE ?").run(`app--${APP_ID}`, `app--${APP_ID}--%`);
        store.db.prepare("DELETE FROM metafields WHERE owner_id LIKE 'gid://shopify/CartTransform/%' OR owner_id LIKE 'gid://shopify/DiscountAutomaticNode/%'").run();
      });
    },
  };
}
