// Where each offer kind lives in the admin, and what its pages are called.
import type { OfferKind } from "~/offers/model";

export const KIND_SEGMENTS: Record<OfferKind, string> = { bundle: "bundles", upgrade: "upgrades", funnel: "post-purchase" };
export const KIND_TITLES: Record<OfferKind, string> = { bundle: "nav.bundles", upgrade: "nav.upgrades", funnel: "nav.postPurchase" };

export const kindPath = (kind: OfferKind) => `/app/${KIND_SEGMENTS[kind]}`;

export function kindOfSegment(segment: string | undefined): OfferKind | null {
  const found = Object.entries(KIND_SEGMENTS).find(([, s]) => s === segment);
  return found ? (found[0] as OfferKind) : null;
}
