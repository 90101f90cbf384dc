// Admin GraphQL documents for writing what the storefront and checkout read. Validated
// against Shopify's schema in tests/unit/admin-documents.test.ts.

export const SHOP_ID_QUERY = `#graphql
  query UpliftShopId {
    shop {
      id
    }
  }
`;

/** At most 25 metafields per call (Shopify's limit). */
export const METAFIELDS_SET_MUTATION = `#graphql
  mutation UpliftMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        key
        namespace
        ownerType
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const METAFIELDS_DELETE_MUTATION = `#graphql
  mutation UpliftMetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      deletedMetafields {
        ownerId
        namespace
        key
      }
      userErrors {
        field
        message
      }
    }
  }
`;
