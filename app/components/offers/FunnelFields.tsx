import { BlockStack, Box, Button, Card, Checkbox, InlineStack, Text, TextField } from "@shopify/polaris";
import { MAX_FUNNEL_DEPTH, type FunnelStep } from "~/offers/model";
import { useT } from "~/i18n/i18n";
import { CatalogPicker } from "./CatalogPicker";
import { useEditor } from "./editor-context";
import { DiscountFields, FieldError } from "./fields";
import { VariantSelect } from "./ItemList";
import { CardHeading } from "../CardHeading";

const blankStep = (): FunnelStep => ({ item: { productId: "", variantId: null, quantity: 1 }, learned: false, discount: { type: "percentage", basisPoints: 1000 }, headline: "", accept: null, decline: null });

/** One offer of the funnel and, beneath it, what follows a yes and what follows a no. */
function StepEditor({ step, onChange, path, depth, label }: { step: FunnelStep; onChange: (step: FunnelStep | null) => void; path: string; depth: number; label: string }) {
  const t = useT();
  const { products, error } = useEditor();
  const title = products[step.item.productId]?.title;
  const branch = (which: "accept" | "decline") => {
    const child = step[which];
    const name = t(which === "accept" ? "offers.funnel.ifAccepted" : "offers.funnel.ifDeclined");
    return (
      <Box paddingInlineStart="400" borderInlineStartWidth="025" borderColor="border">
        <BlockStack gap="200">
          <Text as="p" tone={which === "accept" ? "success" : "caution"} fontWeight="semibold">{name}</Text>
          {child ? (
            <StepEditor step={child} depth={depth + 1} path={`${path}.${which}`} label={t(which === "accept" ? "offers.funnel.nextOffer" : "offers.funnel.downsell")} onChange={(next) => onChange({ ...step, [which]: next })} />
          ) : depth < MAX_FUNNEL_DEPTH ? (
            <InlineStack>
              <Button onClick={() => onChange({ ...step, [which]: blankStep() })}>{t(which === "accept" ? "offers.funnel.addNext" : "offers.funnel.addDownsell")}</Button>
            </InlineStack>
          ) : (
            <Text as="p" tone="subdued">{t("offers.funnel.end")}</Text>
          )}
        </BlockStack>
      </Box>
    );
  };
  return (
    <BlockStack gap="300">
      <Card background={depth > 1 ? "bg-surface-secondary" : "bg-surface"}>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h3" variant="headingSm">{label}{title ? `: ${title}` : ""}</Text>
            {depth > 1 && <Button variant="tertiary" tone="critical" onClick={() => onChange(null)}>{t("offers.funnel.removeStep")}</Button>}
          </InlineStack>
          {step.item.productId ? (
            <InlineStack gap="300" blockAlign="end">
              <VariantSelect label={t("offers.items.variant")} productId={step.item.productId} variantId={step.item.variantId} onChange={(variantId) => onChange({ ...step, item: { ...step.item, variantId } })} />
              <Button variant="plain" onClick={() => onChange({ ...step, item: { ...step.item, productId: "", variantId: null } })}>{t("offers.funnel.changeProduct")}</Button>
            </InlineStack>
          ) : (
            <CatalogPicker type="products" id={`${path}.item.productId`} label={t("offers.funnel.product")} variants onPick={(p, variantId) => onChange({ ...step, item: { productId: p.id, variantId: variantId ?? null, quantity: 1 } })} error={error(`${path}.item.productId`)} />
          )}
          <Checkbox label={t("offers.funnel.learned")} helpText={t("offers.funnel.learnedHelp")} checked={step.learned} onChange={(learned) => onChange({ ...step, learned })} />
          <TextField label={t("offers.funnel.headline")} id={`${path}.headline`} autoComplete="off" value={step.headline} onChange={(headline) => onChange({ ...step, headline })} error={error(`${path}.headline`)} maxLength={120} />
          <DiscountFields value={step.discount} path={`${path}.discount`} onChange={(discount) => onChange({ ...step, discount })} />
        </BlockStack>
      </Card>
      {branch("accept")}
      {branch("decline")}
    </BlockStack>
  );
}

export function FunnelFields({ root, onChange }: { root: FunnelStep; onChange: (root: FunnelStep) => void }) {
  const t = useT();
  const { error } = useEditor();
  return (
    <Card>
      <BlockStack gap="400">
        <CardHeading title={t("offers.funnel.heading")} help={t("offers.funnel.help")} />
        <StepEditor step={root} depth={1} path="root" label={t("offers.funnel.firstOffer")} onChange={(next) => next && onChange(next)} />
        <FieldError message={error("root")} id="root" label={t("offers.funnel.heading")} />
      </BlockStack>
    </Card>
  );
}
