// Offers in the database. Every query names the shop: an offer of another shop is simply
// not found. Definitions are validated on the way in (validation.ts) and stored as JSON
// beside the columns the admin filters and sorts on. Every write enqueues the shop's offer
// sync (sync.server.ts) in its own transaction, so no change can miss the storefront.
import { randomUUID } from "node:crypto";
import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import type { Offer, OfferDefinition, OfferKind, StoredStatus } from "~/offers/model";
import { parseOfferDefinition } from "~/offers/validation";
import { enqueueJob } from "~/jobs/queue.server";

/** The write that brings the metafields up to date after a change of the shop's offers. */
const syncWrite = (shop: string) => enqueueJob(shop, "offers.sync", {});

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
  const [row] = await prisma.$transaction([prisma.offer.create({ data: { shop, id: randomUUID(), ...columns(definition) } }), syncWrite(shop)]);
  return toOffer(row);
}

/** null when the shop has no such offer (the route answers 404). */
export async function updateOffer(shop: string, id: string, definition: OfferDefinition): Promise<Offer | null> {
  const [{ count }] = await prisma.$transaction([prisma.offer.updateMany({ where: { shop, id, kind: definition.kind }, data: columns(definition) }), syncWrite(shop)]);
  return count ? getOffer(shop, id) : null;
}

export async function setOfferStatus(shop: string, ids: string[], status: StoredStatus): Promise<number> {
  const offers = (await prisma.offer.findMany({ where: { shop, id: { in: ids } } })).map(toOffer);
  await prisma.$transaction([
    ...offers.map(({ id, createdAt: _createdAt, ...definition }) =>
      prisma.offer.update({ where: { shop_id: { shop, id } }, data: columns({ ...definition, status } as OfferDefinition) })),
    syncWrite(shop),
  ]);
  return offers.length;
}

export async function deleteOffers(shop: string, ids: string[]): Promise<number> {
  const [{ count }] = await prisma.$transaction([prisma.offer.deleteMany({ where: { shop, id: { in: ids } } }), syncWrite(shop)]);
  return count;
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

/** All or nothing: one transaction. */
export async function importOffers(shop: string, definitions: OfferDefinition[]): Promise<number> {
  await prisma.$transaction([...definitions.map((definition) => prisma.offer.create({ data: { shop, id: randomUUID(), ...columns(definition) } })), syncWrite(shop)]);
  return definitions.length;
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
