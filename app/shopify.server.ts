import "@shopify/shopify-app-remix/adapters/node";
import {
  ApiVersion,
  AppDistribution,
  shopifyApp,
} from "@shopify/shopify-app-remix/server";
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

const shopify = shopifyApp({
  apiKey: required("SHOPIFY_API_KEY"),
  apiSecretKey: required("SHOPIFY_API_SECRET"),
  apiVersion: API_VERSION,
  scopes: process.env.SCOPES?.split(","),
  appUrl: required("SHOPIFY_APP_URL"),
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(prisma),
  distribution: AppDistribution.AppStore,
  // Webhooks are app-specific subscriptions declared in shopify.app.toml, so Shopify
  // (or the stand-in) registers them; nothing to register at install.
  // Embedded auth by token exchange: Shopify-managed installation, no OAuth redirects.
  future: { unstable_newEmbeddedAuthStrategy: true },
  hooks: {
    // After every new token; on a first install (or a reinstall) the catalog is mirrored and
    // the order history learned, by jobs that take their own Admin client when they run.
    afterAuth: async ({ session }) => {
      await recordInstall(session.shop);
    },
  },
});

export default shopify;
export const apiVersion = API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
