// Writes what the storefront and checkout read after every offer change: each product's
// offers metafield, the shop's settings and what the checkout's Functions read (functions.server.ts).
// State-based: every run recomputes everything from the database and writes what differs,
// so a failed run loses nothing; the next run (the job's retry, or the next change) catches up.
import { createHash } from "node:crypto";
import prisma from "~/db.server";
import { beginRun, finishRun } from "~/catalog/sync.server";
import { enqueueJob, type ClaimedJob } from "~/jobs/queue.server";
import { shopAdmin } from "~/shopify/shop-admin.server";
import { loadOfferCatalog } from "~/catalog/offer-catalog.server";
import {
  METAFIELD_NAMESPACE, PRODUCT_OFFERS_KEY, SHOP_SETTINGS_KEY, learningAnchors, learnsFromOrders, productOffers,
} from "~/offers/storefront";
import { syncFunctions } from "~/offers/functions.server";
import { listOffers } from "~/offers/repository.server";
import { learnedFor } from "~/recommend/learned.server";
import { loadSettings, shopCurrencies } from "~/settings/settings.server";
import { AdminApiError, adminQuery, type AdminGraphqlClient } from "~/shopify/admin-client.server";
import { METAFIELDS_DELETE_MUTATION, METAFIELDS_SET_MUTATION, SHOP_ID_QUERY } from "~/shopify/metafields.queries";

interface MetafieldInput { ownerId: string; namespace: string; key: string; type: "json"; value: string }
interface UserError { field: string[] | null; message: string }

const BATCH = 25; // metafieldsSet's limit per call
const digest = (value: string) => createHash("sha256").update(value).digest("base64url");

export async function runOfferSync(shop: string, admin: AdminGraphqlClient, jobId: string | null = null, now = Date.now()): Promise<{ written: number; cleared: number }> {
  const run = await beginRun(shop, "offers", jobId);
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
    await setMetafields(admin, [json(shopId, SHOP_SETTINGS_KEY, { v: 1, ...settings })]);
    const { omitted } = await syncFunctions({ shop, admin, offers, catalog, products, shopCurrency: currencies[0]!, currencies, now });

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

/**
 * The `offers.sync` job. Enqueued (keyed per shop, so a burst of changes makes one sync) in
 * the same transaction as every change that alters what the metafields say: offers, settings,
 * products. A failure is retried with backoff by the job system and shown in the admin.
 */
export async function offerSyncJob(job: ClaimedJob): Promise<void> {
  await runOfferSync(job.shop, await shopAdmin(job.shop), job.id);
}

/** The write that asks for an offer sync, for the transaction that makes the change. */
export const offerSyncWrite = (shop: string) => enqueueJob(shop, "offers.sync", {});
