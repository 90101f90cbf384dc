import { unauthenticated } from "~/shopify.server";
import type { AdminGraphqlClient } from "./admin-client.server";

/**
 * The Admin client for background work, from the shop's offline session. Each request asks
 * the library for the session again, which refreshes an expiring token shortly before it
 * ends: a job that runs longer than a token lives (a large catalog sync under throttling, a
 * backfill waiting for its bulk operation) never sends a stale one. Nothing keeps a request's
 * client either, whose token may expire before a retry.
 */
export async function shopAdmin(shop: string): Promise<AdminGraphqlClient> {
  const current = async () => (await unauthenticated.admin(shop)).admin;
  // Fails at once for a shop without a session (uninstalled): the job ends as "gone".
  await current();
  return { graphql: async (query, options) => (await current()).graphql(query, options) };
}
