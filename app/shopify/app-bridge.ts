// Where the admin pages load App Bridge from: Shopify's CDN, or APP_BRIDGE_URL (the local
// Shopify stand-in's copy in the demo and tests, so no request leaves the machine).
export const SHOPIFY_APP_BRIDGE = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

export function appBridgeUrl(env: Record<string, string | undefined> = process.env): string {
  return env.APP_BRIDGE_URL?.trim() || SHOPIFY_APP_BRIDGE;
}

/**
 * Shopify's library adds `Link: <…cdn.shopify.com…/app-bridge.js>; rel=preload` to every
 * embedded page; with another App Bridge the browser would fetch the CDN's copy for nothing
 * (and, offline, log a failed request on every page). The preload follows the script used.
 */
export function preloadAppBridge(headers: Headers, url: string): void {
  const link = headers.get("Link");
  if (link?.includes(SHOPIFY_APP_BRIDGE) && url !== SHOPIFY_APP_BRIDGE) headers.set("Link", link.replace(SHOPIFY_APP_BRIDGE, url));
}
