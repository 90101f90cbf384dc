import { unauthenticated } from "~/shopify.server";
import type { AdminGraphqlClient } from "./admin-client.server";

/**
 * The Admin client for background work, from the shop's offline session (refreshed by the
 * library when it expires). Jobs ask for it when they run: nothing keeps a request's client,
 * whose token may expire before a retry.
 */
export async function shopAdmin(shop: string): Promise<AdminGraphqlClient> {
  return (await unauthenticated.admin(shop)).admin;
}
