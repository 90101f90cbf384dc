// Admin GraphQL documents for the storefront metafields kept outside the offer sync
// (recommendation windows, deals). Validated against Shopify's schema in
// tests/unit/admin-documents.test.ts.

/** The app installation owns the app-data metafields Liquid reads as `app.metafields`. */
export const APP_INSTALLATION_QUERY = `#graphql
  query UpliftAppInstallation {
    currentAppInstallation {
      id
    }
  }
`;
