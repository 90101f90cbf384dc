import type { LoaderFunctionArgs } from "@remix-run/node";
import { verifiedAppProxy } from "~/shopify.server";
import { parseCartOffersQuery } from "~/offers/cart-request";
import { cartOffers } from "~/offers/cart-offers.server";

// The app proxy (shopify.app.toml [app_proxy]): https://{shop}/apps/uplift/cart-offers.
// Shopify signs each request; the library's check refuses an unsigned, forged or stale one
// (400). The shop and the logged-in customer are the signed ones, never taken from the path,
// which merchants can change. No Admin session is looked up unless a logged-in customer's
// tags are needed (offers/shopper.server.ts).
const PRIVATE = { "Cache-Control": "private, no-store" };
const refuse = (status: number, error: string) => Response.json({ error }, { status, headers: PRIVATE });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const params = new URL(request.url).searchParams;
  const signed = await verifiedAppProxy(params);
  if (!signed) return refuse(400, "The request is not signed by Shopify.");
  // Shopify sends it empty for a guest.
  const customer = signed.loggedInCustomerId;
  if (customer !== "" && !/^[1-9]\d{0,19}$/.test(customer)) return refuse(400, "logged_in_customer_id is not a customer id.");
  const parsed = parseCartOffersQuery(params);
  if (!parsed.ok) return refuse(400, parsed.error);
  let answer;
  try {
    answer = await cartOffers(signed.shop, parsed.query, customer || null);
  } catch (error) {
    // The database or, for a customer's tags, the Admin API: the storefront shows no offers.
    console.error("cart offers failed", error);
    return refuse(503, "Cart offers are unavailable for a moment.");
  }
  if (!answer) return refuse(404, "Uplift is not installed on this shop.");
  return Response.json(answer, { headers: PRIVATE });
};
