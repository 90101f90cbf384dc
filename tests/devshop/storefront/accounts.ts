// Customer accounts on the stand-in's storefront: /account/login with a seeded customer's
// email (every customer's password is DEMO_PASSWORD, a dev-only value), /account/logout,
// and the theme's `customer` object. The session lives in memory behind a random cookie, so
// a shopper cannot claim to be someone else by editing a cookie: the app proxy's
// `logged_in_customer_id` is only what this login established, as on Shopify.
import { randomBytes } from "node:crypto";
import type { Customer, Store } from "../store.ts";

export const DEMO_PASSWORD = "uplift-demo";
export const CUSTOMER_COOKIE = "customer_session";

export function createAccounts(store: Store) {
  const sessions = new Map<string, number>();
  return {
    /** The logged-in customer for this session cookie, if any. */
    customer(token: string | undefined): Customer | null {
      const id = token ? sessions.get(token) : undefined;
      return (id !== undefined && store.customers.get(id)) || null;
    },
    /** A new session token, or null when the email and password do not match a customer. */
    logIn(email: string, password: string): string | null {
      if (password !== DEMO_PASSWORD) return null;
      const customer = [...store.customers.values()].find((c) => c.email.toLowerCase() === email.trim().toLowerCase());
      if (!customer) return null;
      const token = randomBytes(18).toString("hex");
      sessions.set(token, customer.id);
      return token;
    },
    logOut(token: string | undefined): void {
      if (token) sessions.delete(token);
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;

/** The theme's `customer` object (nil for a guest). */
export function customerDrop(customer: Customer | null, store: Store) {
  if (!customer) return null;
  const orders = [...store.orders.values()].filter((o) => o.customerId === customer.id);
  return {
    id: customer.id, email: customer.email, first_name: customer.firstName, last_name: customer.lastName,
    name: `${customer.firstName} ${customer.lastName}`, tags: customer.tags, orders_count: orders.length, has_account: true,
  };
}
