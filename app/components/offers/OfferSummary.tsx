// Exactly what a shopper is offered and at what price, per currency, computed by the same
// engine the storefront's data comes from (app/offers), on the products picked so far.
import { BlockStack, Card, List, Text } from "@shopify/polaris";
import { catalogOf } from "~/offers/catalog";
import { funnelSteps, type Offer, type OfferDefinition } from "~/offers/model";
import type { Price } from "~/offers/pricing";
import { buildProposal, type Proposal } from "~/offers/proposals";
import { triggerTargets } from "~/offers/targeting";
import { useFormat, useT } from "~/i18n/i18n";
import { useEditor } from "./editor-context";
import { CardHeading } from "../CardHeading";

/** A product that sets the offer off, to show the offer as its page would. */
function exampleTrigger(offer: OfferDefinition, catalog: ReturnType<typeof catalogOf>): { productId: string; variantId: string | null } | null {
  if (offer.kind === "upgrade") {
    const first = offer.rungs[0];
    return first ? { productId: first.productId, variantId: first.variantId ?? catalog.product(first.productId)?.variants[0]?.id ?? null } : null;
  }
  const targets = triggerTargets({ ...offer, id: "preview", createdAt: 0 } as Offer);
  const productId = targets === "any" ? (offer.kind === "bundle" ? offer.targeting.products.productIds[0] : null) : targets.productIds[0];
  return productId ? { productId, variantId: catalog.product(productId)?.variants.find((v) => v.available)?.id ?? null } : null;
}

/** The gift as a cart without trigger products sees it, or else with the first trigger product. */
function giftProposal(offer: Offer, catalog: ReturnType<typeof catalogOf>, currency: string, triggerProductIds: string[]): Proposal | null {
  const present = (triggers: { productId: string; variantId: null }[]) => ({ productIds: new Set<string>(), variantIds: new Set<string>(), purchased: new Set<string>(), triggers });
  return buildProposal(offer, catalog, currency, present([])) ?? (triggerProductIds[0] ? buildProposal(offer, catalog, currency, present([{ productId: triggerProductIds[0], variantId: null }])) : null);
}

export function OfferSummary({ offer }: { offer: OfferDefinition }) {
  const t = useT();
  const { currencies, products, learned } = useEditor();
  const catalog = catalogOf(Object.values(products), { companions: new Map(Object.entries(learned)) });
  const { money } = useFormat();
  const name = (productId: string, variantId?: string) => {
    const product = products[productId];
    const variant = product?.variants.find((v) => v.id === variantId);
    return [product?.title ?? productId, variant && product!.variants.length > 1 ? variant.title : null].filter(Boolean).join(" — ");
  };
  const trigger = exampleTrigger(offer, catalog);
  const full = { ...offer, id: "preview", createdAt: 0, status: "active" } as Offer;
  const present = { productIds: new Set<string>(), variantIds: new Set<string>(), purchased: new Set<string>(), triggers: trigger ? [trigger] : [] };
  const price = (p: Price) => (p.price === p.regular ? money(p.price, p.currency) : t("offers.summary.price", { price: money(p.price, p.currency), regular: money(p.regular, p.currency) }));

  // A gift is described by what earns it, not from one product's page.
  const gift = offer.kind === "bundle" && offer.bundle.type === "gift" ? offer.bundle : null;
  const describe = (proposal: Proposal, currency: string): string => {
    switch (proposal.type) {
      case "bundle":
        return t("offers.summary.bundle", { items: proposal.items.map((i) => `${i.quantity} × ${name(i.productId, i.variantId)}`).join(" + "), price: price(proposal.price) });
      case "mix_match":
        return t("offers.summary.mixMatch", { min: proposal.minItems, count: proposal.choices.length, price: price(proposal.example) });
      case "tiers":
        return proposal.tiers.map((tier) => t("offers.summary.tier", { quantity: tier.minQuantity, price: price(tier.unit) })).join(" · ");
      case "upgrade":
        return t("offers.summary.upgrade", { from: name(proposal.from.productId, proposal.from.variantId), to: name(proposal.to.productId, proposal.to.variantId), price: price(proposal.difference) });
      case "funnel_step":
        return t("offers.summary.funnel", { item: name(proposal.item.productId, proposal.item.variantId), price: price(proposal.price) });
      case "gift": {
        const item = `${proposal.item.quantity} × ${name(proposal.item.productId, proposal.item.variantId)}`;
        const worth = money(proposal.item.unitPrice * proposal.item.quantity, currency);
        const triggers = (gift?.triggerProductIds ?? []).map((id) => name(id)).join(", ");
        const amount = proposal.threshold === null ? null : money(proposal.threshold, currency);
        if (amount && triggers) return t("offers.summary.giftEither", { item, price: worth, amount, products: triggers });
        return amount ? t("offers.summary.giftThreshold", { item, price: worth, amount }) : t("offers.summary.giftTriggers", { item, price: worth, products: triggers });
      }
    }
  };

  // The catalog mirror holds prices in the store currency only: say so, rather than "not offered".
  const priced = (currency: string) => Object.values(products).some((p) => p.variants.some((v) => v.prices[currency] !== undefined));
  const lines = currencies.map((currency) => {
    const proposal = gift ? giftProposal(full, catalog, currency, gift.triggerProductIds) : trigger || offer.kind === "funnel" ? buildProposal(full, catalog, currency, present) : null;
    const fallback = Object.keys(products).length && !priced(currency) ? t("offers.summary.noPrices", { currency }) : t("offers.summary.none");
    return { currency, text: proposal ? describe(proposal, currency) : fallback };
  });
  return (
    <Card>
      <BlockStack gap="200">
        <CardHeading title={t("offers.summary.heading")} />
        {trigger && !gift && <Text as="p" tone="subdued">{t("offers.summary.when", { product: name(trigger.productId, trigger.variantId ?? undefined) })}</Text>}
        <div aria-live="polite">
          <List>
            {lines.map((line) => (
              <List.Item key={line.currency}><strong>{line.currency}</strong>: {line.text}</List.Item>
            ))}
          </List>
        </div>
        {offer.kind === "funnel" && <Text as="p" tone="subdued">{t("offers.summary.steps", { count: funnelSteps(offer.root).length })}</Text>}
        {((offer.kind === "funnel" && funnelSteps(offer.root).some((s) => s.learned)) || (offer.kind === "upgrade" && offer.learned)) && (
          <Text as="p" tone="subdued">{t(offer.kind === "funnel" ? "offers.summary.funnelLearned" : "offers.summary.ladderLearned")}</Text>
        )}
        <Text as="p" tone="subdued">{t("offers.summary.rules")}</Text>
      </BlockStack>
    </Card>
  );
}
