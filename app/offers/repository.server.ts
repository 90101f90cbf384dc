// Offers in the database. Every query names the shop: an offer of another shop is simply
// not found. Definitions are validated on the way in (validation.ts) and stored as JSON
// beside the columns the admin filters and sorts on. Every write enqueues the shop's offer
// sync (sync.server.ts) in its own transaction, so no change can miss the storefront.
import { randomUUID } from "node:crypto";
import type { Prisma } from "@prisma/client";
import prisma, { afterCommit, atomically, type Db } from "~/db.server";
import type { Offer, OfferDefinition, OfferKind, StoredStatus } from "~/offers/model";
import { parseOfferDefinition } from "~/offers/validation";
import { enqueueJob } from "~/jobs/queue.server";

/** Asks, in the change's transaction, for the metafields to catch up with the shop's offers. */
/** Changes to each shop's offers this instance committed: what it cached before one is stale. */
const changes = new Map<string, number>();
export const offerChanges = (shop: string): number => changes.get(shop) ?? 0;

/** Every change asks for an offer sync, and counts once committed. */
const syncAfter = (shop: string, db: Db) => {
  afterCommit(db, () => changes.set(shop, offerChanges(shop) + 1));
  return enqueueJob(shop, "offers.sync", {}, {}, db);
};

type Row = Prisma.OfferGetPayload<object>;

function toOffer(row: Row): Offer {
  const parsed = parseOfferDefinition({ ...JSON.parse(row.definition), status: row.status });
  // Only validated definitions are written, so this is a corrupted row: say which.
  if (!parsed.ok) throw new Error(`Offer ${row.id} of ${row.shop} is not a valid offer: ${JSON.stringify(parsed.errors)}`);
  return { ...parsed.offer, id: row.id, createdAt: row.createdAt.getTime() };
}

function columns(definition: OfferDefinition) {
  return {
    kind: definition.kind, name: definition.name, status: definition.status, priority: definition.priority,
    startsAt: definition.schedule.startsAt === null ? null : new Date(definition.schedule.startsAt),
    endsAt: definition.schedule.endsAt === null ? null : new Date(definition.schedule.endsAt),
    definition: JSON.stringify(definition),
  };
}

export async function listOffers(shop: string, kind?: OfferKind): Promise<Offer[]> {
  const rows = await prisma.offer.findMany({ where: { shop, ...(kind ? { kind } : {}) }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map(toOffer);
}

export async function getOffer(shop: string, id: string): Promise<Offer | null> {
  const row = await prisma.offer.findUnique({ where: { shop_id: { shop, id } } });
  return row ? toOffer(row) : null;
}

export async function createOffer(shop: string, definition: OfferDefinition): Promise<Offer> {
  return toOffer(await atomically(async (db) => {
    const row = await db.offer.create({ data: { shop, id: randomUUID(), ...columns(definition) } });
    await syncAfter(shop, db);
    return row;
  }));
}

/** null when the shop has no such offer (the route answers 404). */
export async function updateOffer(shop: string, id: string, definition: OfferDefinition): Promise<Offer | null> {
  const count = await atomically(async (db) => {
    const { count } = await db.offer.updateMany({ where: { shop, id, kind: definition.kind }, data: columns(definition) });
    await syncAfter(shop, db);
    return count;
  });
  return count ? getOffer(shop, id) : null;
}

export async function setOfferStatus(shop: string, ids: string[], status: StoredStatus): Promise<number> {
  const offers = (await prisma.offer.findMany({ where: { shop, id: { in: ids } } })).map(toOffer);
  await atomically(async (db) => {
    for (const { id, createdAt: _createdAt, ...definition } of offers) {
      await db.offer.update({ where: { shop_id: { shop, id } }, data: columns({ ...definition, status } as OfferDefinition) });
    }
    await syncAfter(shop, db);
  });
  return offers.length;
}

export async function deleteOffers(shop: string, ids: string[]): Promise<number> {
  return atomically(async (db) => {
    const { count } = await db.offer.deleteMany({ where: { shop, id: { in: ids } } });
    await syncAfter(shop, db);
    return count;
  });
}

/** A copy to work on: a draft, so it goes live only when the merchant says so. */
export async function duplicateOffer(shop: string, id: string, copyName: (name: string) => string): Promise<Offer | null> {
  const offer = await getOffer(shop, id);
  if (!offer) return null;
  const { id: _id, createdAt: _createdAt, ...definition } = offer;
  return createOffer(shop, { ...definition, name: copyName(definition.name), status: "draft" } as OfferDefinition);
}

/** Which of these ids are the shop's offers of this kind (no definition is read). */
export async function offerIdsOfKind(shop: string, kind: OfferKind, ids: string[]): Promise<string[]> {
  return (await prisma.offer.findMany({ where: { shop, kind, id: { in: ids } }, select: { id: true } })).map((o) => o.id);
}

/** Saves imported offers, in the caller's transaction: all of them or none (imports.server.ts). */
export async function insertOffers(shop: string, definitions: OfferDefinition[], db: Db): Promise<void> {
  await db.offer.createMany({ data: definitions.map((definition) => ({ shop, id: randomUUID(), ...columns(definition) })) });
  await syncAfter(shop, db);
}

/** How many offers of each kind the shop has, and how many of them the merchant set active. */
export async function offerCounts(shop: string): Promise<Record<OfferKind, { total: number; active: number }>> {
  const groups = await prisma.offer.groupBy({ by: ["kind", "status"], where: { shop }, _count: { _all: true } });
  const counts: Record<OfferKind, { total: number; active: number }> = { bundle: { total: 0, active: 0 }, upgrade: { total: 0, active: 0 }, funnel: { total: 0, active: 0 } };
  for (const group of groups) {
    const count = counts[group.kind as OfferKind];
    if (!count) continue;
    count.total += group._count._all;
    if (group.status === "active") count.active += group._count._all;
  }
  return counts;
}
