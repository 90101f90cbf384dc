// The stand-in's checkout, as far as a shopper paying for their cart goes: the cart's
// "Check out" starts a checkout from the cart (its lines with their properties, its
// attributes and note, its currency and language, the logged-in customer); "Pay now" places
// the order as Shopify's checkout does (line items with their `properties`, the cart's
// attributes as `note_attributes`), sends orders/create to the app, ends the cart and shows
// the thank-you page, where the web pixels get `checkout_completed` once.
// No payment, shipping, taxes or discounts yet; Cart Transform and Discount Functions are to
// run here (between the checkout's lines and its order), so each step is a function of its own.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { PixelEventsCheckoutCompletedData } from "@shopify/web-pixels-extension";
import type { ShopEvent } from "../admin-api.ts";
import { placeOrder, type NameValue } from "../orders.ts";
import type { Customer, Order, Store } from "../store.ts";
import { restOrder } from "../views.ts";
import type { Cart, Carts } from "./cart.ts";
import { formatMoney } from "./liquid.ts";

export interface CheckoutLine {
  /** Shopify's checkout line id: the cart line's key. */
  key: string;
  variantId: number;
  productId: number;
  title: string;
  variantTitle: string | null;
  productTitle: string;
  vendor: string;
  productType: string;
  handle: string;
  sku: string;
  quantity: number;
  /** The unit price in the checkout's currency, minor units. */
  price: number;
  properties: NameValue[];
}

export interface Checkout {
  token: string;
  cartToken: string;
  currency: string;
  locale: string;
  lines: CheckoutLine[];
  attributes: NameValue[];
  note: string;
  customerId: number | null;
  /** Set once paid: the order it made. */
  orderId: number | null;
  /** checkout_completed goes to the pixels on the first view of the thank-you page only. */
  completedSent: boolean;
}

/** What the checkout pages say, in the storefront's languages (Shopify translates its checkout). */
type Words = Record<"title" | "summary" | "quantity" | "total" | "pay" | "thanks" | "confirmed" | "continue", string>;
const TEXT: Record<string, Words> = {
  en: { title: "Checkout", summary: "Order summary", quantity: "Quantity", total: "Total", pay: "Pay now", thanks: "Thank you!", confirmed: "Your order {name} is confirmed.", continue: "Continue shopping" },
  fr: { title: "Paiement", summary: "Récapitulatif de la commande", quantity: "Quantité", total: "Total", pay: "Payer maintenant", thanks: "Merci !", confirmed: "Votre commande {name} est confirmée.", continue: "Continuer vos achats" },
  it: { title: "Pagamento", summary: "Riepilogo dell'ordine", quantity: "Quantità", total: "Totale", pay: "Paga ora", thanks: "Grazie!", confirmed: "Il tuo ordine {name} è confermato.", continue: "Continua lo shopping" },
  de: { title: "Kasse", summary: "Bestellübersicht", quantity: "Menge", total: "Gesamt", pay: "Jetzt bezahlen", thanks: "Vielen Dank!", confirmed: "Deine Bestellung {name} ist bestätigt.", continue: "Weiter einkaufen" },
  es: { title: "Pago", summary: "Resumen del pedido", quantity: "Cantidad", total: "Total", pay: "Pagar ahora", thanks: "¡Gracias!", confirmed: "Tu pedido {name} está confirmado.", continue: "Seguir comprando" },
};

export interface CheckoutOptions {
  store: Store;
  carts: Carts;
  /** Queues the webhooks Shopify sends for an event (the stand-in's webhook delivery). */
  emit: (event: ShopEvent) => number[];
  publicUrl: () => string;
  /** The web pixels manager's tags for a page, with the page's standard events. */
  pixelTags: (page: { url: string; locale: string; currency: string; events: { name: string; data: unknown }[] }) => string;
}

export const CHECKOUT_PATH = /^\/checkouts\/cn\/([a-f0-9]+)(\/thank-you)?$/;

export function createCheckouts(options: CheckoutOptions) {
  const { store, carts } = options;
  const checkouts = new Map<string, Checkout>();

  /** A checkout of the cart as it is now; null for an empty cart. */
  function start(cart: Cart | null, locale: string, customer: Customer | null): Checkout | null {
    if (!cart?.lines.length) return null;
    const lines = cart.lines.map((line): CheckoutLine => {
      const { product, variant } = carts.variant(line.variantId)!;
      const single = product.variants.length === 1 && variant.title === "Default Title";
      return {
        key: line.key, variantId: variant.id, productId: product.id, title: single ? product.title : `${product.title} - ${variant.title}`,
        variantTitle: single ? null : variant.title, productTitle: product.title, vendor: product.vendor, productType: product.productType, handle: product.handle, sku: variant.sku,
        quantity: line.quantity, price: carts.price(variant.price, cart.currency),
        properties: Object.entries(line.properties).map(([name, value]) => ({ name, value })),
      };
    });
    const checkout: Checkout = {
      token: randomBytes(16).toString("hex"), cartToken: cart.token, currency: cart.currency, locale, lines,
      attributes: Object.entries(cart.attributes).map(([name, value]) => ({ name, value })), note: cart.note,
      customerId: customer?.id ?? null, orderId: null, completedSent: false,
    };
    checkouts.set(checkout.token, checkout);
    return checkout;
  }

  /** Pays: the order, as Shopify's checkout makes it, and orders/create to the app. Paying twice makes one order. */
  function complete(checkout: Checkout): Order {
    if (checkout.orderId !== null) return store.orders.get(checkout.orderId)!;
    const order = placeOrder(store, {
      lines: checkout.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity, properties: l.properties })),
      customerId: checkout.customerId, note: checkout.note || null, noteAttributes: checkout.attributes,
    });
    if (!order) throw new Error("A checkout line names a variant the shop no longer has.");
    checkout.orderId = order.id;
    options.emit({ shop: store.shop!.domain, topic: "orders/create", payload: restOrder(order) });
    // The cart is done: Shopify starts a new one on the next visit.
    const cart = carts.get(checkout.cartToken);
    if (cart) Object.assign(cart, { lines: [], attributes: {}, note: "" });
    return order;
  }

  /** `checkout_completed` as Shopify's web pixels receive it (@shopify/web-pixels-extension's Checkout). */
  function completedEvent(checkout: Checkout, order: Order): PixelEventsCheckoutCompletedData {
    const money = (minor: number) => ({ amount: minor / 100, currencyCode: checkout.currency });
    const total = checkout.lines.reduce((n, l) => n + l.price * l.quantity, 0);
    const customer = checkout.customerId;
    return {
      checkout: {
        attributes: checkout.attributes.map((a) => ({ key: a.name, value: a.value })),
        billingAddress: null, buyerAcceptsEmailMarketing: false, buyerAcceptsSmsMarketing: false, currencyCode: checkout.currency, delivery: null,
        discountApplications: [], discountsAmount: money(0), email: null,
        lineItems: checkout.lines.map((l) => ({
          id: l.key, title: l.productTitle, quantity: l.quantity, discountAllocations: [], sellingPlanAllocation: null,
          finalLinePrice: money(l.price * l.quantity), properties: l.properties.map((p) => ({ key: p.name, value: p.value })),
          variant: {
            id: String(l.variantId), title: l.variantTitle ?? "Default Title", untranslatedTitle: l.variantTitle ?? "Default Title", sku: l.sku, image: null, price: money(l.price),
            product: { id: String(l.productId), title: l.productTitle, untranslatedTitle: l.productTitle, vendor: l.vendor, type: l.productType, url: `/products/${l.handle}` },
          },
        })),
        localization: { country: { isoCode: null }, language: { isoCode: checkout.locale.toUpperCase() }, market: { id: null, handle: null } },
        order: { id: String(order.id), customer: customer === null ? null : { id: String(customer), isFirstOrder: [...store.orders.values()].filter((o) => o.customerId === customer).length === 1 } },
        phone: null, shippingAddress: null, shippingLine: null, smsMarketingPhone: null,
        subtotalPrice: money(total), token: checkout.token, totalPrice: money(total), totalTax: money(0), transactions: [],
      },
    };
  }

  /** The checkout's pages; false for any other path. */
  async function handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    const m = CHECKOUT_PATH.exec(pathname);
    const checkout = m ? checkouts.get(m[1]!) : undefined;
    if (!m) return false;
    const html = (status: number, body: string) => {
      res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
      res.end(body);
      return true;
    };
    const redirect = (location: string) => {
      res.writeHead(303, { Location: location, "Cache-Control": "no-store" });
      res.end();
      return true;
    };
    if (!checkout) return html(404, page("en", "Not found", "<p>This checkout does not exist.</p>", ""));
    const base = `/checkouts/cn/${checkout.token}`;
    if (!m[2]) {
      if (req.method === "POST") {
        req.resume(); // the form says nothing the checkout does not know
        complete(checkout);
        return redirect(`${base}/thank-you`);
      }
      if (req.method !== "GET") return false;
      return checkout.orderId !== null ? redirect(`${base}/thank-you`) : html(200, checkoutPage(checkout));
    }
    if (req.method !== "GET") return false;
    if (checkout.orderId === null) return redirect(base);
    const order = store.orders.get(checkout.orderId)!;
    const events = checkout.completedSent ? [] : [{ name: "checkout_completed", data: completedEvent(checkout, order) }];
    checkout.completedSent = true;
    const tags = options.pixelTags({ url: `${options.publicUrl()}${base}/thank-you`, locale: checkout.locale, currency: checkout.currency, events });
    return html(200, thankYouPage(checkout, order, tags));
  }

  function checkoutPage(c: Checkout): string {
    const t = TEXT[c.locale] ?? TEXT.en!;
    const money = (minor: number) => formatMoney(minor, { locale: c.locale, currency: c.currency });
    const rows = c.lines.map((l) => {
      // Properties whose name starts with "_" are the app's, hidden from the shopper as on Shopify.
      const shown = l.properties.filter((p) => !p.name.startsWith("_")).map((p) => `<br><small>${escape(p.name)}: ${escape(p.value)}</small>`).join("");
      return `<tr data-checkout-line="${escape(l.key)}"><th scope="row">${escape(l.title)}${shown}</th><td>${l.quantity}</td><td>${money(l.price * l.quantity)}</td></tr>`;
    }).join("");
    const total = c.lines.reduce((n, l) => n + l.price * l.quantity, 0);
    const body = `<main id="main"><h1>${t.title}</h1>
<section aria-labelledby="summary"><h2 id="summary">${t.summary}</h2>
<table><thead><tr><th scope="col"><span class="vh">${t.summary}</span></th><th scope="col">${t.quantity}</th><th scope="col">${t.total}</th></tr></thead><tbody>${rows}</tbody>
<tfoot><tr><th scope="row">${t.total}</th><td></td><td data-checkout-total>${money(total)}</td></tr></tfoot></table></section>
<form method="post" action="/checkouts/cn/${c.token}"><button type="submit">${t.pay}</button></form></main>`;
    return page(c.locale, t.title, body, "");
  }

  function thankYouPage(c: Checkout, order: Order, pixelTags: string): string {
    const t = TEXT[c.locale] ?? TEXT.en!;
    const root = c.locale === "en" ? "/" : `/${c.locale}/`;
    const body = `<main id="main"><h1>${t.thanks}</h1><p role="status">${escape(t.confirmed.replace("{name}", order.name))}</p><p><a href="${root}">${t.continue}</a></p></main>`;
    return page(c.locale, t.thanks, body, pixelTags);
  }

  return { start, complete, handle, get: (token: string) => checkouts.get(token) };
}

function page(locale: string, title: string, body: string, head: string): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;max-width:720px;margin:0 auto;padding:16px}table{border-collapse:collapse;width:100%}td,th{padding:8px;border-bottom:1px solid #eee;text-align:left}
button{font:inherit;min-height:44px;padding:8px 24px;background:#1a1a1a;color:#fff;border:0;border-radius:4px}.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}</style>
${head}</head><body>${body}</body></html>`;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
