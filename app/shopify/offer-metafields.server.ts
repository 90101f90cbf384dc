// Writes what the storefront and checkout read after every offer change: each product's
// offers metafield, the shop's settings and the bundle prices for the discount Function.
// State-based: every run recomputes everything from the database and writes what differs,
// so a failed run loses nothing; the next run (a retry, or the next change) catches up.
import { createHash } from "node:crypto";
import prisma from "~/db.server";
import { beginRun, finishRun, latestSyncRun } from "~/catalog/sync.server";
import { loadOfferCatalog } from "~/catalog/offer-catalog.server";
import {
  BUNDLE_PRICING_KEY, METAFIELD_NAMESPACE, PRODUCT_OFFERS_KEY, SHOP_SETTINGS_KEY, bundlePricing, fitFunctionConfig, learningAnchors, learnsFromOrders, productOffers,
} from "~/offers/storefront";
import { listOffers } from "~/repository/offers.server";
import { learnedFor } from "~/learning/recommendations.server";
import { loadSettings, shopCurrencies } from "~/settings/settings.server";
import { AdminApiError, adminQuery, type AdminGraphqlClient } from "./admin-client.server";
import { METAFIELDS_DELETE_MUTATION, METAFIELDS_SET_MUTATION, SHOP_ID_QUERY } from "./metafields.queries";

interface MetafieldInput { ownerId: string; namespace: string; key: string; type: "json"; value: string }
interface UserError { field: string[] | null; message: string }

const BATCH = 25; // metafieldsSet's limit per call
const digest = (value: string) => createHash("sha256").update(value).digest("base64url");

/** A run left "running" this long was cut off by a restart: free the way for a new one. */
const STALE_RUN_MS = 15 * 60_000;

export async function runOfferSync(shop: string, admin: AdminGraphqlClient, now = Date.now()): Promise<{ written: number; cleared: number }> {
  await prisma.syncRun.updateMany({
    where: { shop, kind: "offers", status: "running", startedAt: { lt: new Date(now - STALE_RUN_MS) } },
    data: { status: "failed", error: "Interrupted by a restart", finishedAt: new Date(now) },
  });
  const run = await beginRun(shop, "offers");
  if (!run) throw new OfferSyncBusy();
  try {
    const offers = await listOffers(shop);
    // The learned model can be large: read it only when an offer asks for what it learned.
    const learned = learnsFromOrders(offers) ? await learnedFor(shop, learningAnchors(offers)) : {};
    const [{ catalog, products }, currencies, settings] = await Promise.all([
      loadOfferCatalog(shop, undefined, learned), shopCurrencies(shop), loadSettings(shop),
    ]);
    const wanted = productOffers(offers, catalog, products.map((p) => p.id), currencies, now);
    const known = new Map((await prisma.offerMetafield.findMany({ where: { shop } })).map((r) => [r.productId, r.digest]));
    const writes = [...wanted].map(([productId, payload]) => ({ productId, value: JSON.stringify(payload) })).filter((w) => known.get(w.productId) !== digest(w.value));
    const clears = [...known.keys()].filter((productId) => !wanted.has(productId));
    await prisma.syncRun.update({ where: { id: run.id }, data: { total: writes.length + clears.length + 1 } });

    const { shop: { id: shopId } } = await adminQuery<{ shop: { id: string } }>(admin, SHOP_ID_QUERY);
    const json = (ownerId: string, key: string, value: unknown): MetafieldInput => ({ ownerId, namespace: METAFIELD_NAMESPACE, key, type: "json", value: typeof value === "string" ? value : JSON.stringify(value) });
    const { pricing, omitted } = fitFunctionConfig(bundlePricing(offers, catalog));
    await setMetafields(admin, [
      json(shopId, SHOP_SETTINGS_KEY, { v: 1, ...settings }),
      json(shopId, BUNDLE_PRICING_KEY, pricing),
    ]);

    let done = 1;
    for (let i = 0; i < writes.length; i += BATCH) {
      const batch = writes.slice(i, i + BATCH);
      await setMetafields(admin, batch.map((w) => json(w.productId, PRODUCT_OFFERS_KEY, w.value)));
      await prisma.$transaction(batch.map((w) => prisma.offerMetafield.upsert({
        where: { shop_productId: { shop, productId: w.productId } },
        create: { shop, productId: w.productId, digest: digest(w.value) },
        update: { digest: digest(w.value), syncedAt: new Date() },
      })));
      await prisma.syncRun.update({ where: { id: run.id }, data: { done: (done += batch.length) } });
    }
    for (let i = 0; i < clears.length; i += BATCH) {
      const batch = clears.slice(i, i + BATCH);
      const result = await adminQuery<{ metafieldsDelete: { userErrors: UserError[] } }>(admin, METAFIELDS_DELETE_MUTATION, {
        metafields: batch.map((ownerId) => ({ ownerId, namespace: METAFIELD_NAMESPACE, key: PRODUCT_OFFERS_KEY })),
      });
      assertNoUserErrors(result.metafieldsDelete.userErrors);
      await prisma.offerMetafield.deleteMany({ where: { shop, productId: { in: batch } } });
      await prisma.syncRun.update({ where: { id: run.id }, data: { done: (done += batch.length) } });
    }
    await finishRun(run.id, { warning: omitted.length ? `offers.sync.tooManyBundles|${omitted.length}` : null });
    return { written: writes.length, cleared: clears.length };
  } catch (error) {
    await finishRun(run.id, { error });
    throw error;
  }
}

async function setMetafields(admin: AdminGraphqlClient, metafields: MetafieldInput[]): Promise<void> {
  const result = await adminQuery<{ metafieldsSet: { userErrors: UserError[] } }>(admin, METAFIELDS_SET_MUTATION, { metafields });
  assertNoUserErrors(result.metafieldsSet.userErrors);
}

function assertNoUserErrors(errors: UserError[]): void {
  if (errors.length) throw new AdminApiError(`Shopify refused the metafields: ${errors.map((e) => e.message).join("; ")}`, errors);
}

/** Another sync of this shop is running; it will be followed by the one asked for. */
export class OfferSyncBusy extends Error {
  override name = "OfferSyncBusy";
}

// One sync per shop at a time, in this process: a change made while a sync runs is picked
// up by one more run right after it, never dropped.
const queues = new Map<string, { running: Promise<void>; again: boolean }>();
const RETRY_DELAYS_MS = [2_000, 10_000, 60_000, 300_000];

/**
 * Brings Shopify up to date with the shop's offers. Resolves when the sync has run (or
 * failed: the failure is recorded for the admin and retried in the background).
 */
export function requestOfferSync(shop: string, admin: AdminGraphqlClient): Promise<void> {
  const queued = queues.get(shop);
  if (queued) {
    queued.again = true;
    return queued.running;
  }
  const entry = { running: Promise.resolve(), again: false };
  entry.running = (async () => {
    do {
      entry.again = false;
      await attempt(shop, admin, 0);
    } while (entry.again);
    queues.delete(shop);
  })();
  queues.set(shop, entry);
  return entry.running;
}

async function attempt(shop: string, admin: AdminGraphqlClient, retry: number): Promise<void> {
  try {
    await runOfferSync(shop, admin);
  } catch (error) {
    if (error instanceof Response) return; // the session is gone (uninstalled): nothing to write to
    const delay = RETRY_DELAYS_MS[retry];
    if (delay === undefined) return; // the admin shows the failure and a retry button
    setTimeout(() => void retryLater(shop, admin, retry + 1), delay).unref();
  }
}

async function retryLater(shop: string, admin: AdminGraphqlClient, retry: number): Promise<void> {
  const latest = await latestSyncRun(shop, "offers");
  if (latest?.status === "failed") await attempt(shop, admin, retry);
}
