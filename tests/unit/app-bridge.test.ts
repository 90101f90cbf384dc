import { describe, expect, it } from "vitest";
import { appBridgeUrl, preloadAppBridge, SHOPIFY_APP_BRIDGE } from "~/shopify/app-bridge";

describe("where App Bridge comes from", () => {
  it("is Shopify's CDN unless APP_BRIDGE_URL names another copy", () => {
    expect(appBridgeUrl({})).toBe(SHOPIFY_APP_BRIDGE);
    expect(appBridgeUrl({ APP_BRIDGE_URL: " http://127.0.0.1:8180/cdn/shopifycloud/app-bridge.js " })).toBe("http://127.0.0.1:8180/cdn/shopifycloud/app-bridge.js");
  });

  it("points the library's preload header at the copy the page loads", () => {
    const local = "http://127.0.0.1:8180/cdn/shopifycloud/app-bridge.js";
    const headers = new Headers({ Link: `<${SHOPIFY_APP_BRIDGE}>; rel="preload"; as="script";` });
    preloadAppBridge(headers, local);
    expect(headers.get("Link")).toBe(`<${local}>; rel="preload"; as="script";`);
    const shopify = new Headers({ Link: `<${SHOPIFY_APP_BRIDGE}>; rel="preload"; as="script";` });
    preloadAppBridge(shopify, SHOPIFY_APP_BRIDGE);
    expect(shopify.get("Link")).toBe(`<${SHOPIFY_APP_BRIDGE}>; rel="preload"; as="script";`);
    const none = new Headers();
    preloadAppBridge(none, local);
    expect(none.get("Link")).toBeNull();
  });
});
