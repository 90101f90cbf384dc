// Offer imports as durable work: the request stores the file and enqueues the `offers.import`
// job in one transaction, and answers at once; the job checks the whole file in one pass
// (transfer.ts, every problem with its line) and saves every offer or none. The admin follows
// the import by its id. A job cut off part way does it again from the file: nothing was saved
// (the save and the import's success are one transaction), and a finished import is not redone.
import { randomUUID } from "node:crypto";
import prisma, { atomically } from "~/db.server";
import { enqueueJob, type ClaimedJob } from "~/jobs/queue.server";
import type { OfferKind } from "./model";
import { insertOffers } from "./repository.server";
import { parseOfferImport, type ImportProblem } from "./transfer";

export type ImportStatus = "queued" | "checking" | "saving" | "succeeded" | "failed";

export interface ImportView {
  id: string;
  status: ImportStatus;
  /** Offers in the file, once it has been read. */
  total: number | null;
  saved: number;
  problems: ImportProblem[];
}

/** Stores the file and enqueues its import; the id to follow it by. */
export async function startImport(shop: string, kind: OfferKind, file: string): Promise<string> {
  const id = randomUUID();
  await atomically(async (db) => {
    await db.offerImport.create({ data: { id, shop, kind, status: "queued", file } });
    await enqueueJob(shop, "offers.import", { importId: id }, {}, db);
  });
  return id;
}

export async function importView(shop: string, id: string): Promise<ImportView | null> {
  const row = await prisma.offerImport.findFirst({ where: { id, shop } });
  if (!row) return null;
  return { id: row.id, status: row.status as ImportStatus, total: row.total, saved: row.saved, problems: row.problems ? (JSON.parse(row.problems) as ImportProblem[]) : [] };
}

const finished = (status: string) => status === "succeeded" || status === "failed";

export async function offerImportJob(job: ClaimedJob): Promise<void> {
  const { importId } = job.payload as { importId: string };
  const row = await prisma.offerImport.findFirst({ where: { id: importId, shop: job.shop } });
  if (!row || finished(row.status) || row.file === null) return;
  await prisma.offerImport.update({ where: { id: row.id }, data: { status: "checking" } });
  const result = parseOfferImport(row.file, row.kind as OfferKind);
  if (!result.ok) {
    // The merchant's file, not the job, is at fault: the job is done, the import refused.
    await prisma.offerImport.update({
      where: { id: row.id }, data: { status: "failed", problems: JSON.stringify(result.problems), file: null, finishedAt: new Date() },
    });
    return;
  }
  await prisma.offerImport.update({ where: { id: row.id }, data: { status: "saving", total: result.offers.length } });
  await atomically(async (db) => {
    await insertOffers(job.shop, result.offers, db);
    await db.offerImport.update({ where: { id: row.id }, data: { status: "succeeded", saved: result.offers.length, file: null, finishedAt: new Date() } });
  });
}
