import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Button, Card, EmptyState, IndexTable, Layout, Page, Text } from "@shopify/polaris";
import { authenticate } from "~/shopify.server";
import { listDataRequests } from "~/shop/lifecycle.server";
import { useFormat, useT } from "~/i18n/i18n";

// Customers' data requests (customers/data_request): what Uplift held about each customer when
// Shopify asked, for the merchant to download and send on.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return Response.json({ requests: await listDataRequests(session.shop) });
};

type Loaded = { requests: Awaited<ReturnType<typeof listDataRequests>> };

export default function Privacy() {
  const { requests } = useLoaderData<Loaded>();
  const t = useT();
  const format = useFormat();
  return (
    <Page title={t("privacy.title")} backAction={{ content: t("nav.settings"), url: "/app/settings" }}>
      <Layout>
        <Layout.Section>
          <Card padding={requests.length ? "0" : undefined}>
            {requests.length ? (
              <IndexTable
                resourceName={{ singular: t("privacy.request"), plural: t("privacy.requests") }}
                itemCount={requests.length}
                selectable={false}
                headings={[{ title: t("privacy.received") }, { title: t("privacy.customer") }, { title: t("privacy.orders") }, { title: t("privacy.report") }]}
              >
                {requests.map((r, index) => (
                  <IndexTable.Row id={r.id} key={r.id} position={index}>
                    <IndexTable.Cell>{format.dateTime(r.createdAt)}</IndexTable.Cell>
                    <IndexTable.Cell>{r.customerId.split("/").pop()}</IndexTable.Cell>
                    <IndexTable.Cell>{format.number(r.orders)}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Button url={`/app/privacy/${encodeURIComponent(r.id)}`} download accessibilityLabel={t("privacy.downloadFor", { customer: r.customerId.split("/").pop() })}>
                        {t("privacy.download")}
                      </Button>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            ) : (
              <EmptyState heading={t("privacy.emptyHeading")} image="">
                <p>{t("privacy.emptyBody")}</p>
              </EmptyState>
            )}
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">{t("privacy.whatHeading")}</Text>
              <Text as="p">{t("privacy.whatBody")}</Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
