// Shops installed before the app asked for expiring offline tokens keep a non-expiring one:
// the library exchanges a token only when there is no valid session, and a session without
// an expiry never runs out. Shopify refuses non-expiring tokens of public apps from
// 2027-01-01, so each is exchanged for an expiring pair by a job, without waiting for the
// merchant to open the app. A job cut off after Shopify answered but before the pair was
// stored retries with the same original token, and Shopify answers the same pair again.
import prisma, { atomically } from "~/db.server";
import { enqueueJob, type ClaimedJob } from "~/jobs/queue.server";
import { migrateToExpiringToken, sessionStorage } from "~/shopify.server";

/** Enqueues the exchange for every shop whose offline session has no expiry; how many. */
export async function enqueueTokenMigrations(): Promise<number> {
  const legacy = await prisma.session.findMany({ where: { isOnline: false, expires: null }, select: { shop: true } });
  const shops = [...new Set(legacy.map((s) => s.shop))];
  if (shops.length) await atomically(async (db) => {
    for (const shop of shops) await enqueueJob(shop, "tokens.migrate", {}, {}, db);
  });
  return shops.length;
}

export async function tokenMigrationJob(job: ClaimedJob): Promise<void> {
  const session = (await sessionStorage!.findSessionsByShop(job.shop)).find((s) => !s.isOnline);
  // Uninstalled since, or already expiring (exchanged, or a new install): nothing to do.
  if (!session || session.expires) return;
  const { session: expiring } = await migrateToExpiringToken({ shop: job.shop, nonExpiringOfflineAccessToken: session.accessToken! });
  await sessionStorage!.storeSession(expiring);
}
