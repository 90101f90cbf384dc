import "@shopify/shopify-app-remix/adapters/node";
import {
  ApiVersion,
  AppDistribution,
  shopifyApp,
} from "@shopify/shopify-app-remix/server";
import { InvalidShopError, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma from "./db.server";
import { recordInstall } from "./shop/lifecycle.server";

/** The Admin API version every document in app/shopify/ is validated against. */
export const API_VERSION = ApiVersion.October26;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: see README.md ("Configuration").`);
  return value;
}

const credentials = { apiKey: required("SHOPIFY_API_KEY"), apiSecretKey: required("SHOPIFY_API_SECRET"), apiVersion: API_VERSION };

const shopify = shopifyApp({
  ...credentials,
  scopes: process.env.SCOPES?.split(","),
  appUrl: required("SHOPIFY_APP_URL"),
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(prisma),
  distribution: AppDistribution.AppStore,
  // Webhooks are app-specific subscriptions declared in shopify.app.toml, so Shopify
  // (or the stand-in) registers them; nothing to register at install.
  // Embedded auth by token exchange: Shopify-managed installation, no OAuth redirects.
  // Offline tokens expire after an hour and come with a refresh token, which the session
  // storage keeps (Session.refreshToken, refreshTokenExpires); `unauthenticated.admin(shop)`
  // refreshes within 5 minutes of expiry. Shopify rejects non-expiring tokens of public apps
  // from 2027-01-01. So work that runs later must ask for its client then, not keep one.
  future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
  hooks: {
    // After every new token; on a first install (or a reinstall) the catalog is mirrored and
    // the order history learned, by jobs that take their own Admin client when they run.
    afterAuth: async ({ session }) => {
      await recordInstall(session.shop);
    },
  },
});

export default shopify;

/**
 * Shopify's library on its own, for what needs no request around it: token migration and app
 * proxy signatures. (Webhooks are checked by app/webhooks/receive.server.ts without it.)
 */
const library = shopifyApi({
  ...credentials,
  hostName: new URL(required("SHOPIFY_APP_URL")).host,
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});
/** The app's secret, which signs Shopify's webhooks (app/webhooks/receive.server.ts checks them). */
export const appSecret = credentials.apiSecretKey;
/** A shop's non-expiring offline token exchanged for an expiring pair (app/shop/tokens.server.ts). */
export const migrateToExpiringToken = library.auth.migrateToExpiringToken;
export const apiVersion = API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
/**
 * `authenticate.admin`, with one answer the library leaves as a 500: a correctly signed
 * session token whose `dest` is not a shop domain makes the library throw InvalidShopError
 * (or, for a `dest` that is no URL at all, the URL parser's TypeError). That request is
 * malformed, so it gets a 400 saying so.
 */
const authenticateAdmin = (async (request: Request) => {
  try {
    return await shopify.authenticate.admin(request);
  } catch (error) {
    if (error instanceof InvalidShopError || (error as { code?: string } | null)?.code === "ERR_INVALID_URL") {
      throw new Response("The session token's dest is not a shop domain (https://{shop}.myshopify.com).", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    }
    throw error;
  }
}) as typeof shopify.authenticate.admin;

export const authenticate = { ...shopify.authenticate, admin: authenticateAdmin };
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;

/**
 * The library's own app proxy signature check (`utils.validateHmac`, signator "appProxy":
 * Shopify's signature, a timestamp within 90 seconds, `shop` and `signature` only once),
 * without the offline-session lookup `authenticate.public.appProxy` adds on every request:
 * the storefront's cart offers need no Admin API call, and that lookup was most of their
 * time (tests/bench/results.json, proxy). False for anything unsigned, forged, stale or
 * malformed.
 */
const proxySignatures = library.utils;

/** What Shopify signed into an app proxy request: the shop, and the logged-in customer's id ("" for a guest). */
export interface AppProxySigned {
  shop: string;
  loggedInCustomerId: string;
}

/** The signed parameters of an app proxy request, or null for anything unsigned, forged, stale or malformed. */
export async function verifiedAppProxy(query: URLSearchParams): Promise<AppProxySigned | null> {
  let valid = false;
  try {
    valid = await proxySignatures.validateHmac(query, { signator: "appProxy" });
  } catch {
    // the library throws for a missing signature, a repeated key or a stale timestamp
  }
  if (!valid) return null;
  // Each key once (the library refused repeats of shop and signature): read after the check.
  const signed = Object.fromEntries(query);
  return typeof signed.shop === "string" ? { shop: signed.shop, loggedInCustomerId: signed.logged_in_customer_id ?? "" } : null;
}
