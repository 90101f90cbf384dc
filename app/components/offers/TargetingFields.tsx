import { BlockStack, Checkbox, ChoiceList, FormLayout, InlineStack, Text } from "@shopify/polaris";
import { PLACEMENTS, type OfferKind, type Targeting } from "~/offers/model";
import { useT } from "~/i18n/i18n";
import { useEditor } from "./editor-context";
import { FieldError, FieldGroup, ListInput, MoneyInput } from "./fields";
import { Chips } from "./Chips";
import { Section } from "./Section";

/** The closed section's line: where, to whom, and how many more conditions narrow it. */
function useTargetingSummary(kind: OfferKind, targeting: Targeting): string {
  const t = useT();
  const p = targeting.products;
  const conditions = [p.productIds, p.variantIds, p.collectionIds, p.tags, p.vendors, p.productTypes, targeting.customerTags.include, targeting.customerTags.exclude, targeting.currencies, targeting.markets]
    .filter((list) => list.length > 0).length + Object.keys(targeting.subtotal).length + (targeting.excludePurchased ? 1 : 0);
  const where = kind === "funnel" ? t("offers.placement.post_purchase") : targeting.placements.map((place) => t(`offers.placement.${place}`)).join(", ") || t("offers.sections.nowhere");
  return [where, t(`offers.customerType.${targeting.customerType}`), conditions ? t("offers.sections.conditions", { count: conditions }) : t("offers.sections.noConditions")].join(" · ");
}

export function TargetingFields({ kind, targeting, onChange }: { kind: OfferKind; targeting: Targeting; onChange: (targeting: Targeting) => void }) {
  const t = useT();
  const { currencies, products, collections, error, hasErrors } = useEditor();
  const set = (patch: Partial<Targeting>) => onChange({ ...targeting, ...patch });
  const setProducts = (patch: Partial<Targeting["products"]>) => set({ products: { ...targeting.products, ...patch } });
  const placements = PLACEMENTS.filter((p) => (p === "post_purchase") === (kind === "funnel"));
  const setRange = (currency: string, bound: "min" | "max", minor: number | undefined) => {
    const range = { min: targeting.subtotal[currency]?.min ?? null, max: targeting.subtotal[currency]?.max ?? null, [bound]: minor ?? null };
    const subtotal = { ...targeting.subtotal, [currency]: range };
    if (range.min === null && range.max === null) delete subtotal[currency];
    set({ subtotal });
  };
  const summary = useTargetingSummary(kind, targeting);
  return (
    <Section id="targeting-section" title={t("offers.targeting.heading")} summary={summary} hasErrors={hasErrors((path) => path.startsWith("targeting"))}>
      <BlockStack gap="400">
        {placements.length > 1 ? (
          <FieldGroup id="targeting.placements" label={t("offers.targeting.placements")}>
          <ChoiceList
            title={t("offers.targeting.placements")}
            allowMultiple
            choices={placements.map((p) => ({ label: t(`offers.placement.${p}`), value: p }))}
            selected={targeting.placements}
            onChange={(selected) => set({ placements: selected as Targeting["placements"] })}
            error={error("targeting.placements")}
          />
          </FieldGroup>
        ) : (
          <Text as="p">{t("offers.targeting.onlyAfterPayment")}</Text>
        )}
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">{t("offers.targeting.triggers")}</Text>
          <Text as="p" tone="subdued">{t(`offers.targeting.triggersHelp.${kind}`)}</Text>
          <Chips type="products" ids={targeting.products.productIds} labels={Object.fromEntries(Object.values(products).map((p) => [p.id, p.title]))} onChange={(productIds) => setProducts({ productIds })} label={t("offers.targeting.products")} path="targeting.products.productIds" />
          <Chips type="collections" ids={targeting.products.collectionIds} labels={collections} onChange={(collectionIds) => setProducts({ collectionIds })} label={t("offers.targeting.collections")} path="targeting.products.collectionIds" />
          <FormLayout>
            <FormLayout.Group>
              <ListInput id="targeting.products.tags" label={t("offers.targeting.tags")} values={targeting.products.tags} onChange={(tags) => setProducts({ tags })} helpText={t("offers.targeting.commaHelp")} />
              <ListInput id="targeting.products.vendors" label={t("offers.targeting.vendors")} values={targeting.products.vendors} onChange={(vendors) => setProducts({ vendors })} />
              <ListInput id="targeting.products.productTypes" label={t("offers.targeting.productTypes")} values={targeting.products.productTypes} onChange={(productTypes) => setProducts({ productTypes })} />
            </FormLayout.Group>
          </FormLayout>
        </BlockStack>
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">{t("offers.targeting.cartValue")}</Text>
          {currencies.map((currency) => (
            <InlineStack key={currency} gap="300" wrap>
              <MoneyInput id={`targeting.subtotal.${currency}.min`} label={t("offers.targeting.minSubtotal", { currency })} currency={currency} value={targeting.subtotal[currency]?.min ?? undefined} onChange={(m) => setRange(currency, "min", m)} error={error(`targeting.subtotal.${currency}.min`)} />
              <MoneyInput id={`targeting.subtotal.${currency}.max`} label={t("offers.targeting.maxSubtotal", { currency })} currency={currency} value={targeting.subtotal[currency]?.max ?? undefined} onChange={(m) => setRange(currency, "max", m)} error={error(`targeting.subtotal.${currency}.max`)} />
            </InlineStack>
          ))}
        </BlockStack>
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">{t("offers.targeting.customers")}</Text>
          <ChoiceList
            title={t("offers.targeting.customerType")}
            choices={(["any", "first_time", "returning"] as const).map((value) => ({ label: t(`offers.customerType.${value}`), value }))}
            selected={[targeting.customerType]}
            onChange={([value]) => set({ customerType: value as Targeting["customerType"] })}
          />
          <FormLayout>
            <FormLayout.Group>
              <ListInput id="targeting.customerTags.include" label={t("offers.targeting.includeTags")} values={targeting.customerTags.include} onChange={(include) => set({ customerTags: { ...targeting.customerTags, include } })} helpText={t("offers.targeting.commaHelp")} />
              <ListInput id="targeting.customerTags.exclude" label={t("offers.targeting.excludeTags")} values={targeting.customerTags.exclude} onChange={(exclude) => set({ customerTags: { ...targeting.customerTags, exclude } })} />
            </FormLayout.Group>
          </FormLayout>
          <Checkbox label={t("offers.targeting.excludePurchased")} checked={targeting.excludePurchased} onChange={(excludePurchased) => set({ excludePurchased })} />
        </BlockStack>
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">{t("offers.targeting.markets")}</Text>
          <FieldGroup id="targeting.currencies" label={t("offers.targeting.currencies")}>
          <ChoiceList
            title={t("offers.targeting.currencies")}
            allowMultiple
            choices={currencies.map((c) => ({ label: c, value: c }))}
            selected={targeting.currencies}
            onChange={(selected) => set({ currencies: selected })}
            error={error("targeting.currencies")}
          />
          </FieldGroup>
          <Text as="p" tone="subdued">{t("offers.targeting.allCurrencies")}</Text>
          <ListInput id="targeting.markets" label={t("offers.targeting.marketHandles")} values={targeting.markets} onChange={(markets) => set({ markets })} helpText={t("offers.targeting.marketHelp")} />
        </BlockStack>
        <FieldError message={error("targeting")} id="targeting" label={t("offers.targeting.heading")} />
      </BlockStack>
    </Section>
  );
}
