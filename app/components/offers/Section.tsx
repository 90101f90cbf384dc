// A part of the editor most offers leave as it is: closed, it says in one line what is set;
// it opens on a click, or by itself when one of its fields has a problem to fix.
import { useState, type ReactNode } from "react";
import { BlockStack, Button, Card, Collapsible, Text } from "@shopify/polaris";

export function Section({ id, title, summary, hasErrors, children }: { id: string; title: string; summary: string; hasErrors: boolean; children: ReactNode }) {
  const [opened, setOpened] = useState(false);
  const open = opened || hasErrors;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          <Button variant="monochromePlain" textAlign="left" disclosure={open ? "up" : "down"} ariaExpanded={open} ariaControls={id} onClick={() => setOpened(!open)}>
            {title}
          </Button>
        </Text>
        {!open && <Text as="p" tone="subdued"><span data-testid={`${id}-summary`}>{summary}</span></Text>}
        <Collapsible id={id} open={open}>
          {children}
        </Collapsible>
      </BlockStack>
    </Card>
  );
}
