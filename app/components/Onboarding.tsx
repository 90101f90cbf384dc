// What a merchant does first, and what is already done: a section of the dashboard until every
// step is done. (Turning on the storefront and checkout extensions joins once they exist.)
import { Badge, BlockStack, Box, Button, ButtonGroup, Card, InlineStack, Layout, Text } from "@shopify/polaris";
import { useT } from "~/i18n/i18n";

export interface OnboardingState {
  catalogSynced: boolean;
  hasOffer: boolean;
}

export function Onboarding({ state, onSync, syncing }: { state: OnboardingState; onSync: () => void; syncing: boolean }) {
  const t = useT();
  const steps = [
    { key: "catalog", done: state.catalogSynced, actions: <Button onClick={onSync} loading={syncing}>{t("dashboard.onboarding.catalog.action")}</Button> },
    {
      key: "offer",
      done: state.hasOffer,
      actions: (
        <ButtonGroup>
          <Button variant="primary" url="/app/suggestions">{t("dashboard.onboarding.offer.action")}</Button>
          <Button url="/app/bundles/new">{t("dashboard.onboarding.offer.secondary")}</Button>
        </ButtonGroup>
      ),
    },
  ];
  const done = steps.filter((s) => s.done).length;
  if (done === steps.length) return null;
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">{t("dashboard.onboarding.heading")}</Text>
            <Text as="p" tone="subdued">{t("dashboard.onboarding.progress", { done, total: steps.length })}</Text>
          </InlineStack>
          <BlockStack gap="300" as="ol">
            {steps.map((step) => (
              <Box as="li" key={step.key} padding="300" background={step.done ? "bg-surface" : "bg-surface-secondary"} borderRadius="200">
                <div data-testid={`onboarding-${step.key}`}>
                  <BlockStack gap="200">
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="h3" variant="headingSm">{t(`dashboard.onboarding.${step.key}.title`)}</Text>
                      <Badge tone={step.done ? "success" : undefined}>{t(step.done ? "dashboard.onboarding.done" : "dashboard.onboarding.todo")}</Badge>
                    </InlineStack>
                    {!step.done && (
                      <>
                        <Text as="p" tone="subdued">{t(`dashboard.onboarding.${step.key}.body`)}</Text>
                        <InlineStack>{step.actions}</InlineStack>
                      </>
                    )}
                  </BlockStack>
                </div>
              </Box>
            ))}
          </BlockStack>
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}
