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

/**
 * The shop's markets: each active one's currency and a country in it, the context Shopify
 * prices a variant in (`contextualPricing`). Needs `read_markets`.
 */
export const MARKETS_QUERY = `#graphql
  query UpliftMarkets($after: String) {
    markets(first: 50, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        handle
        status
        currencySettings {
          baseCurrency {
            currencyCode
          }
        }
        conditions {
          regionsCondition {
            regions(first: 1) {
              nodes {
                ... on MarketRegionCountry {
                  code
                }
              }
            }
          }
        }
      }
    }
  }
`;

/** Every variant's price for buyers in one country, as Shopify computes it (its market's currency, rate and rounding). */
export const VARIANT_PRICES_PAGE_QUERY = `#graphql
  query UpliftVariantPricesPage($country: CountryCode!, $after: String) {
    productVariants(first: 100, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        product {
          id
        }
        contextualPricing(context: { country: $country }) {
          price {
            amount
            currencyCode
          }
          compareAtPrice {
            amount
            currencyCode
          }
        }
      }
    }
  }
`;

/** One product's variant prices for buyers in one country: after a products/update. */
export const PRODUCT_PRICES_QUERY = `#graphql
  query UpliftProductPrices($id: ID!, $country: CountryCode!) {
    product(id: $id) {
      variants(first: 20) {
        nodes {
          id
          contextualPricing(context: { country: $country }) {
            price {
              amount
              currencyCode
            }
            compareAtPrice {
              amount
              currencyCode
            }
          }
        }
      }
    }
  }
`;
