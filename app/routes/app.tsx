import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider as PolarisAppProvider } from "@shopify/polaris";
import type { LinkLikeComponentProps } from "@shopify/polaris/build/ts/src/utilities/link";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { authenticate } from "~/shopify.server";
import { appBridgeUrl } from "~/shopify/app-bridge";
import { localeCookie, resolveLocale, translationsFor } from "~/i18n/locale.server";
import { TranslationProvider, useT } from "~/i18n/i18n";
import type { Locale, Messages } from "~/i18n/locales";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  const { locale, fromUrl } = await resolveLocale(request);
  const { messages, polaris } = translationsFor(locale);
  const headers = fromUrl ? { "Set-Cookie": await localeCookie.serialize(locale) } : undefined;
  return Response.json(
    {
      apiKey: process.env.SHOPIFY_API_KEY ?? "",
      appBridgeUrl: appBridgeUrl(),
      locale,
      messages,
      polaris,
    },
    { headers },
  );
};

function RemixPolarisLink({ url, children, external, ...rest }: LinkLikeComponentProps) {
  if (external) return <a href={url} target="_blank" rel="noopener noreferrer" {...rest}>{children}</a>;
  return <Link to={url} {...rest}>{children}</Link>;
}

function Navigation() {
  const t = useT();
  return (
    <NavMenu>
      <Link to="/app" rel="home">{t("nav.dashboard")}</Link>
      <Link to="/app/bundles">{t("nav.bundles")}</Link>
      <Link to="/app/upgrades">{t("nav.upgrades")}</Link>
      <Link to="/app/post-purchase">{t("nav.postPurchase")}</Link>
      <Link to="/app/deals">{t("nav.deals")}</Link>
      <Link to="/app/suggestions">{t("suggestions.nav")}</Link>
      <Link to="/app/insights">{t("nav.insights")}</Link>
      <Link to="/app/settings">{t("nav.settings")}</Link>
      <Link to="/app/privacy">{t("nav.privacy")}</Link>
    </NavMenu>
  );
}

export default function App() {
  const { apiKey, appBridgeUrl, locale, messages, polaris } = useLoaderData<{
    apiKey: string; appBridgeUrl: string; locale: Locale; messages: Messages; polaris: Record<string, unknown>;
  }>();
  return (
    <>
      {/* App Bridge must load before anything else runs; shopify-app-remix's AppProvider
          always points at Shopify's CDN, which the offline stand-in replaces. */}
      <script src={appBridgeUrl} data-api-key={apiKey} />
      <style>{".uplift-visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}"}</style>
      <PolarisAppProvider i18n={polaris as never} linkComponent={RemixPolarisLink}>
        <TranslationProvider locale={locale} messages={messages}>
          <Navigation />
          {/* The page's one main landmark: everything the app shows is inside it. */}
          <main>
            <Outlet />
          </main>
        </TranslationProvider>
      </PolarisAppProvider>
    </>
  );
}

// Shopify's boundaries: they let the library's auth redirects and headers through.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
