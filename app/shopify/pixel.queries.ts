// Admin GraphQL documents that connect Uplift's web pixel (extensions/pixel) to a shop.
// Validated against Shopify's schema in tests/unit/admin-documents.test.ts.

/** Settings are checked by Shopify against the extension's [settings] (shopify.extension.toml). */
export const WEB_PIXEL_CREATE_MUTATION = `#graphql
  mutation UpliftWebPixelCreate($webPixel: WebPixelInput!) {
    webPixelCreate(webPixel: $webPixel) {
      webPixel {
        id
        settings
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

/** Without an id, the app's own pixel on the shop. */
export const WEB_PIXEL_QUERY = `#graphql
  query UpliftWebPixel {
    webPixel {
      id
      settings
    }
  }
`;

export const WEB_PIXEL_UPDATE_MUTATION = `#graphql
  mutation UpliftWebPixelUpdate($id: ID!, $webPixel: WebPixelInput!) {
    webPixelUpdate(id: $id, webPixel: $webPixel) {
      webPixel {
        id
        settings
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;
