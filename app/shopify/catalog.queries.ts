// Admin GraphQL documents for the catalog mirror. Validated against Shopify's schema in
// tests/unit/admin-documents.test.ts.

export const SHOP_QUERY = `#graphql
  query UpliftShop {
    shop {
      name
      myshopifyDomain
      currencyCode
      enabledPresentmentCurrencies
      ianaTimezone
    }
  }
`;

export const PRODUCTS_COUNT_QUERY = `#graphql
  query UpliftProductsCount {
    productsCount(limit: null) {
      count
    }
  }
`;

export const PRODUCTS_PAGE_QUERY = `#graphql
  query UpliftProductsPage($after: String) {
    products(first: 10, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        title
        handle
        status
        vendor
        productType
        tags
        updatedAt
        featuredMedia {
          preview {
            image {
              url
            }
          }
        }
        variants(first: 20) {
          nodes {
            id
            title
            sku
            price
            compareAtPrice
            inventoryQuantity
            availableForSale
            position
            selectedOptions {
              name
              value
            }
          }
        }
        collections(first: 10) {
          nodes {
            id
          }
        }
      }
    }
  }
`;

export const COLLECTIONS_PAGE_QUERY = `#graphql
  query UpliftCollectionsPage($after: String) {
    collections(first: 100, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        title
        handle
      }
    }
  }
`;
