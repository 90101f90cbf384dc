// The server side of the three offer pages (bundles, upgrades, post-purchase), written once
// for every kind: each route file passes its kind. Loaders and actions stay thin:
// authenticate, parse, call the repository, ask for a metafield sync, answer.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "~/db.server";
import { latestSyncRun, type RunStatus } from "~/catalog/sync.server";
import { loadOfferCatalog } from "~/catalog/offer-catalog.server";
import { blankOffer } from "~/offers/defaults";
import { funnelSteps, offeredProductIds, type Offer, type OfferKind } from "~/offers/model";
import { effectiveStatus } from "~/offers/status";
import { parseOfferDefinition } from "~/offers/validation";
import { MAX_IMPORT_BYTES, tooLarge } from "~/offers/transfer";
import { importView, startImport } from "~/offers/imports.server";
import {
  createOffer, deleteOffers, duplicateOffer, getOffer, listOffers, offerIdsOfKind, setOfferStatus, updateOffer,
} from "~/offers/repository.server";
import { shopCurrencies, shopTimezone } from "~/settings/settings.server";
import { authenticate } from "~/shopify.server";
import { enqueue } from "~/jobs/queue.server";

export interface OfferRow {
  id: string;
  name: string;
  status: ReturnType<typeof effectiveStatus>;
  /** Translation key of the offer's shape, and a count for it. */
  shape: string;
  count: number;
  priority: number;
  startsAt: number | null;
  endsAt: number | null;
  createdAt: number;
}

export interface SyncState {
  status: RunStatus | null;
  error: string | null;
  /** A translation key and its count ("offers.sync.tooManyBundles|3"), when a sync could not write everything. */
  warning: string | null;
  finishedAt: string | null;
}

function shapeOf(offer: Offer): { shape: string; count: number } {
  switch (offer.kind) {
    case "bundle": {
      const b = offer.bundle;
      if (b.type === "gift") {
        // What earns the gift: a minimum order, trigger products (how many), or either.
        const count = b.triggerProductIds.length;
        return { shape: count ? (b.minSubtotal ? "offers.bundleType.gift_either" : "offers.bundleType.gift_triggers") : "offers.bundleType.gift", count };
      }
      const count = b.type === "fixed" ? b.items.length : b.type === "fbt" ? b.companions.length + b.learned + 1 : b.type === "mix_match" ? b.minItems : b.tiers.length;
      return { shape: `offers.bundleType.${b.type}`, count };
    }
    case "upgrade":
      return offer.rungs.length ? { shape: "offers.shape.rungs", count: offer.rungs.length } : { shape: "offers.shape.learnedLadder", count: 0 };
    case "funnel":
      return { shape: "offers.shape.steps", count: funnelSteps(offer.root).length };
  }
}

async function syncState(shop: string): Promise<SyncState> {
  const run = await latestSyncRun(shop, "offers");
  return { status: run?.status ?? null, error: run?.error ?? null, warning: run?.warning ?? null, finishedAt: run?.finishedAt?.toISOString() ?? null };
}

const notFound = () => new Response("Not found", { status: 404 });

/** An import's progress and outcome, for the page that started it. */
export async function offerImportLoader({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const view = await importView(session.shop, params.id ?? "");
  return view ? Response.json(view) : notFound();
}

export function offerIndexLoader(kind: OfferKind) {
  return async ({ request }: LoaderFunctionArgs) => {
    const { session } = await authenticate.admin(request);
    const now = Date.now();
    const rows: OfferRow[] = (await listOffers(session.shop, kind)).map((o) => ({
      id: o.id, name: o.name, status: effectiveStatus(o.status, o.schedule, now), ...shapeOf(o), priority: o.priority,
      startsAt: o.schedule.startsAt, endsAt: o.schedule.endsAt, createdAt: o.createdAt,
    }));
    return Response.json({ kind, rows, timezone: await shopTimezone(session.shop), sync: await syncState(session.shop) });
  };
}

/**
 * At most this many offers in one bulk action, as many as one import brings: the ids go into
 * one query, and SQLite takes at most 999 parameters (40,000 ids were a 500).
 */
export const MAX_BULK_IDS = 500;
const ids = z.array(z.string().min(1).max(200)).min(1);
const indexIntent = z.discriminatedUnion("intent", [
  z.object({ intent: z.enum(["activate", "pause", "delete", "duplicate"]), ids }),
  z.object({ intent: z.literal("import"), file: z.string() }),
  z.object({ intent: z.literal("retrySync") }),
]);

/** Answers with what happened, so the page can say it in the merchant's language. */
export function offerIndexAction(kind: OfferKind) {
  return async ({ request }: ActionFunctionArgs) => {
    const { session } = await authenticate.admin(request);
    const shop = session.shop;
    // An import file is the largest thing this form carries: a body far past its limit is refused unread.
    if (Number(request.headers.get("content-length") ?? 0) > MAX_IMPORT_BYTES * 1.1) return Response.json(importTooLarge(), { status: 413 });
    const form = await request.formData();
    const selected = form.getAll("ids");
    if (selected.length > MAX_BULK_IDS) {
      return Response.json({ ok: false, message: "offers.errors.tooManySelected", problems: [{ line: 0, path: "", message: "offers.errors.tooManySelected", detail: String(MAX_BULK_IDS) }] }, { status: 400 });
    }
    const parsed = indexIntent.safeParse({ intent: form.get("intent"), ids: selected.map(String), file: form.get("file") ?? undefined });
    if (!parsed.success) return Response.json({ ok: false, message: "offers.errors.badRequest" }, { status: 400 });
    const input = parsed.data;
    const mine = input.intent === "import" || input.intent === "retrySync" ? [] : await offerIdsOfKind(shop, kind, input.ids);
    let count = 0;
    switch (input.intent) {
      case "activate":
      case "pause":
        count = await setOfferStatus(shop, mine, input.intent === "activate" ? "active" : "paused");
        break;
      case "delete":
        count = await deleteOffers(shop, mine);
        break;
      case "duplicate":
        for (const id of mine) if (await duplicateOffer(shop, id, (name) => `${name} (copy)`.slice(0, 120))) count++;
        break;
      case "import": {
        // Checked and saved by a job (imports.server.ts); the page follows it by its id.
        if (tooLarge(input.file)) return Response.json(importTooLarge(), { status: 413 });
        const importId = await startImport(shop, kind, input.file);
        return Response.json({ ok: true, intent: "import", importId, count: 0, sync: await syncState(shop) }, { status: 202 });
      }
      case "retrySync":
        await enqueue(shop, "offers.sync", {});
        break;
    }
    return Response.json({ ok: true, intent: input.intent, count, sync: await syncState(shop) });
  };
}

const importTooLarge = () => ({
  ok: false, message: "offers.import.failed", problems: [{ line: 1, path: "", message: "offers.import.tooLarge", detail: `${MAX_IMPORT_BYTES / 1_000_000} MB` }],
});

export function offerEditorLoader(kind: OfferKind) {
  return async ({ request, params }: LoaderFunctionArgs) => {
    const { session } = await authenticate.admin(request);
    const shop = session.shop;
    const offer = params.id === "new" ? null : await getOffer(shop, params.id ?? "");
    if (params.id !== "new" && (!offer || offer.kind !== kind)) throw notFound();
    const definition = offer ? (({ id: _id, createdAt: _createdAt, ...rest }) => rest)(offer) : blankOffer(kind);
    return Response.json({
      id: offer?.id ?? null,
      definition,
      ...(await pickerContext(shop, offer)),
      currencies: await shopCurrencies(shop),
      timezone: await shopTimezone(shop),
      sync: await syncState(shop),
    });
  };
}

/** The catalog entries an offer refers to, for its pickers' labels and its price summary. */
async function pickerContext(shop: string, offer: Offer | null) {
  if (!offer) return { products: [], collections: [] };
  const wanted = new Set([...offeredProductIds(offer), ...offer.targeting.products.productIds]);
  const { products } = await loadOfferCatalog(shop, [...wanted]);
  const collectionIds = [...offer.targeting.products.collectionIds, ...(offer.kind === "bundle" && offer.bundle.type === "mix_match" ? offer.bundle.collectionIds : [])];
  const collections = await prisma.collection.findMany({ where: { shop, id: { in: collectionIds } }, select: { id: true, title: true } });
  return { products, collections };
}

const editorIntent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save"), definition: z.string() }),
  z.object({ intent: z.literal("delete") }),
]);

function echo(input: unknown): { submitted?: unknown } {
  try {
    JSON.stringify(input);
    return { submitted: input };
  } catch {
    return {};
  }
}

export function offerEditorAction(kind: OfferKind) {
  return async ({ request, params }: ActionFunctionArgs) => {
    const { session } = await authenticate.admin(request);
    const shop = session.shop;
    const form = await request.formData();
    const parsed = editorIntent.safeParse({ intent: form.get("intent"), definition: form.get("definition") ?? undefined });
    if (!parsed.success) return Response.json({ ok: false, errors: { "": "offers.errors.badRequest" } }, { status: 400 });
    const isNew = params.id === "new";
    if (!isNew && !(await getOffer(shop, params.id ?? ""))) throw notFound();
    if (parsed.data.intent === "delete") {
      if (!isNew) await deleteOffers(shop, [params.id!]);
      return Response.json({ ok: true, deleted: true });
    }
    let input: unknown;
    try {
      input = JSON.parse(parsed.data.definition);
    } catch {
      return Response.json({ ok: false, errors: { "": "offers.errors.badRequest" } }, { status: 400 });
    }
    const result = parseOfferDefinition(input);
    // What was sent comes back with its errors: a page that lost its state re-renders the edits
    // (not a definition nested too deep to be written back, which only a forged request sends).
    if (!result.ok) return Response.json({ ok: false, errors: result.errors, ...echo(input) }, { status: 400 });
    if (result.offer.kind !== kind) return Response.json({ ok: false, errors: { kind: "offers.errors.badRequest" } }, { status: 400 });
    const saved = isNew ? await createOffer(shop, result.offer) : await updateOffer(shop, params.id!, result.offer);
    if (!saved) throw notFound();
    return Response.json({ ok: true, id: saved.id, sync: await syncState(shop) });
  };
}
