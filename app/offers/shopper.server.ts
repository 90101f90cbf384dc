// The logged-in customer as the selection engine sees them (targeting.ts ShopperCustomer):
// past orders and purchased products from the order mirror, and their tags from the Admin
// API when some offer targets tags. Kept a short while per customer, like the shop's offers,
// so a shopper's cart changes do not each cost a query.
import { customerHistory } from "~/orders/customer-history.server";
import { adminQuery } from "~/shopify/admin-client.server";
import { CUSTOMER_TAGS_QUERY, type CustomerTagsResult } from "~/shopify/customers.queries";
import { shopAdmin } from "~/shopify/shop-admin.server";
import type { ShopperCustomer } from "./targeting";

const FRESH_MS = 30_000;
/** Enough for the logged-in shoppers of a busy minute; the oldest entry goes first. */
const MAX_ENTRIES = 10_000;
const known = new Map<string, { at: number; customer: Promise<ShopperCustomer> }>();

async function load(shop: string, customerId: string, withTags: boolean): Promise<ShopperCustomer> {
  const id = `gid://shopify/Customer/${customerId}`;
  const [history, tags] = await Promise.all([customerHistory(shop, id), withTags ? customerTags(shop, id) : Promise.resolve([])]);
  return { id, tags, ...history };
}

async function customerTags(shop: string, id: string): Promise<string[]> {
  // The shop is the one Shopify signed into the proxy request: its offline session.
  const data = await adminQuery<CustomerTagsResult>(await shopAdmin(shop), CUSTOMER_TAGS_QUERY, { id });
  return data.customer?.tags ?? [];
}

/** customerId: the numeric id Shopify signs into `logged_in_customer_id`. */
export function shopperCustomer(shop: string, customerId: string, withTags: boolean, now = Date.now()): Promise<ShopperCustomer> {
  const key = `${shop}\n${customerId}\n${withTags}`;
  const cached = known.get(key);
  if (cached && now - cached.at < FRESH_MS) return cached.customer;
  const customer = load(shop, customerId, withTags);
  known.delete(key);
  known.set(key, { at: now, customer });
  if (known.size > MAX_ENTRIES) known.delete(known.keys().next().value!);
  customer.catch(() => known.delete(key)); // a failed read is retried by the next request
  return customer;
}
