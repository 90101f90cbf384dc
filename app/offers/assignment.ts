// Stable, stateless assignment of shoppers to buckets: the same shopper always lands in the
// same A/B variant and the same side of the holdout, on every surface, with nothing stored
// per shopper. Only the split (the weights) is stored, with the offer.
import type { ContentVariant } from "./model.ts";

/** FNV-1a, 32 bit: fast, well spread for short keys, and identical in every runtime. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** 0..9999, independent per salt. */
export function bucket(shopperKey: string, salt: string): number {
  return hash32(`${salt}:${shopperKey}`) % 10_000;
}

/** Shoppers in the holdout never see an offer: they are the baseline that measures lift. */
export function inHoldout(shopperKey: string, holdoutBasisPoints: number): boolean {
  return bucket(shopperKey, "holdout") < holdoutBasisPoints;
}

/** The content variant this shopper sees; weights are percentages summing to 100. */
export function assignVariant(offerId: string, shopperKey: string, variants: ContentVariant[]): ContentVariant {
  if (variants.length === 1) return variants[0]!;
  const point = bucket(shopperKey, `offer:${offerId}`);
  let edge = 0;
  for (const variant of variants) {
    edge += variant.weight * 100;
    if (point < edge) return variant;
  }
  return variants[variants.length - 1]!;
}
