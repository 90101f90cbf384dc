import { BlockStack, Text } from "@shopify/polaris";

/** A card's title and, under it, one line of help in the subdued tone. */
export function CardHeading({ title, help }: { title: string; help?: string }) {
  return (
    <BlockStack gap="100">
      <Text as="h2" variant="headingMd">{title}</Text>
      {help && <Text as="p" tone="subdued">{help}</Text>}
    </BlockStack>
  );
}
