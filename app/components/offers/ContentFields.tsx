import { BlockStack, Button, Card, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import type { ContentVariant } from "~/offers/model";
import { useT } from "~/i18n/i18n";
import { useEditor } from "./editor-context";
import { FieldError } from "./fields";
import { Section } from "./Section";
import { CardHeading } from "../CardHeading";

const MAX_VARIANTS = 4;

/** Weights that add up to 100, as even as whole numbers allow. */
function evenSplit(variants: ContentVariant[]): ContentVariant[] {
  const base = Math.floor(100 / variants.length);
  return variants.map((v, i) => ({ ...v, weight: base + (i < 100 - base * variants.length ? 1 : 0) }));
}

/**
 * The shopper-facing words first; other versions to test against them (an A/B test with a
 * traffic split) in a section of their own, closed until wanted.
 */
export function ContentFields({ content, onChange }: { content: ContentVariant[]; onChange: (content: ContentVariant[]) => void }) {
  const t = useT();
  const { error, hasErrors } = useEditor();
  const update = (i: number, patch: Partial<ContentVariant>) => onChange(content.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  const nextId = () => "abcd".split("").find((id) => !content.some((v) => v.id === id)) ?? `v${content.length}`;
  const testing = content.length > 1;
  const words = (variant: ContentVariant, i: number) => (
    <FormLayout>
      <TextField label={t("offers.content.title")} id={`content.${i}.title`} autoComplete="off" value={variant.title} onChange={(title) => update(i, { title })} error={error(`content.${i}.title`)} maxLength={120} />
      <TextField label={t("offers.content.body")} id={`content.${i}.body`} autoComplete="off" multiline={2} value={variant.body} onChange={(body) => update(i, { body })} error={error(`content.${i}.body`)} maxLength={500} />
    </FormLayout>
  );
  const weight = (variant: ContentVariant, i: number) => (
    <TextField label={t("offers.content.weightOf", { id: variant.id.toUpperCase() })} id={`content.${i}.weight`} type="number" suffix="%" autoComplete="off" value={Number.isNaN(variant.weight) ? "" : String(variant.weight)} onChange={(w) => update(i, { weight: /^\d+$/.test(w) ? Number(w) : Number.NaN })} error={error(`content.${i}.weight`)} />
  );
  const summary = testing
    ? t("offers.sections.testing", { count: content.length, split: content.map((v) => `${v.id.toUpperCase()} ${Number.isNaN(v.weight) ? "—" : v.weight} %`).join(" · ") })
    : t("offers.sections.noTest");
  return (
    <>
      <Card>
        <BlockStack gap="400">
          <CardHeading title={t("offers.content.heading")} help={t(testing ? "offers.content.abHelp" : "offers.content.help")} />
          {content[0] && words(content[0], 0)}
        </BlockStack>
      </Card>
      <Section id="versions-section" title={t("offers.sections.versions")} summary={summary} hasErrors={hasErrors((path) => path === "content" || (path.startsWith("content.") && !/^content\.0\.(title|body)$/.test(path)))}>
        <BlockStack gap="400">
          {content.slice(1).map((variant, k) => (
            <BlockStack key={variant.id} gap="200">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h3" variant="headingSm">{t("offers.content.version", { id: variant.id.toUpperCase() })}</Text>
                <Button variant="tertiary" tone="critical" onClick={() => onChange(evenSplit(content.filter((_, j) => j !== k + 1)))}>{t("offers.items.remove")}</Button>
              </InlineStack>
              {words(variant, k + 1)}
            </BlockStack>
          ))}
          {testing && (
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">{t("offers.content.weight")}</Text>
              <InlineStack gap="300" wrap>{content.map((variant, i) => <div key={variant.id} style={{ width: 140 }}>{weight(variant, i)}</div>)}</InlineStack>
            </BlockStack>
          )}
          <InlineStack gap="200">
            {content.length < MAX_VARIANTS && <Button onClick={() => onChange(evenSplit([...content, { id: nextId(), weight: 0, title: content[0]?.title ?? "", body: content[0]?.body ?? "" }]))}>{t("offers.content.addVersion")}</Button>}
            {testing && <Button variant="plain" onClick={() => onChange(evenSplit(content))}>{t("offers.content.splitEvenly")}</Button>}
          </InlineStack>
          <FieldError message={error("content")} id="content" label={t("offers.content.heading")} />
        </BlockStack>
      </Section>
    </>
  );
}
