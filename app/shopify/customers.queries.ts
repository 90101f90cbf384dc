// Admin GraphQL documents about one customer, for the app proxy's customer-tag targeting.
// Validated in tests against the schema.

export const CUSTOMER_TAGS_QUERY = `#graphql
  query CustomerTags($id: ID!) {
    customer(id: $id) {
      id
      tags
    }
  }
`;

export interface CustomerTagsResult {
  customer: { id: string; tags: string[] } | null;
}
