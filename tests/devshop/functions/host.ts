// The checkout's Function host: what Shopify does between a checkout's lines and its totals.
// The shop's cart transform runs first; then each active automatic app discount, over the
// lines as the transform left them. Each Function gets the input its own query asks for
// (input.ts), runs bundled under QuickJS with no host APIs (quickjs.ts), and its output must
// coerce to the target's output type (schema.ts). A Function that throws, is stopped, or
// answers something that does not validate is treated as Shopify treats a failed Function:
// its operations are ignored, an error is logged, and the checkout goes on without them.
import type { Store } from "../store.ts";
import { gid } from "../views.ts";
import { presentmentPrice } from "../markets.ts";
import type { LoadedFunction } from "./quickjs.ts";
import { loadFunctionSchema, validateOutput } from "./schema.ts";
import { buildFunctionInput, inputVariables } from "./input.ts";
import { appFunctions, EXTENSIONS_DIR, functionOwners, TARGETS, type AppFunction } from "./registry.ts";
import {
  applyCartTransform, applyDiscount, functionLines, pricedFromSource, totals,
  type CartTransformOutput, type DiscountApplication, type DiscountOutput, type PricedCheckout, type SourceLine,
} from "./apply.ts";

export interface FunctionCheckout {
  currency: string;
  locale: string;
  lines: SourceLine[];
  attributes: Record<string, string>;
  customerId: number | null;
}

/** One Function run at a checkout, for tests and the log. */
export interface FunctionRunRecord {
  handle: string;
  owner: string;
  ok: boolean;
  error?: string;
  instructions?: number;
  ms?: number;
  /** The input's JSON size. */
  inputBytes?: number;
  skipped: string[];
}

/** Shopify refuses to run a Function on an input over 64,000 bytes (the run fails). */
export const MAX_INPUT_BYTES = 64_000;

export interface FunctionHostOptions {
  /** Folders of extension folders; the app's extensions/ when not given. */
  roots?: string[];
  /** Where failures go (Shopify shows them in the partner dashboard's Function runs). */
  log?: (message: string) => void;
}

export function createFunctionHost(options: FunctionHostOptions = {}) {
  const roots = options.roots ?? [EXTENSIONS_DIR];
  const log = options.log ?? ((message: string) => console.error(message));
  // Bundling a Function takes esbuild a moment: once per Function and process.
  const loaded = new Map<string, Promise<LoadedFunction>>();
  const load = (fn: AppFunction) => {
    let found = loaded.get(fn.dir);
    if (!found) {
      // Imported when first needed: the stand-in starts under plain Node (type stripping), and
      // the runner needs only be loadable where a Function runs.
      found = import("./quickjs.ts").then(({ loadFunction }) => loadFunction(fn.dir, { target: fn.target }));
      loaded.set(fn.dir, found);
      found.catch(() => loaded.delete(fn.dir));
    }
    return found;
  };
  const functions = () => appFunctions(roots);

  /** Runs one Function; its validated output, or null with the failure recorded. */
  async function runOne(fn: AppFunction, owner: string, input: () => Record<string, unknown>, record: FunctionRunRecord): Promise<unknown | null> {
    try {
      const runner = await load(fn);
      const built = input();
      record.inputBytes = Buffer.byteLength(JSON.stringify(built));
      if (record.inputBytes > MAX_INPUT_BYTES) throw new Error(`its input is ${record.inputBytes} bytes, over Shopify's limit of ${MAX_INPUT_BYTES}`);
      const result = runner.run(built);
      record.instructions = result.instructions;
      record.ms = result.ms;
      const errors = validateOutput(loadFunctionSchema(TARGETS[fn.target]!.api, fn.apiVersion || undefined), TARGETS[fn.target]!.outputType, result.output);
      if (errors.length) throw new Error(`its output does not validate against ${TARGETS[fn.target]!.outputType}: ${errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`);
      record.ok = true;
      return result.output;
    } catch (error) {
      record.ok = false;
      record.error = (error as Error).message;
      log(`devshop: Function ${fn.handle} for ${owner} failed, its operations are ignored: ${record.error}`);
      return null;
    }
  }

  /**
   * Prices a checkout in `store`'s shop: the cart transform, then the active automatic app
   * discounts (by creation), at `now`. Never throws for a Function's failure; `blocked` when the
   * cart transform failed and was created with `blockOnFailure`.
   */
  async function price(store: Store, checkout: FunctionCheckout, now = new Date()): Promise<PricedCheckout & { runs: FunctionRunRecord[]; blocked: boolean }> {
    const owners = functionOwners(store);
    const byId = new Map(functions().map((f) => [f.id, f]));
    const runs: FunctionRunRecord[] = [];
    const context = (lines: ReturnType<typeof pricedFromSource>) => ({
      store, currency: checkout.currency, language: checkout.locale, attributes: checkout.attributes, customerId: checkout.customerId, lines: functionLines(lines),
    });
    let lines = pricedFromSource(checkout.lines);
    // A cart transform created with blockOnFailure stops the checkout when it fails, as on Shopify.
    let blocked = false;

    const transform = owners.cartTransforms()[0];
    const transformFn = transform && byId.get(transform.functionId);
    if (transform && transformFn) {
      const owner = gid("CartTransform", transform.id);
      const record: FunctionRunRecord = { handle: transformFn.handle, owner, ok: false, skipped: [] };
      runs.push(record);
      const schema = loadFunctionSchema("cart_transform", transformFn.apiVersion || undefined);
      const output = await runOne(transformFn, owner, () => buildFunctionInput(schema, transformFn.inputQuery, { ...context(lines), owner: { type: "CartTransform", id: owner } }, inputVariables(store, owner, transformFn.inputVariables)), record);
      if (output) {
        const variantPrice = (variantId: number) => {
          for (const p of store.products.values()) for (const v of p.variants) if (v.id === variantId) return presentmentPrice(v.price, checkout.currency, store.shop!.currency);
          return null;
        };
        const applied = applyCartTransform(lines, output as CartTransformOutput, variantPrice);
        lines = applied.lines;
        record.skipped = applied.skipped;
      } else if (transform.blockOnFailure) {
        blocked = true;
      }
    }

    const applications: DiscountApplication[] = [];
    const stacking = new Map<string, boolean>();
    const active = owners.discounts().filter((d) => new Date(d.startsAt) <= now && (!d.endsAt || new Date(d.endsAt) > now));
    for (const discount of active) {
      const fn = byId.get(discount.functionId);
      if (!fn) continue;
      const owner = gid("DiscountAutomaticNode", discount.id);
      const record: FunctionRunRecord = { handle: fn.handle, owner, ok: false, skipped: [] };
      runs.push(record);
      const schema = loadFunctionSchema("discount", fn.apiVersion || undefined);
      const output = await runOne(fn, owner, () => buildFunctionInput(schema, fn.inputQuery, {
        ...context(lines), owner: { type: "DiscountAutomaticNode", id: owner, discountClasses: discount.discountClasses },
      }, inputVariables(store, owner, fn.inputVariables)), record);
      if (!output) continue;
      // A discount applies only the classes it was created with.
      const operations = (output as DiscountOutput).operations.filter((op) => !op.productDiscountsAdd || discount.discountClasses.includes("PRODUCT"));
      if (operations.length < (output as DiscountOutput).operations.length) record.skipped.push("product discounts from a discount without the PRODUCT class");
      record.skipped.push(...applyDiscount(lines, { id: owner, title: discount.title, combinesWithProductDiscounts: discount.combinesWith.productDiscounts }, { operations }, applications, stacking));
    }
    return { ...totals(lines, applications), runs, blocked };
  }

  return { price, functions };
}

export type FunctionHost = ReturnType<typeof createFunctionHost>;
