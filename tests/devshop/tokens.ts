// Access tokens as Shopify issues them at /admin/oauth/access_token: token exchange (an App
// Bridge session token for an offline or online token), expiring offline tokens that last an
// hour with a refresh token, and the refresh grant that rotates the refresh token.
// (shopify.dev: "About offline access tokens", "Migrate to expiring offline access tokens",
// changelog "More resilient refreshes for expiring offline access tokens".)
import { randomBytes } from "node:crypto";
import { jwtVerify } from "jose";
import type { Store } from "./store.ts";

/** A lost migration answer can be recovered by retrying with the original token this long. */
const MIGRATION_RETRY_MS = 7 * 24 * 3_600_000;
/** An expiring offline access token lasts an hour. */
export const ACCESS_TOKEN_TTL_S = 3600;
/** Its refresh token lasts 90 days. */
export const REFRESH_TOKEN_TTL_S = 90 * 86_400;

/**
 * The stand-in's clock: wall time plus an offset that `POST /devshop/clock` advances, so a test
 * can have an hour pass for Shopify. It reads wall time from `performance`, not `Date`: a test
 * that fakes the app's `Date` in the same process moves the app's clock, not this one, as the
 * app and Shopify are separate machines with clocks of their own.
 */
export interface Clock {
  now(): number;
  advance(ms: number): void;
  offsetMs(): number;
}

export function createClock(): Clock {
  let offset = 0;
  return {
    now: () => Math.round(performance.timeOrigin + performance.now()) + offset,
    advance: (ms) => { offset += ms; },
    offsetMs: () => offset,
  };
}

export interface TokenRequestResult { status: number; body: Record<string, unknown> }

interface OfflineToken {
  shop: string;
  access_token: string;
  expires_at: number | null;
  refresh_token: string | null;
  refresh_expires_at: number | null;
  /** The refresh token that minted this pair: retrying it answers the same pair until `refresh_token` is used. */
  previous_refresh_token: string | null;
}

const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
const ONLINE = "urn:shopify:params:oauth:token-type:online-access-token";
const OFFLINE = "urn:shopify:params:oauth:token-type:offline-access-token";

/**
 * Tokens live in the stand-in's platform store (the primary shop's file), beside the
 * installations they belong to. `offline_tokens` is the shop's current pair (the refresh
 * chain); `issued_tokens` every access token handed out, each valid until it expires or the
 * app is uninstalled: an embedded admin's concurrent requests each exchange a token, and a
 * later exchange must not break the client an earlier one is still using.
 * `installations.access_token` mirrors the current token.
 */
export function createTokenService(options: { store: Store; clock: Clock; apiKey: string; apiSecret: string; scopes: () => string; isShop: (shop: string) => boolean }) {
  const { store, clock } = options;
  store.db.exec(`CREATE TABLE IF NOT EXISTS offline_tokens (shop TEXT PRIMARY KEY, access_token TEXT NOT NULL, expires_at INTEGER, refresh_token TEXT,
    refresh_expires_at INTEGER, previous_refresh_token TEXT);
    CREATE TABLE IF NOT EXISTS issued_tokens (access_token TEXT PRIMARY KEY, shop TEXT NOT NULL, expires_at INTEGER);
    CREATE TABLE IF NOT EXISTS token_migrations (original_token TEXT PRIMARY KEY, shop TEXT NOT NULL, access_token TEXT NOT NULL, migrated_at INTEGER NOT NULL)`);

  const activeInstallation = (shop: string) =>
    store.db.prepare("SELECT access_token FROM installations WHERE shop = ? AND uninstalled_at IS NULL").get(shop) as { access_token: string } | undefined;
  /** The shop's offline token; an installation made before tokens expired has a non-expiring one. */
  const current = (shop: string): OfflineToken | undefined => {
    const row = store.db.prepare("SELECT * FROM offline_tokens WHERE shop = ?").get(shop) as OfflineToken | undefined;
    const installed = activeInstallation(shop)?.access_token;
    if (row || !installed) return row;
    return { shop, access_token: installed, expires_at: null, refresh_token: null, refresh_expires_at: null, previous_refresh_token: null };
  };

  /** What the Admin API asks: was this token issued for this installation, and is it unexpired? */
  function authorize(shop: string, token: string | null): boolean {
    const installed = activeInstallation(shop);
    if (!token || !installed) return false;
    const issued = store.db.prepare("SELECT expires_at FROM issued_tokens WHERE access_token = ? AND shop = ?").get(token, shop) as { expires_at: number | null } | undefined;
    // An installation made before this table existed has only its installation's token.
    if (!issued) return installed.access_token === token;
    return issued.expires_at === null || issued.expires_at > clock.now();
  }

  function issue(shop: string, expiring: boolean, previousRefreshToken: string | null): OfflineToken {
    const now = clock.now();
    const token: OfflineToken = {
      shop, access_token: `shpat_${randomBytes(16).toString("hex")}`,
      expires_at: expiring ? now + ACCESS_TOKEN_TTL_S * 1000 : null,
      refresh_token: expiring ? `shprt_${randomBytes(16).toString("hex")}` : null,
      refresh_expires_at: expiring ? now + REFRESH_TOKEN_TTL_S * 1000 : null,
      previous_refresh_token: previousRefreshToken,
    };
    store.transaction(() => {
      store.db.prepare(`INSERT INTO offline_tokens (shop, access_token, expires_at, refresh_token, refresh_expires_at, previous_refresh_token) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(shop) DO UPDATE SET access_token = excluded.access_token, expires_at = excluded.expires_at, refresh_token = excluded.refresh_token,
        refresh_expires_at = excluded.refresh_expires_at, previous_refresh_token = excluded.previous_refresh_token`)
        .run(token.shop, token.access_token, token.expires_at, token.refresh_token, token.refresh_expires_at, token.previous_refresh_token);
      store.db.prepare("INSERT INTO issued_tokens (access_token, shop, expires_at) VALUES (?, ?, ?)").run(token.access_token, shop, token.expires_at);
      store.db.prepare("UPDATE installations SET access_token = ? WHERE shop = ?").run(token.access_token, shop);
    });
    return token;
  }

  const offlineBody = (t: OfflineToken) => {
    const now = clock.now();
    return t.expires_at === null
      ? { access_token: t.access_token, scope: options.scopes() }
      : {
        access_token: t.access_token, scope: options.scopes(), expires_in: Math.max(0, Math.round((t.expires_at - now) / 1000)),
        refresh_token: t.refresh_token, refresh_token_expires_in: Math.max(0, Math.round((t.refresh_expires_at! - now) / 1000)),
      };
  };

  /** Installs the app unless it is installed: a token exchange for an installed shop only hands out a token. */
  function ensureInstalled(shop: string) {
    if (activeInstallation(shop)) return;
    store.db.prepare(`INSERT INTO installations (shop, access_token, scope, installed_at) VALUES (?, '', ?, ?)
      ON CONFLICT(shop) DO UPDATE SET access_token = '', scope = excluded.scope, installed_at = excluded.installed_at, uninstalled_at = NULL`)
      .run(shop, options.scopes(), new Date(clock.now()).toISOString());
    // Uninstalling revoked every token of the earlier installation.
    store.db.prepare("DELETE FROM offline_tokens WHERE shop = ?").run(shop);
    store.db.prepare("DELETE FROM issued_tokens WHERE shop = ?").run(shop);
  }

  /**
   * Migration: a shop's non-expiring offline token exchanged for an expiring pair
   * (`subject_token_type` offline-access-token, `expiring=1`); the old token stops working.
   */
  function migrate(shop: string, body: Record<string, unknown>): TokenRequestResult {
    const row = current(shop);
    const retried = retriedMigration(shop, row, body);
    if (retried) return retried;
    if (!row || row.expires_at !== null || body.subject_token !== row.access_token || String(body.expiring) !== "1") {
      return fail("invalid_subject_token", "The subject token is not this shop's non-expiring offline access token.");
    }
    // The non-expiring token stops working for the Admin API once migrated.
    store.db.prepare("DELETE FROM issued_tokens WHERE access_token = ?").run(row.access_token);
    const pair = issue(shop, true, null);
    store.db.prepare("INSERT OR REPLACE INTO token_migrations (original_token, shop, access_token, migrated_at) VALUES (?, ?, ?, ?)").run(row.access_token, shop, pair.access_token, clock.now());
    return { status: 200, body: offlineBody(pair) };
  }

  /**
   * A migration retried with the same original token (its answer was lost) answers the same
   * pair, its access token's expiry extended, for seven days, until the pair is refreshed or
   * replaced (changelog "More resilient token exchanges when migrating tokens without a user
   * session"); null when this is not such a retry.
   */
  function retriedMigration(shop: string, row: OfflineToken | undefined, body: Record<string, unknown>): TokenRequestResult | null {
    const earlier = store.db.prepare("SELECT * FROM token_migrations WHERE original_token = ? AND shop = ?").get(String(body.subject_token ?? ""), shop) as
      { access_token: string; migrated_at: number } | undefined;
    if (!earlier || !row || row.access_token !== earlier.access_token || clock.now() - earlier.migrated_at > MIGRATION_RETRY_MS) return null;
    const expires = Math.max(row.expires_at ?? 0, clock.now() + ACCESS_TOKEN_TTL_S * 1000);
    store.db.prepare("UPDATE offline_tokens SET expires_at = ? WHERE shop = ?").run(expires, shop);
    store.db.prepare("UPDATE issued_tokens SET expires_at = ? WHERE access_token = ?").run(expires, row.access_token);
    return { status: 200, body: offlineBody({ ...row, expires_at: expires }) };
  }

  async function exchange(shop: string, body: Record<string, unknown>): Promise<TokenRequestResult> {
    if (body.subject_token_type === OFFLINE) return migrate(shop, body);
    if (body.subject_token_type !== ID_TOKEN) return fail("invalid_request", "subject_token_type must be an id_token.");
    try {
      const { payload } = await jwtVerify(String(body.subject_token), new TextEncoder().encode(options.apiSecret), { algorithms: ["HS256"], audience: options.apiKey });
      if (payload.dest !== `https://${shop}`) return fail("invalid_subject_token", "The session token is for another shop.");
    } catch (error) {
      return fail("invalid_subject_token", `The session token is invalid: ${(error as Error).message}`);
    }
    ensureInstalled(shop);
    const existing = current(shop);
    const expiring = body.expiring === "1" || body.expiring === 1 || body.expiring === true;
    if (body.requested_token_type === ONLINE) {
      const token = existing ?? issue(shop, expiring, null);
      return {
        status: 200,
        body: {
          access_token: token.access_token, scope: options.scopes(), expires_in: 86_399, associated_user_scope: options.scopes(),
          associated_user: { id: 1, first_name: "Demo", last_name: "Merchant", email: `owner@${shop.replace(".myshopify.com", "")}.example`, email_verified: true, account_owner: true, locale: "en", collaborator: false },
        },
      };
    }
    // A non-expiring token stays what it was; an expiring one is replaced by a new pair, as
    // any later token acquisition replaces the shop's pair on Shopify.
    const keep = existing && !expiring && existing.expires_at === null;
    return { status: 200, body: offlineBody(keep ? existing : issue(shop, expiring, null)) };
  }

  function refresh(shop: string, body: Record<string, unknown>): TokenRequestResult {
    const presented = String(body.refresh_token ?? "");
    const row = current(shop);
    if (!row || !presented || !activeInstallation(shop)) return fail("invalid_grant", "The refresh token is invalid, expired or revoked.");
    // Retrying the refresh token that minted the current pair answers that pair again, until
    // the app uses the new refresh token: a lost response can be recovered.
    if (presented === row.previous_refresh_token) return { status: 200, body: offlineBody(row) };
    if (presented !== row.refresh_token || row.refresh_expires_at === null || row.refresh_expires_at <= clock.now()) {
      return fail("invalid_grant", "The refresh token is invalid, expired or revoked.");
    }
    return { status: 200, body: offlineBody(issue(shop, true, presented)) };
  }

  /** POST /admin/oauth/access_token for `shop`. */
  async function handle(shop: string, body: Record<string, unknown> | null): Promise<TokenRequestResult> {
    if (!body) return fail("invalid_request", "The request body is not valid JSON.");
    if (!options.isShop(shop)) return { status: 404, body: { errors: "Not Found" } };
    if (body.client_id !== options.apiKey || body.client_secret !== options.apiSecret) return { status: 401, body: { error: "invalid_client", error_description: "Client credentials are invalid." } };
    if (body.grant_type === TOKEN_EXCHANGE) return exchange(shop, body);
    if (body.grant_type === "refresh_token") return refresh(shop, body);
    return fail("unsupported_grant_type", "Only token exchange and refresh_token are supported.");
  }

  return { handle, authorize };
}

function fail(error: string, description: string): TokenRequestResult {
  return { status: 400, body: { error, error_description: description } };
}
