// The stand-in's web pixels manager, as Shopify's runs on a storefront: it keeps the visitor's
// consent (`Shopify.customerPrivacy`, set from the stand-in's cookie banner), starts each app
// pixel in a Web Worker when the consent it declares is there, and hands it the page's standard
// events (page_viewed, product_viewed), product_added_to_cart after a successful Ajax add, and
// whatever `Shopify.analytics.publish` publishes. The pixel's `browser` calls run here.
/* global Shopify */
(function () {
  var setupElement = document.getElementById("web-pixels-manager-setup");
  if (!setupElement) return;
  var setup = JSON.parse(setupElement.textContent);
  var CONSENT_COOKIE = "_tracking_consent";
  var workers = [];
  var seq = 0;

  function readCookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name.replace(/[.$?*|{}()[\]\\/+^]/g, "\\$&") + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : null;
  }
  function consent() {
    try {
      var c = JSON.parse(readCookie(CONSENT_COOKIE) || "null");
      return c && { analytics: c.analytics === true, marketing: c.marketing === true, preferences: c.preferences === true, sale_of_data: c.sale_of_data === true };
    } catch {
      return null;
    }
  }
  function customerPrivacy() {
    var c = consent() || { analytics: false, marketing: false, preferences: false, sale_of_data: false };
    return { analyticsProcessingAllowed: c.analytics, marketingAllowed: c.marketing, preferencesProcessingAllowed: c.preferences, saleOfDataAllowed: c.sale_of_data };
  }
  // A pixel loads only with permission for everything its [customer_privacy] asks.
  function permitted(privacy) {
    var c = consent();
    if (!c) return false;
    return (!privacy.analytics || c.analytics) && (!privacy.marketing || c.marketing) && (!privacy.preferences || c.preferences) &&
      (privacy.sale_of_data !== "enabled" || c.sale_of_data);
  }
  function clientId() {
    var id = readCookie("_shopify_y");
    if (!id && consent() && consent().analytics) {
      id = crypto.randomUUID();
      document.cookie = "_shopify_y=" + id + ";path=/;max-age=31536000;samesite=lax";
    }
    return id || "anonymous";
  }
  function event(name, type, payload) {
    var e = { id: "sh-" + crypto.randomUUID(), name: name, type: type, timestamp: new Date().toISOString(), clientId: clientId(), seq: ++seq,
      context: setup.init.context };
    if (type === "custom") e.customData = payload == null ? null : payload;
    else e.data = payload;
    return e;
  }
  function broadcast(e) {
    workers.forEach(function (w) { w.worker.postMessage({ type: "event", event: e }); });
  }

  // What the pixel's `browser` object asks of the top frame.
  function browserCall(method, args) {
    switch (method) {
      case "cookie.get": return args[0] ? readCookie(args[0]) || "" : document.cookie;
      case "cookie.set":
        document.cookie = args[1] === undefined ? args[0] : args[0] + "=" + encodeURIComponent(args[1]) + ";path=/";
        return document.cookie;
      case "sendBeacon": return navigator.sendBeacon(args[0], args[1]);
      default: {
        var parts = method.split(".");
        var area = parts[0] === "localStorage" ? window.localStorage : parts[0] === "sessionStorage" ? window.sessionStorage : null;
        if (!area) throw new Error("Unknown browser call " + method);
        if (parts[1] === "length") return area.length;
        return area[parts[1]].apply(area, args);
      }
    }
  }

  function start(pixel) {
    if (workers.some(function (w) { return w.id === pixel.id; })) return;
    var worker = new Worker(pixel.src, { name: "web-pixel-" + pixel.id });
    worker.onmessage = function (message) {
      var data = message.data;
      if (data.type !== "browser") return;
      var reply = { type: "result", id: data.id };
      try { reply.value = browserCall(data.method, data.args); } catch (error) { reply.error = String(error && error.message); }
      worker.postMessage(reply);
    };
    worker.postMessage({ type: "init", id: pixel.id, settings: pixel.settings,
      init: { context: setup.init.context, data: setup.init.data, customerPrivacy: customerPrivacy() } });
    workers.push({ id: pixel.id, worker: worker });
  }
  function startPermitted() {
    setup.pixels.forEach(function (pixel) { if (permitted(pixel.privacy)) start(pixel); });
  }

  // Shopify.customerPrivacy, as far as a cookie banner and pixels use it.
  window.Shopify = window.Shopify || {};
  Shopify.customerPrivacy = {
    setTrackingConsent: function (choice, callback) {
      var c = { analytics: !!choice.analytics, marketing: !!choice.marketing, preferences: !!choice.preferences, sale_of_data: !!choice.sale_of_data };
      document.cookie = CONSENT_COOKIE + "=" + encodeURIComponent(JSON.stringify(c)) + ";path=/;max-age=31536000;samesite=lax";
      var privacy = customerPrivacy();
      workers.forEach(function (w) { w.worker.postMessage({ type: "consent", customerPrivacy: privacy }); });
      document.dispatchEvent(new CustomEvent("visitorConsentCollected", { detail: privacy }));
      startPermitted();
      if (callback) callback();
    },
    currentVisitorConsent: function () { return consent(); },
    analyticsProcessingAllowed: function () { return customerPrivacy().analyticsProcessingAllowed; },
    marketingAllowed: function () { return customerPrivacy().marketingAllowed; },
    preferencesProcessingAllowed: function () { return customerPrivacy().preferencesProcessingAllowed; },
    saleOfDataAllowed: function () { return customerPrivacy().saleOfDataAllowed; },
    shouldShowBanner: function () { return consent() === null; },
  };

  // Custom events: the theme's inline stub keeps what was published (`published`); the pixels get it too.
  var analytics = (Shopify.analytics = Shopify.analytics || { published: [] });
  var publishedBefore = analytics.published || (analytics.published = []);
  analytics.publish = function (name, data) {
    publishedBefore.push({ name: name, data: data });
    broadcast(event(name, "custom", data));
  };

  // product_added_to_cart: Shopify watches the storefront's cart requests; a successful Ajax add
  // makes one event per line added.
  var nativeFetch = window.fetch;
  window.fetch = function (input, init) {
    var url = typeof input === "string" ? input : input && input.url;
    var result = nativeFetch.apply(this, arguments);
    if (url && /\/cart\/add(\.js)?(\?|$)/.test(new URL(url, location.href).pathname) && (!init || !init.method || init.method.toUpperCase() === "POST")) {
      result.then(function (response) {
        if (!response.ok) return;
        response.clone().json().then(function (body) {
          var lines = body.items || [body];
          var currency = (Shopify.currency && Shopify.currency.active) || setup.init.data.shop.paymentSettings.currencyCode;
          lines.forEach(function (line) {
            if (!line || !line.variant_id) return;
            var variant = { id: String(line.variant_id), title: line.variant_title || line.title, sku: line.sku, price: { amount: line.price / 100, currencyCode: currency },
              product: { id: String(line.product_id), title: line.product_title, vendor: line.vendor, type: line.product_type, url: line.url } };
            broadcast(event("product_added_to_cart", "standard", { cartLine: { merchandise: variant, quantity: line.quantity,
              cost: { totalAmount: { amount: line.line_price / 100, currencyCode: currency } } } }));
          });
        }, function () {});
      }, function () {});
    }
    return result;
  };

  // The stand-in's cookie banner, rendered by the storefront at the end of the page.
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-tracking-consent]");
    if (!button) return;
    var yes = button.getAttribute("data-tracking-consent") === "accept";
    Shopify.customerPrivacy.setTrackingConsent({ analytics: yes, marketing: yes, preferences: yes, sale_of_data: yes }, function () {
      var status = document.getElementById("tracking-consent-status");
      if (status) status.textContent = yes ? "Analytics cookies are allowed." : "Analytics cookies are declined.";
    });
  });

  startPermitted();
  // The page's own standard events go to the pixels that loaded with the page.
  setup.events.forEach(function (e) { broadcast(event(e.name, "standard", e.data)); });
})();
