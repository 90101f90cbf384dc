/**
 * Shopify's library only lets Shopify's admin origins frame the app. EXTRA_FRAME_ANCESTORS
 * (space-separated origins) adds more, for an admin served elsewhere: the local Shopify
 * stand-in in the demo and tests. Unset in production.
 */
export function allowExtraFrameAncestors(headers: Headers, extra: string | undefined): void {
  const origins = extra?.split(/\s+/).filter(Boolean) ?? [];
  const policy = headers.get("Content-Security-Policy");
  if (!origins.length || !policy?.includes("frame-ancestors")) return;
  headers.set(
    "Content-Security-Policy",
    policy.replace(/frame-ancestors ([^;]*);?/, (_match, sources: string) =>
      `frame-ancestors ${sources} ${origins.join(" ")};`,
    ),
  );
}
