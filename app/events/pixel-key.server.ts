// The pixel key: what the app writes into a shop's web pixel settings so the ingestion endpoint
// knows which installed shop a batch is for. It is an HMAC of the shop's domain under the app's
// secret, so the endpoint checks it without a lookup and nobody can make one for a shop the app
// never connected. It is not a secret: every storefront visitor can read it (docs/SECURITY.md).
import { createHmac, timingSafeEqual } from "node:crypto";

const secret = () => {
  const value = process.env.SHOPIFY_API_SECRET;
  if (!value) throw new Error("SHOPIFY_API_SECRET is not set.");
  return value;
};

export function pixelKey(shop: string): string {
  return createHmac("sha256", secret()).update(`uplift-pixel:${shop}`).digest("base64url").slice(0, 32);
}

export function isPixelKey(shop: string, key: string): boolean {
  const expected = Buffer.from(pixelKey(shop));
  const given = Buffer.from(key);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Where the pixel sends its batches: this app's ingestion route. */
export function ingestUrl(): string {
  return new URL("/pixel/events", process.env.SHOPIFY_APP_URL ?? "http://localhost").toString();
}

/** The settings the pixel's schema declares (extensions/pixel/shopify.extension.toml). */
export function pixelSettings(shop: string) {
  return { shop, key: pixelKey(shop), ingestUrl: ingestUrl() };
}
