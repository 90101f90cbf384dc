// What the Suggestions page shows, and turning one suggestion into a draft offer. The
// learning is app/recommend's; this adds the catalog's names and picks what to show.
import prisma from "~/db.server";
import { blankOffer } from "~/offers/defaults";
import type { Offer } from "~/offers/model";
import { parseOfferDefinition } from "~/offers/validation";
import { createOffer } from "~/offers/repository.server";
import { allComplements, complementsFor, indexNeighbours, type Complement } from "~/recommend/complements";
import type { CatalogProduct } from "~/recommend/catalog";
import { catalogProducts } from "./catalog.server";
import { bestSellers, similarProducts } from "~/recommend/popular";
import { variantLadders, type VariantLadder } from "~/recommend/upgrades";
import { loadRecommendations, type Recommendations } from "./learned.server";

/** Anchors shown, complements per anchor, ladders and refills shown. */
const ANCHORS = 8;
const COMPLEMENTS = 3;
const LADDERS = 8;
const REFILLS = 8;
const MOVE_UPS = 6;
const BEST_SELLERS = 8;
const SIMILAR = 3;
/** At most this many of one product type per section: eight phones teach less than two phones, a laptop and a razor. */
const PER_TYPE = 2;
/** Fewer orders together is an anecdote, not a suggestion. */
const MIN_ORDERS_TOGETHER = 5;

export interface ComplementView { productId: string; title: string; ordersTogether: number; timesChance: number; confidence: number }
export interface AnchorView { productId: string; title: string; orders: number; complements: ComplementView[] }
export interface LadderView { productId: string; title: string; option: string; steps: { variantId: string; value: string; priceMinor: number }[]; orders: number }
export interface RefillView { productId: string; title: string; medianDays: number; p25Days: number; p75Days: number; repeats: number; customers: number }
export interface MoveUpView { fromId: string; from: string; toId: string; to: string; customers: number; share: number; medianDays: number; priceStep: number }
export interface BestSellerView { productId: string; title: string; orders: number; similar: { productId: string; title: string }[] }

export interface SuggestionsView {
  orders: number;
  builtAt: string;
  updatedAt: string;
  latestOrderAt: string | null;
  currency: string;
  anchors: AnchorView[];
  ladders: LadderView[];
  refills: RefillView[];
  /** Customers who moved on to a dearer product of the same kind: product-to-product ladders. */
  moveUps: MoveUpView[];
  /** Recency-weighted best sellers: what to offer where co-purchases are still thin. */
  bestSellers: BestSellerView[];
}

async function titles(shop: string, ids: string[]): Promise<Map<string, string>> {
  const rows = await prisma.product.findMany({ where: { shop, id: { in: ids } }, select: { id: true, title: true } });
  return new Map(rows.map((r) => [r.id, r.title]));
}

/** The first `limit` items, best first, with at most PER_TYPE of one product type. */
function diverse<T>(items: Iterable<T>, typeOf: (item: T) => string | undefined, limit: number): T[] {
  const perType = new Map<string, number>();
  const kept: T[] = [];
  for (const item of items) {
    if (kept.length === limit) break;
    const type = typeOf(item) || "";
    if ((perType.get(type) ?? 0) >= PER_TYPE) continue;
    perType.set(type, (perType.get(type) ?? 0) + 1);
    kept.push(item);
  }
  return kept;
}

function complementsOf(learned: Recommendations, productId: string) {
  return complementsFor(learned.model, indexNeighbours(learned.model), productId, { limit: COMPLEMENTS, minOrders: MIN_ORDERS_TOGETHER, blend: learned.blend });
}

/**
 * How strongly an item's complements stand out: orders together, weighted by how far above
 * chance (ln of the lift). Best sellers alone would show refills bought with everything; this
 * shows the pairs a bundle is made of (the phone and its case).
 */
function strength(complements: Complement[]): number {
  return complements.reduce((sum, c) => sum + c.ordersTogether * Math.log(Math.max(c.timesChance, 1)), 0);
}

/** The strongest anchors; a pair already shown the other way round (razor, blades) is not repeated. */
function anchorsOf(learned: Recommendations, typeOf: (id: unknown) => string | undefined) {
  const all = allComplements(learned.model, indexNeighbours(learned.model), { limit: COMPLEMENTS, minOrders: MIN_ORDERS_TOGETHER, blend: learned.blend });
  const ranked = [...all].map(([item, complements]) => ({ item, complements, strength: strength(complements) }))
    .filter((a) => a.strength > 0)
    .sort((a, b) => b.strength - a.strength || String(a.item).localeCompare(String(b.item)));
  const shown = new Set<string>();
  const fresh = ranked.filter((anchor) => {
    if (shown.has(`${anchor.complements[0]!.item}|${anchor.item}`)) return false;
    anchor.complements.forEach((c) => shown.add(`${anchor.item}|${c.item}`));
    return true;
  });
  return diverse(fresh, (a) => typeOf(a.item), ANCHORS);
}

/**
 * Rising-price ladders only (a ladder whose top is not dearer sells nothing better), one per
 * product and option (the first colour stands for the rest), ranked by what they could add:
 * the product's orders times the price from the bottom step to the top.
 */
function laddersOf(learned: Recommendations, catalog: CatalogProduct[]): { ladder: VariantLadder; orders: number }[] {
  const typeOf = (id: unknown) => catalog.find((p) => p.id === id)?.productType;
  const orders = new Map(bestSellers(learned.model, { limit: learned.model.items.length }).map((s) => [s.item, s.orders]));
  const seen = new Set<string>();
  const ranked = catalog.flatMap(variantLadders)
    .filter((ladder) => ladder.pricesRise && !seen.has(`${ladder.productId}|${ladder.option}`) && seen.add(`${ladder.productId}|${ladder.option}`))
    .map((ladder) => ({ ladder, orders: orders.get(ladder.productId) ?? 0, spread: ladder.steps.at(-1)!.price - ladder.steps[0]!.price }))
    .sort((a, b) => b.orders * b.spread - a.orders * a.spread);
  return diverse(ranked, (l) => typeOf(l.ladder.productId), LADDERS);
}

export async function suggestionsView(shop: string): Promise<SuggestionsView | null> {
  const learned = await loadRecommendations(shop);
  if (!learned) return null;
  const catalog = await catalogProducts(shop);
  const typeOf = (id: unknown) => catalog.find((p) => p.id === id)?.productType;
  const anchors = anchorsOf(learned, typeOf);
  const ladders = laddersOf(learned, catalog);
  const refills = diverse(learned.timings, (r) => typeOf(r.item), REFILLS);
  const moveUps = diverse([...learned.upgrades].sort((a, b) => b.customers - a.customers || String(a.from).localeCompare(String(b.from))), (u) => typeOf(u.from), MOVE_UPS);
  const popularity = bestSellers(learned.model, { limit: learned.model.items.length });
  const sellers = diverse(popularity, (s) => typeOf(s.item), BEST_SELLERS);
  // Products like each best seller: what to show beside it while its own co-purchases are few.
  const ordersOf = new Map(popularity.map((s) => [s.item, s.orders]));
  const similar = new Map(sellers.map((s) => {
    const product = catalog.find((p) => p.id === s.item);
    return [s.item, product ? similarProducts(product, catalog, { limit: SIMILAR, popularity: ordersOf }).map((x) => x.item) : []];
  }));
  const ids = [
    ...anchors.flatMap((a) => [a.item, ...a.complements.map((c) => c.item)]), ...refills.map((r) => r.item),
    ...moveUps.flatMap((u) => [u.from, u.to]), ...sellers.flatMap((s) => [s.item, ...(similar.get(s.item) ?? [])]),
  ].map(String);
  const names = await titles(shop, ids);
  const title = (id: unknown) => names.get(String(id)) ?? String(id);
  const owner = await prisma.shop.findUnique({ where: { domain: shop }, select: { currency: true } });
  return {
    orders: learned.orders, builtAt: learned.builtAt.toISOString(), updatedAt: learned.updatedAt.toISOString(),
    latestOrderAt: learned.latestOrderAt?.toISOString() ?? null, currency: owner?.currency ?? "USD",
    anchors: anchors.map(({ item, complements }) => ({
      productId: String(item), title: title(item), orders: learned.model.itemOrders[learned.model.ids.get(item)!]!,
      complements: complements.map((c) => ({ productId: String(c.item), title: title(c.item), ordersTogether: c.ordersTogether, timesChance: c.timesChance, confidence: c.confidence })),
    })),
    ladders: ladders.map(({ ladder, orders }) => ({
      productId: String(ladder.productId), title: catalog.find((p) => p.id === ladder.productId)?.title ?? String(ladder.productId), option: ladder.option, orders,
      steps: ladder.steps.map((s) => ({ variantId: String(s.variantId), value: s.value, priceMinor: s.price })),
    })),
    refills: refills.map((r) => ({ productId: String(r.item), title: title(r.item), medianDays: r.medianDays, p25Days: r.p25Days, p75Days: r.p75Days, repeats: r.repeats, customers: r.customers })),
    moveUps: moveUps.map((u) => ({ fromId: String(u.from), from: title(u.from), toId: String(u.to), to: title(u.to), customers: u.customers, share: u.share, medianDays: u.medianDays, priceStep: u.priceStep })),
    bestSellers: sellers.map((s) => ({
      productId: String(s.item), title: title(s.item), orders: s.orders,
      similar: (similar.get(s.item) ?? []).map((id) => ({ productId: String(id), title: title(id) })),
    })),
  };
}

/** The merchant's words for the draft, in their admin language (sent by the page). */
export interface DraftWords { name: string; title: string }

/** Validated as every offer is, so a draft can be opened and saved in the editor as it is. */
async function saveDraft(shop: string, definition: unknown): Promise<Offer | null> {
  const parsed = parseOfferDefinition(definition);
  return parsed.ok ? createOffer(shop, parsed.offer) : null;
}

/** A draft "frequently bought together" bundle: the product and its top complements, 10 % off. */
export async function createLearnedBundle(shop: string, productId: string, words: DraftWords): Promise<Offer | null> {
  const learned = await loadRecommendations(shop);
  const complements = learned ? complementsOf(learned, productId) : [];
  if (!complements.length) return null;
  const blank = blankOffer("bundle");
  return saveDraft(shop, {
    ...blank, name: words.name, content: [{ ...blank.content[0]!, title: words.title }],
    bundle: {
      type: "fbt", anchorProductId: productId, learned: 0, discount: { type: "percentage", basisPoints: 1000 },
      companions: complements.map((c) => ({ productId: String(c.item), variantId: null, quantity: 1 })),
    },
  });
}

/** A draft upgrade ladder from one product to the dearer one its customers moved on to. */
export async function createLearnedMoveUp(shop: string, fromId: string, toId: string, words: DraftWords): Promise<Offer | null> {
  const learned = await loadRecommendations(shop);
  if (!learned?.upgrades.some((u) => String(u.from) === fromId && String(u.to) === toId)) return null;
  const blank = blankOffer("upgrade");
  return saveDraft(shop, {
    ...blank, name: words.name, content: [{ ...blank.content[0]!, title: words.title }],
    rungs: [{ productId: fromId, variantId: null, gain: "" }, { productId: toId, variantId: null, gain: "" }],
  });
}

/** A draft upgrade ladder: the product's variants along one option, cheapest first. */
export async function createLearnedLadder(shop: string, productId: string, option: string, words: DraftWords): Promise<Offer | null> {
  const [product] = await catalogProducts(shop, productId);
  const ladder = product && variantLadders(product).find((l) => l.option === option && l.pricesRise);
  if (!ladder) return null;
  const blank = blankOffer("upgrade");
  return saveDraft(shop, {
    ...blank, name: words.name, content: [{ ...blank.content[0]!, title: words.title }],
    rungs: ladder.steps.slice(0, 6).map((s) => ({ productId, variantId: String(s.variantId), gain: s.value })),
  });
}
