import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { authenticate } from "~/shopify.server";
import { catalogProducts, searchCatalog } from "~/catalog/search.server";

// The offer editor's pickers: products (with their variants and prices) or collections
// from the synced catalog, matching ?q=; or the products named by ?id= (what the admin's
// resource picker returned).
const productIds = z.array(z.string().regex(/^gid:\/\/shopify\/Product\/\d+$/)).max(20);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const ids = url.searchParams.getAll("id");
  if (ids.length) {
    const parsed = productIds.safeParse(ids);
    if (!parsed.success) return Response.json({ error: "Bad product ids" }, { status: 400 });
    return Response.json(await catalogProducts(session.shop, parsed.data));
  }
  const type = url.searchParams.get("type") === "collections" ? "collections" : "products";
  return Response.json(await searchCatalog(session.shop, type, url.searchParams.get("q") ?? ""));
};
