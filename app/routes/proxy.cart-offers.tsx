import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { parseCartOffersQuery } from "~/offers/cart-request";
import { cartOffers } from "~/offers/cart-offers.server";

// The app proxy (shopify.app.toml [app_proxy]): https://{shop}/apps/uplift/cart-offers.
// Shopify signs each request; the library refuses an unsigned, forged or stale one (400).
// The shop is the signed one, never taken from the path, which merchants can change.
const PRIVATE = { "Cache-Control": "private, no-store" };

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.public.appProxy(request);
  if (!session) return Response.json({ error: "Uplift is not installed on this shop." }, { status: 404, headers: PRIVATE });
  const parsed = parseCartOffersQuery(new URL(request.url).searchParams);
  if (!parsed.ok) return Response.json({ error: parsed.error }, { status: 400, headers: PRIVATE });
  return Response.json(await cartOffers(session.shop, parsed.query), { headers: PRIVATE });
};
