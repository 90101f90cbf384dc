// The stand-in's checkout, as far as a shopper paying for their cart goes: the cart's
// "Check out" starts a checkout from the cart (its lines with their properties, its
// attributes and note, its currency and language, the logged-in customer); "Pay now" places
// the order as Shopify's checkout does (line items with their `properties`, the cart's
// attributes as `note_attributes`), sends orders/create to the app, ends the cart and shows
// the thank-you page, where the web pixels get `checkout_completed` once.
// Between the checkout's lines and its order, the shop's Functions run as on Shopify
// (functions/host.ts): the cart transform merges and expands lines, the automatic app
// discounts take amounts off them; the page shows what they made, and the order records what
// was charged. No payment, shipping or taxes.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { PixelEventsCheckoutCompletedData } from "@shopify/web-pixels-extension";
import type { ShopEvent } from "../admin-api.ts";
import { placeOrder, type NameValue, type NewOrder } from "../orders.ts";
import type { Customer, Order, Store } from "../store.ts";
import { productImageUrl, restOrder } from "../views.ts";
import { marketForCurrency } from "../markets.ts";
import type { FunctionHost } from "../functions/host.ts";
import { pricedFromSource, spread, totals, type PricedCheckout, type PricedLine } from "../functions/apply.ts";
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
  /** What the Functions made of the lines, as last shown or paid. */
  priced: Priced | null;
}

/** What the checkout pages say, in the storefront's languages (Shopify translates its checkout). */
type Words = Record<"title" | "summary" | "quantity" | "total" | "pay" | "thanks" | "confirmed" | "continue" | "subtotal" | "discounts" | "contains" | "before" | "blocked", string>;
const TEXT: Record<string, Words> = {
  en: { title: "Checkout", summary: "Order summary", quantity: "Quantity", total: "Total", pay: "Pay now", thanks: "Thank you!", confirmed: "Your order {name} is confirmed.", continue: "Continue shopping", subtotal: "Subtotal", discounts: "Discounts", contains: "Includes", before: "Before discounts", blocked: "This order can't be completed right now. Please try again later." },
  fr: { title: "Paiement", summary: "Récapitulatif de la commande", quantity: "Quantité", total: "Total", pay: "Payer maintenant", thanks: "Merci !", confirmed: "Votre commande {name} est confirmée.", continue: "Continuer vos achats", subtotal: "Sous-total", discounts: "Réductions", contains: "Comprend", before: "Avant réductions", blocked: "Cette commande ne peut pas être finalisée pour le moment. Veuillez réessayer plus tard." },
  it: { title: "Pagamento", summary: "Riepilogo dell'ordine", quantity: "Quantità", total: "Totale", pay: "Paga ora", thanks: "Grazie!", confirmed: "Il tuo ordine {name} è confermato.", continue: "Continua lo shopping", subtotal: "Subtotale", discounts: "Sconti", contains: "Include", before: "Prima degli sconti", blocked: "Al momento non è possibile completare questo ordine. Riprova più tardi." },
  de: { title: "Kasse", summary: "Bestellübersicht", quantity: "Menge", total: "Gesamt", pay: "Jetzt bezahlen", thanks: "Vielen Dank!", confirmed: "Deine Bestellung {name} ist bestätigt.", continue: "Weiter einkaufen", subtotal: "Zwischensumme", discounts: "Rabatte", contains: "Enthält", before: "Vor Rabatten", blocked: "Diese Bestellung kann gerade nicht abgeschlossen werden. Bitte versuche es später erneut." },
  es: { title: "Pago", summary: "Resumen del pedido", quantity: "Cantidad", total: "Total", pay: "Pagar ahora", thanks: "¡Gracias!", confirmed: "Tu pedido {name} está confirmado.", continue: "Seguir comprando", subtotal: "Subtotal", discounts: "Descuentos", contains: "Incluye", before: "Antes de descuentos", blocked: "No se puede completar este pedido en este momento. Inténtalo de nuevo más tarde." },
};

/** A checkout's lines and totals after the Functions; `blocked` when a blocking cart transform failed. */
type Priced = PricedCheckout & { blocked: boolean };

export interface CheckoutOptions {
  store: Store;
  carts: Carts;
  /** Queues the webhooks Shopify sends for an event (the stand-in's webhook delivery). */
  emit: (event: ShopEvent) => number[];
  publicUrl: () => string;
  /** The web pixels manager's tags for a page, with the page's standard events. */
  pixelTags: (page: { url: string; locale: string; currency: string; events: { name: string; data: unknown }[] }) => string;
  /** Runs the shop's cart transform and automatic app discounts; without it the lines are charged as they are. */
  functions?: FunctionHost;
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
      customerId: customer?.id ?? null, orderId: null, completedSent: false, priced: null,
    };
    checkouts.set(checkout.token, checkout);
    return checkout;
  }

  /** A variant of the shop whatever its product's status (a bundle parent may be a draft, never sold on its own). */
  function anyVariant(id: number) {
    for (const product of store.products.values()) {
      const variant = product.variants.find((v) => v.id === id);
      if (variant) return { product, variant };
    }
    return null;
  }

  /** Runs the Functions over the checkout's lines: what it would charge now. */
  async function price(checkout: Checkout): Promise<Priced> {
    const source = checkout.lines.map((l) => ({ key: l.key, variantId: l.variantId, quantity: l.quantity, price: l.price, properties: l.properties }));
    if (!options.functions) return { ...totals(pricedFromSource(source), []), blocked: false };
    const priced = await options.functions.price(store, {
      currency: checkout.currency, locale: checkout.locale, lines: source, customerId: checkout.customerId,
      attributes: Object.fromEntries(checkout.attributes.map((a) => [a.name, a.value])),
    });
    checkout.priced = priced;
    return priced;
  }

  /** The order's lines for what was charged: a bundle's components as lines of its group, prices split exactly. */
  function orderInput(checkout: Checkout, priced: PricedCheckout): NewOrder {
    const shop = store.shop!;
    const rate = marketForCurrency(shop, checkout.currency).rate;
    // The shop's money for an amount charged in the checkout's currency (Shopify converts at the checkout's rate).
    const toShop = (minor: number) => (checkout.currency === shop.currency ? minor : Math.round(minor / rate));
    const lines: NewOrder["lines"] = [];
    const groups: NonNullable<NewOrder["groups"]> = [];
    for (const line of priced.lines) {
      const group = line.kind === "line" ? undefined : groups.push({
        title: lineTitle(line), quantity: line.quantity, productId: anyVariant(line.variantId)?.product.id ?? 0, variantId: line.variantId, properties: line.properties,
      }) - 1;
      // Each component's total as whole units: a total that does not divide by its quantity is
      // two lines, most units at the lower unit price and the rest one minor unit dearer.
      const items = line.components.flatMap((c) => {
        const unit = Math.floor(c.total / c.quantity);
        const dearer = c.total - unit * c.quantity;
        return [{ c, quantity: c.quantity - dearer, unit }, { c, quantity: dearer, unit: unit + 1 }].filter((i) => i.quantity > 0);
      });
      const perAllocation = line.allocations.map((a) => spread(a.amount, items.map((i) => i.unit * i.quantity)));
      items.forEach((item, i) => {
        const own = line.kind === "line" && item.unit === checkout.lines.find((l) => l.key === item.c.sourceKey)?.price;
        lines.push({
          variantId: item.c.variantId, quantity: item.quantity, properties: item.c.properties,
          charged: {
            // A line charged at its own price keeps the variant's shop price; anything the Functions priced is converted.
            price: own && checkout.currency !== shop.currency ? undefined : toShop(item.unit), presentmentPrice: item.unit, group,
            discountAllocations: line.allocations.map((a, j) => ({ application: a.application, amount: toShop(perAllocation[j]![i]!), presentmentAmount: perAllocation[j]![i]! })).filter((a) => a.presentmentAmount > 0),
          },
        });
      });
    }
    return {
      lines, groups, presentmentCurrency: checkout.currency, customerId: checkout.customerId, note: checkout.note || null, noteAttributes: checkout.attributes,
      discountApplications: priced.applications.map((a) => ({ title: a.title, description: a.message, valueType: a.valueType, value: a.value, allocationMethod: a.allocationMethod })),
    };
  }

  /** A bundle line's title: the Function's, else its parent variant's. */
  function lineTitle(line: PricedLine): string {
    if (line.title) return line.title;
    const found = anyVariant(line.variantId);
    if (!found) return "";
    return found.variant.title === "Default Title" ? found.product.title : `${found.product.title} - ${found.variant.title}`;
  }

  /** Pays: the order, as Shopify's checkout makes it, and orders/create to the app. Paying twice makes one order; a blocked checkout makes none (null). */
  async function complete(checkout: Checkout): Promise<Order | null> {
    if (checkout.orderId !== null) return store.orders.get(checkout.orderId)!;
    const priced = await price(checkout);
    if (priced.blocked) return null;
    if (checkout.orderId !== null) return store.orders.get(checkout.orderId)!; // paid while the Functions ran
    const order = placeOrder(store, orderInput(checkout, priced));
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
    const priced = checkout.priced ?? totals(pricedFromSource(checkout.lines.map((l) => ({ key: l.key, variantId: l.variantId, quantity: l.quantity, price: l.price, properties: l.properties }))), []);
    const customer = checkout.customerId;
    const applications = priced.applications.map((a) => ({
      allocationMethod: a.allocationMethod === "each" ? "EACH" : "ACROSS", targetSelection: "ENTITLED", targetType: "LINE_ITEM", title: a.message, type: "AUTOMATIC",
      value: a.valueType === "percentage" ? { percentage: Number(a.value) } : { amount: Number(a.value), currencyCode: checkout.currency },
    }));
    return {
      checkout: {
        attributes: checkout.attributes.map((a) => ({ key: a.name, value: a.value })),
        billingAddress: null, buyerAcceptsEmailMarketing: false, buyerAcceptsSmsMarketing: false, currencyCode: checkout.currency, delivery: null,
        discountApplications: applications, discountsAmount: money(priced.discounts), email: null,
        lineItems: priced.lines.map((l) => {
          const found = anyVariant(l.variantId);
          const source = l.kind === "line" ? checkout.lines.find((c) => c.key === l.components[0]?.sourceKey) : undefined;
          const productTitle = found?.product.title ?? lineTitle(l);
          const variantTitle = found?.variant.title ?? "Default Title";
          const discountAllocations = l.allocations.map((a) => ({ amount: money(a.amount), discountApplication: applications[a.application]! }));
          return {
            id: source?.key ?? l.id, title: l.title ?? productTitle, quantity: l.quantity, discountAllocations, sellingPlanAllocation: null,
            finalLinePrice: money(l.subtotal - l.allocations.reduce((n, a) => n + a.amount, 0)), properties: l.properties.map((p) => ({ key: p.name, value: p.value })),
            variant: {
              id: String(l.variantId), title: variantTitle, untranslatedTitle: variantTitle, sku: found?.variant.sku ?? null, image: null, price: money(Math.round(l.subtotal / l.quantity)),
              product: { id: String(found?.product.id ?? ""), title: productTitle, untranslatedTitle: productTitle, vendor: found?.product.vendor ?? "", type: found?.product.productType ?? "", url: `/products/${found?.product.handle ?? ""}` },
            },
          };
        }) as PixelEventsCheckoutCompletedData["checkout"]["lineItems"],
        localization: { country: { isoCode: null }, language: { isoCode: checkout.locale.toUpperCase() }, market: { id: null, handle: null } },
        order: { id: String(order.id), customer: customer === null ? null : { id: String(customer), isFirstOrder: [...store.orders.values()].filter((o) => o.customerId === customer).length === 1 } },
        phone: null, shippingAddress: null, shippingLine: null, smsMarketingPhone: null,
        subtotalPrice: money(priced.total), token: checkout.token, totalPrice: money(priced.total), totalTax: money(0), transactions: [],
      },
    } as PixelEventsCheckoutCompletedData;
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
        if (!(await complete(checkout))) return html(409, checkoutPage(checkout, checkout.priced!));
        return redirect(`${base}/thank-you`);
      }
      if (req.method !== "GET") return false;
      return checkout.orderId !== null ? redirect(`${base}/thank-you`) : html(200, checkoutPage(checkout, await price(checkout)));
    }
    if (req.method !== "GET") return false;
    if (checkout.orderId === null) return redirect(base);
    const order = store.orders.get(checkout.orderId)!;
    const events = checkout.completedSent ? [] : [{ name: "checkout_completed", data: completedEvent(checkout, order) }];
    checkout.completedSent = true;
    const tags = options.pixelTags({ url: `${options.publicUrl()}${base}/thank-you`, locale: checkout.locale, currency: checkout.currency, events });
    return html(200, thankYouPage(checkout, order, tags));
  }

  function checkoutPage(c: Checkout, priced: Priced): string {
    const t = TEXT[c.locale] ?? TEXT.en!;
    const money = (minor: number) => formatMoney(minor, { locale: c.locale, currency: c.currency });
    // Properties whose name starts with "_" are the app's, hidden from the shopper as on Shopify.
    const shownProperties = (properties: NameValue[]) => properties.filter((p) => !p.name.startsWith("_")).map((p) => `<br><small>${escape(p.name)}: ${escape(p.value)}</small>`).join("");
    const title = (variantId: number) => {
      const found = anyVariant(variantId);
      return found ? (found.variant.title === "Default Title" ? found.product.title : `${found.product.title} - ${found.variant.title}`) : "";
    };
    const rows = priced.lines.map((l) => {
      const source = l.kind === "line" ? c.lines.find((x) => x.key === l.components[0]?.sourceKey) : undefined;
      const name = source ? source.title : lineTitle(l);
      const image = l.image ?? (l.kind === "line" ? null : productImageUrl(options.publicUrl(), anyVariant(l.variantId)?.product.id ?? 0));
      // A bundle line lists what it holds, as Shopify's checkout does.
      const components = l.kind === "line" ? "" : `<br><small>${t.contains}:</small><ul data-checkout-components>${l.components.map((k) => `<li>${k.quantity} × ${escape(title(k.variantId))}</li>`).join("")}</ul>`;
      const discounted = l.allocations.reduce((n, a) => n + a.amount, 0);
      const discounts = l.allocations.map((a) => `<br><small data-checkout-line-discount>${escape(priced.applications[a.application]!.message)} (−${money(a.amount)})</small>`).join("");
      // The struck price is named for screen readers in words (a label on <s> is not announced).
      const amount = discounted ? `<s><span class="vh">${t.before}:</span> ${money(l.subtotal)}</s> ${money(l.subtotal - discounted)}` : money(l.subtotal);
      const picture = image ? `<img src="${escape(image)}" alt="" width="40" height="40"> ` : "";
      return `<tr data-checkout-line="${escape(source?.key ?? l.id)}"><th scope="row">${picture}${escape(name)}${shownProperties(l.properties)}${components}${discounts}</th><td>${l.quantity}</td><td>${amount}</td></tr>`;
    }).join("");
    const discountRows = priced.applications.map((a, i) => {
      const amount = priced.lines.reduce((n, l) => n + l.allocations.filter((x) => x.application === i).reduce((m, x) => m + x.amount, 0), 0);
      return amount ? `<tr data-checkout-discount><th scope="row">${t.discounts}: ${escape(a.message)}</th><td></td><td>−${money(amount)}</td></tr>` : "";
    }).join("");
    const body = `<main id="main"><h1>${t.title}</h1>
<section aria-labelledby="summary"><h2 id="summary">${t.summary}</h2>
<table><thead><tr><th scope="col"><span class="vh">${t.summary}</span></th><th scope="col">${t.quantity}</th><th scope="col">${t.total}</th></tr></thead><tbody>${rows}</tbody>
<tfoot><tr><th scope="row">${t.subtotal}</th><td></td><td data-checkout-subtotal>${money(priced.subtotal)}</td></tr>${discountRows}<tr><th scope="row">${t.total}</th><td></td><td data-checkout-total>${money(priced.total)}</td></tr></tfoot></table></section>
${priced.blocked ? `<p role="alert" data-checkout-blocked>${t.blocked}</p>` : `<form method="post" action="/checkouts/cn/${c.token}"><button type="submit">${t.pay}</button></form>`}</main>`;
    return page(c.locale, t.title, body, "");
  }

  function thankYouPage(c: Checkout, order: Order, pixelTags: string): string {
    const t = TEXT[c.locale] ?? TEXT.en!;
    const root = c.locale === "en" ? "/" : `/${c.locale}/`;
    const body = `<main id="main"><h1>${t.thanks}</h1><p role="status">${escape(t.confirmed.replace("{name}", order.name))}</p><p><a href="${root}">${t.continue}</a></p></main>`;
    return page(c.locale, t.thanks, body, pixelTags);
  }

  return { start, complete, price, handle, get: (token: string) => checkouts.get(token) };
}

function page(locale: string, title: string, body: string, head: string): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;max-width:720px;margin:0 auto;padding:16px}table{border-collapse:collapse;width:100%}ul{margin:0;padding-left:20px;font-size:14px}img{vertical-align:middle}td,th{padding:8px;border-bottom:1px solid #eee;text-align:left}
button{font:inherit;min-height:44px;padding:8px 24px;background:#1a1a1a;color:#fff;border:0;border-radius:4px}.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}</style>
${head}</head><body>${body}</body></html>`;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
