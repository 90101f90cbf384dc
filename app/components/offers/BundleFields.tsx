import { BlockStack, Button, Card, ChoiceList, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { blankBundle } from "~/offers/defaults";
import { useState } from "react";
import { MAX_COMPANIONS, companionMode, type BundleSpec, type BundleType, type CompanionMode } from "~/offers/model";
import { GiftFields } from "./GiftFields";
import { useT } from "~/i18n/i18n";
import { CatalogPicker } from "./CatalogPicker";
import { useEditor } from "./editor-context";
import { DiscountFields, FieldError } from "./fields";
import { ItemList } from "./ItemList";
import { LearnedCompanions } from "./LearnedCompanions";
import { Chips } from "./Chips";
import { CardHeading } from "../CardHeading";

const TYPES: BundleType[] = ["fbt", "fixed", "mix_match", "quantity_tiers", "gift"];

const count = (text: string) => (/^\d+$/.test(text) ? Number(text) : Number.NaN);

type Fbt = Extract<BundleSpec, { type: "fbt" }>;

/** Switching how companions are found keeps what still applies. */
function withMode(bundle: Fbt, mode: CompanionMode): Fbt {
  if (mode === "manual") return { ...bundle, learned: 0 };
  if (mode === "learned") return { ...bundle, companions: [], learned: bundle.learned || 3 };
  return { ...bundle, companions: bundle.companions.slice(0, MAX_COMPANIONS - 1), learned: bundle.learned || Math.max(1, Math.min(2, MAX_COMPANIONS - bundle.companions.length)) };
}

export function BundleFields({ bundle, onChange }: { bundle: BundleSpec; onChange: (bundle: BundleSpec) => void }) {
  const t = useT();
  const { products, collections, error } = useEditor();
  const productTitles = Object.fromEntries(Object.values(products).map((p) => [p.id, p.title]));
  return (
    <Card>
      <BlockStack gap="400">
        <CardHeading title={t("offers.bundle.heading")} />
        <Select
          label={t("offers.bundle.type")}
          id="bundle.type"
          options={TYPES.map((type) => ({ label: t(`offers.bundleType.${type}_label`), value: type }))}
          value={bundle.type}
          onChange={(type) => onChange(blankBundle(type as BundleType))}
          helpText={t(`offers.bundle.help.${bundle.type}`)}
        />
        {bundle.type === "fbt" && <FbtFields bundle={bundle} onChange={onChange} />}
        {bundle.type === "gift" && <GiftFields bundle={bundle} onChange={onChange} />}
        {bundle.type === "fixed" && (
          <ItemList items={bundle.items} onChange={(items) => onChange({ ...bundle, items })} path="bundle.items" pickLabel={t("offers.bundle.addItem")} max={10} />
        )}
        {bundle.type === "mix_match" && (
          <FormLayout>
            <Chips type="products" ids={bundle.productIds} labels={productTitles} onChange={(productIds) => onChange({ ...bundle, productIds })} label={t("offers.bundle.poolProducts")} path="bundle.productIds" />
            <Chips type="collections" ids={bundle.collectionIds} labels={collections} onChange={(collectionIds) => onChange({ ...bundle, collectionIds })} label={t("offers.bundle.poolCollections")} path="bundle.collectionIds" />
            <FormLayout.Group>
              <TextField label={t("offers.bundle.minItems")} id="bundle.minItems" type="number" autoComplete="off" value={Number.isNaN(bundle.minItems) ? "" : String(bundle.minItems)} onChange={(v) => onChange({ ...bundle, minItems: count(v) })} error={error("bundle.minItems")} />
              <TextField label={t("offers.bundle.maxItems")} id="bundle.maxItems" type="number" autoComplete="off" value={Number.isNaN(bundle.maxItems) ? "" : String(bundle.maxItems)} onChange={(v) => onChange({ ...bundle, maxItems: count(v) })} error={error("bundle.maxItems")} />
            </FormLayout.Group>
          </FormLayout>
        )}
        {bundle.type === "quantity_tiers" ? (
          <BlockStack gap="300">
            {bundle.tiers.map((tier, i) => (
              <Card key={i} background="bg-surface-secondary">
                <BlockStack gap="200">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="h3" variant="headingSm">{t("offers.bundle.tier", { n: i + 1 })}</Text>
                    <Button variant="tertiary" tone="critical" onClick={() => onChange({ ...bundle, tiers: bundle.tiers.filter((_, j) => j !== i) })}>{t("offers.items.remove")}</Button>
                  </InlineStack>
                  <TextField label={t("offers.bundle.tierQuantity")} id={`bundle.tiers.${i}.minQuantity`} type="number" autoComplete="off" value={Number.isNaN(tier.minQuantity) ? "" : String(tier.minQuantity)} onChange={(v) => onChange({ ...bundle, tiers: bundle.tiers.map((x, j) => (j === i ? { ...x, minQuantity: count(v) } : x)) })} error={error(`bundle.tiers.${i}.minQuantity`)} />
                  <DiscountFields value={tier.discount} path={`bundle.tiers.${i}.discount`} onChange={(discount) => onChange({ ...bundle, tiers: bundle.tiers.map((x, j) => (j === i ? { ...x, discount } : x)) })} />
                </BlockStack>
              </Card>
            ))}
            {bundle.tiers.length < 5 && (
              <InlineStack>
                <Button onClick={() => onChange({ ...bundle, tiers: [...bundle.tiers, { minQuantity: (bundle.tiers.at(-1)?.minQuantity ?? 1) + 1, discount: { type: "percentage", basisPoints: 1000 } }] })}>{t("offers.bundle.addTier")}</Button>
              </InlineStack>
            )}
            <FieldError message={error("bundle.tiers")} id="bundle.tiers" label={t("offers.bundle.heading")} />
          </BlockStack>
        ) : bundle.type === "gift" ? null : (
          <>
            <Text as="h3" variant="headingSm">{t("offers.bundle.price")}</Text>
            <DiscountFields value={bundle.discount} path="bundle.discount" fixed onChange={(discount) => onChange({ ...bundle, discount })} />
          </>
        )}
      </BlockStack>
    </Card>
  );
}

/** A product and what is bought with it: the merchant's picks, learned ones, or both. */
function FbtFields({ bundle, onChange }: { bundle: Fbt; onChange: (bundle: BundleSpec) => void }) {
  const t = useT();
  const { products, error } = useEditor();
  const productTitles = Object.fromEntries(Object.values(products).map((p) => [p.id, p.title]));
  // The merchant's choice, kept while it is not yet visible in the data (mixed, before a pick).
  const [mode, setMode] = useState<CompanionMode>(() => companionMode(bundle));
  return (
    <>
      {bundle.anchorProductId ? (
        <InlineStack gap="200" blockAlign="center">
          <Text as="p">{t("offers.bundle.anchor")}: <strong>{productTitles[bundle.anchorProductId] ?? bundle.anchorProductId}</strong></Text>
          <Button variant="plain" onClick={() => onChange({ ...bundle, anchorProductId: "" })}>{t("offers.bundle.changeAnchor")}</Button>
        </InlineStack>
      ) : (
        <CatalogPicker type="products" id="bundle.anchorProductId" label={t("offers.bundle.anchor")} onPick={(p) => onChange({ ...bundle, anchorProductId: p.id, companions: bundle.companions.filter((c) => c.productId !== p.id) })} error={error("bundle.anchorProductId")} />
      )}
      <ChoiceList
        title={t("offers.bundle.companions")}
        choices={(["manual", "learned", "mixed"] as const).map((m) => ({ label: t(`offers.learned.mode.${m}`), value: m, helpText: t(`offers.learned.modeHelp.${m}`) }))}
        selected={[mode]}
        onChange={([next]) => { setMode(next as CompanionMode); onChange(withMode(bundle, next as CompanionMode)); }}
      />
      {mode !== "learned" && (
        <ItemList items={bundle.companions} onChange={(companions) => onChange({ ...bundle, companions })} path="bundle.companions" pickLabel={t("offers.bundle.addCompanion")} max={MAX_COMPANIONS - bundle.learned} />
      )}
      {mode !== "manual" && (
        <BlockStack gap="200">
          <TextField
            label={t("offers.learned.count")}
            id="bundle.learned"
            type="number"
            min={1}
            max={MAX_COMPANIONS}
            autoComplete="off"
            value={Number.isNaN(bundle.learned) ? "" : String(bundle.learned)}
            onChange={(v) => onChange({ ...bundle, learned: count(v) })}
            error={error("bundle.learned")}
          />
          <LearnedCompanions anchorProductId={bundle.anchorProductId} count={bundle.learned} pinned={bundle.companions.map((c) => c.productId)} />
        </BlockStack>
      )}
    </>
  );
}
