import { Card, EmptyState, Layout, Page } from "@shopify/polaris";
import { useT } from "~/i18n/i18n";

/** An honest page for a part of Uplift that later work builds. */
export function NotBuiltYet({ title, heading, body }: { title: string; heading: string; body: string }) {
  const t = useT();
  return (
    <Page title={title}>
      <Layout>
        <Layout.Section>
          <Card>
            <EmptyState heading={heading} image="">
              <p>{body}</p>
              <p><strong>{t("placeholder.notBuilt")}</strong></p>
            </EmptyState>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
