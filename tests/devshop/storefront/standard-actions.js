// The stand-in's standard storefront actions and cart events (shopify.dev, "Standard
// storefront events and actions"): Shopify.actions.getCart(), updateCart(payload) and
// openCart(), as this theme configures them (so isDefault() is false): updateCart changes the
// cart, then re-renders the theme's cart drawer and cart bubble. It emits
// shopify:cart:lines-update as the change starts, with action, context, lines and a promise
// for { cart, userErrors }; a failed request rejects and dispatches shopify:cart:error.
// Shopify carries the change to its cart over the Storefront API; the stand-in carries it
// to its own endpoint (/storefront/actions/update-cart), which applies all of it or none.
(function () {
  var Shopify = (window.Shopify = window.Shopify || {});
  var root = (Shopify.routes && Shopify.routes.root) || "/";
  var fetchNative = window.fetch.bind(window);
  var THEME_SECTIONS = ["cart-drawer", "cart-icon-bubble"];
  function emit(name, props) {
    var event = new Event(name, { bubbles: true });
    Object.keys(props).forEach(function (k) { event[k] = props[k]; });
    document.dispatchEvent(event);
  }
  function refreshTheme() {
    return fetchNative(root + "?sections=" + THEME_SECTIONS.join(",")).then(function (res) { return res.json(); }).then(function (sections) {
      THEME_SECTIONS.forEach(function (id) {
        var el = document.getElementById("shopify-section-" + id);
        if (el && sections[id]) el.outerHTML = sections[id];
      });
    });
  }
  function kind(line) {
    if (line.merchandiseId && !line.id && !line.viewKey) return "add";
    return line.quantity === 0 ? "remove" : "update";
  }
  function updateCart(payload) {
    var lines = (payload && payload.lines) || [];
    var promise = fetchNative(root + "storefront/actions/update-cart", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload || {}),
    }).then(function (res) {
      if (!res.ok) throw new Error("The cart could not be updated (" + res.status + ").");
      return res.json();
    }).then(function (result) {
      return (result.userErrors.length ? result : refreshTheme().then(function () { return result; }));
    });
    promise.catch(function (error) { emit("shopify:cart:error", { error: error }); });
    ["add", "update", "remove"].forEach(function (action) {
      var these = lines.filter(function (l) { return kind(l) === action; });
      if (these.length) emit("shopify:cart:lines-update", { action: action, context: "standard-action", lines: these, promise: promise });
    });
    return promise;
  }
  updateCart.isDefault = function () { return false; };
  function getCart() {
    return fetchNative(root + "storefront/actions/update-cart", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" }).then(function (res) { return res.json(); });
  }
  getCart.isDefault = function () { return false; };
  function openCart() {
    var drawer = document.getElementById("cart-drawer");
    if (drawer) drawer.scrollIntoView();
    return Promise.resolve({});
  }
  openCart.isDefault = function () { return false; };
  Shopify.actions = { updateCart: updateCart, getCart: getCart, openCart: openCart };
})();
