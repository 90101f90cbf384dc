import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";

export default function App() {
  // The admin's language, which routes/app resolves from what Shopify passes.
  const app = useRouteLoaderData<{ locale?: string; appBridgeUrl?: string }>("routes/app");
  const lang = app?.locale ?? "en";
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        {/* App Bridge is the first script an embedded page needs. */}
        {app?.appBridgeUrl && <link rel="preconnect" href={new URL(app.appBridgeUrl).origin} />}
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
