// Admin GraphQL documents for the order history backfill (a bulk operation: one query,
// Shopify writes every order to a JSONL file). Validated in tests against the schema.

/** The query the bulk operation runs; validated on its own as well. */
export const BULK_ORDERS_INNER_QUERY = `#graphql
  {
    orders {
      edges {
        node {
          id
          createdAt
          cancelledAt
          currencyCode
          customer {
            id
          }
          totalPriceSet {
            shopMoney {
              amount
              currencyCode
            }
          }
          lineItems {
            edges {
              node {
                id
                quantity
                currentQuantity
                product {
                  id
                }
                variant {
                  id
                }
                originalUnitPriceSet {
                  shopMoney {
                    amount
                    currencyCode
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

export const BULK_RUN_QUERY_MUTATION = `#graphql
  mutation UpliftBulkRunQuery($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const BULK_OPERATION_QUERY = `#graphql
  query UpliftBulkOperation($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      url
    }
  }
`;

/** How many orders the backfill brings, so its progress counts orders, not order lines. */
export const ORDERS_COUNT_QUERY = `#graphql
  query UpliftOrdersCount {
    ordersCount(limit: null) {
      count
    }
  }
`;
