// App proxy forwarding as Shopify does it: https://{shop}/{prefix}/{subpath}/rest is sent to
// the app's proxy URL + /rest, with shop, logged_in_customer_id, path_prefix and timestamp
// appended to the shopper's query and signed (SHOPIFY-FACTS.md, "App proxy").
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseToml } from "smol-toml";

export interface AppProxy {
  /** The app's URL for the proxy; its origin is replaced by the app's (as `shopify app dev` does). */
  url: string;
  prefix: string;
  subpath: string;
}

export function appProxyFromToml(tomlFile: string, appUrl: string): AppProxy | null {
  const toml = parseToml(readFileSync(tomlFile, "utf8")) as { app_proxy?: { url?: string; prefix?: string; subpath?: string } };
  const proxy = toml.app_proxy;
  if (!proxy?.url || !proxy.prefix || !proxy.subpath) return null;
  return { url: new URL(new URL(proxy.url).pathname, appUrl).toString().replace(/\/$/, ""), prefix: proxy.prefix, subpath: proxy.subpath };
}

/**
 * Shopify's signature: every parameter but `signature`, sorted by key, each `key=value`
 * (a repeated key's values joined by commas), concatenated with no separator, HMAC-SHA256
 * with the app's secret, hex.
 */
export function proxySignature(params: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) if (key !== "signature") grouped.set(key, [...(grouped.get(key) ?? []), value]);
  const message = [...grouped.keys()].sort().map((key) => `${key}=${grouped.get(key)!.join(",")}`).join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

/** Forwards a storefront request under the proxy's path; null when the path is not the proxy's. */
export function proxiedPath(proxy: AppProxy, pathname: string): string | null {
  const base = `/${proxy.prefix}/${proxy.subpath}`;
  if (pathname !== base && !pathname.startsWith(`${base}/`)) return null;
  return pathname.slice(base.length) || "/";
}

export async function forwardToApp(req: IncomingMessage, res: ServerResponse, options: { proxy: AppProxy; rest: string; query: URLSearchParams; shop: string; customerId: string | null; secret: string; now?: number }): Promise<void> {
  const { proxy } = options;
  // Appended, as Shopify does: a shopper who sends their own `shop` or `signature` gets a
  // request the app refuses for its duplicated parameters.
  const params = new URLSearchParams(options.query);
  params.append("shop", options.shop);
  params.append("logged_in_customer_id", options.customerId ?? "");
  params.append("path_prefix", `/${proxy.prefix}/${proxy.subpath}`);
  params.append("timestamp", String(Math.floor((options.now ?? Date.now()) / 1000)));
  params.append("signature", proxySignature(params, options.secret));
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const target = `${proxy.url}${options.rest === "/" ? "" : options.rest}?${params}`;
  const answer = await fetch(target, {
    method: req.method, redirect: "manual",
    headers: { "Content-Type": String(req.headers["content-type"] ?? "application/octet-stream"), "User-Agent": String(req.headers["user-agent"] ?? ""), Accept: String(req.headers.accept ?? "*/*") },
    body: req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks),
  });
  const headers: Record<string, string> = { "Content-Type": answer.headers.get("content-type") ?? "text/plain" };
  const cache = answer.headers.get("cache-control");
  if (cache) headers["Cache-Control"] = cache;
  res.writeHead(answer.status, headers);
  res.end(Buffer.from(await answer.arrayBuffer()));
}
