// Admin GraphQL documents for the checkout's Functions: the shop's Cart Transform and
// automatic app discount, and the bundle parent products the Cart Transform merges into.
// Validated against Shopify's schema in tests/unit/admin-documents.test.ts.

export const CART_TRANSFORM_CREATE_MUTATION = `#graphql
  mutation UpliftCartTransformCreate($functionHandle: String!) {
    cartTransformCreate(functionHandle: $functionHandle, blockOnFailure: false) {
      cartTransform {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/** The app's own cart transforms (Shopify allows one per app per shop). */
export const CART_TRANSFORMS_QUERY = `#graphql
  query UpliftCartTransforms {
    cartTransforms(first: 5) {
      nodes {
        id
        functionId
      }
    }
  }
`;

export const DISCOUNT_CREATE_MUTATION = `#graphql
  mutation UpliftDiscountCreate($discount: DiscountAutomaticAppInput!) {
    discountAutomaticAppCreate(automaticAppDiscount: $discount) {
      automaticAppDiscount {
        discountId
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const PARENT_PRODUCT_CREATE_MUTATION = `#graphql
  mutation UpliftBundleParentCreate($product: ProductCreateInput!) {
    productCreate(product: $product) {
      product {
        id
        variants(first: 1) {
          nodes {
            id
          }
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** The parent's title and its price in the shop's currency (what a parent added directly costs). */
export const PARENT_PRODUCT_UPDATE_MUTATION = `#graphql
  mutation UpliftBundleParentUpdate($product: ProductUpdateInput!, $productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
    productUpdate(product: $product) {
      userErrors {
        field
        message
      }
    }
    productVariantsBulkUpdate(productId: $productId, variants: $variants) {
      userErrors {
        field
        message
      }
    }
  }
`;

export const PARENT_COMPONENTS_MUTATION = `#graphql
  mutation UpliftBundleComponents($input: [ProductVariantRelationshipUpdateInput!]!) {
    productVariantRelationshipBulkUpdate(input: $input) {
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const PARENT_PRODUCT_DELETE_MUTATION = `#graphql
  mutation UpliftBundleParentDelete($id: ID!) {
    productDelete(input: { id: $id }) {
      deletedProductId
      userErrors {
        field
        message
      }
    }
  }
`;
