// Uplift's storefront core (deferred; loaded by the required head embed and by the upgrade,
// recommendations, deal of the day and free-shipping blocks): the upgrade's "Choose", "Add to
// cart" in the recommendations and the deal, the deal's countdown, adding to the cart (the
// theme's standard action or the Ajax Cart API), the free-shipping bar on every cart change,
// the shopper's visitor id and arm carried into cart attributes, the offer events (viewed,
// clicked, added) published for the web pixel, and the cart drawer's script fetched at the
// first cart change. The bundle and cart blocks' own scripts (uplift-bundle.js,
// uplift-cart.js) use it through window.uplift. Everything visible was rendered in Liquid
// already. Theme-check holds each file under 10,000 bytes.
(function () {
  var routes = window.Shopify && window.Shopify.routes;
  var root = (routes && routes.root) || "/";
  var shopper = window.upliftShopper || { versions: {} };
  var fetchNative = window.fetch.bind(window);
  var $$ = function (el, sel) { return [].slice.call(el.querySelectorAll(sel)); };
  var money = function (minor, el) {
    return new Intl.NumberFormat(el.dataset.locale, { style: "currency", currency: el.dataset.currency }).format(minor / 100);
  };
  // Shopify hands what is published to the app's web pixel: with offer, version and arm, so
  // insights can compare each version with the holdout.
  var publish = function (name, el) {
    var analytics = window.Shopify && window.Shopify.analytics;
    var offer = el.dataset.upliftOffer;
    if (analytics && analytics.publish) analytics.publish("uplift:" + name, { offer: offer, version: shopper.versions[offer] || "", arm: shopper.arm || "" });
  };
  var post = function (path, body) {
    return fetchNative(root + path, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify(body) });
  };

  // One add for every line (the cart takes all of them or none), with the block's messages.
  function adding(el, lines, done) {
    var status = el.querySelector("[data-uplift-status]");
    status.textContent = el.dataset.adding;
    publish("offer_clicked", el);
    return addLines(lines, el.dataset.sections)
      .then(function () {
        status.textContent = el.dataset.added;
        publish("offer_added", el);
      }, function (error) {
        status.textContent = el.dataset.failed + (error && error.description ? " " + error.description : "");
      })
      .then(done);
  }

  // The theme's standard cart action when the theme configured it: it refreshes the theme's
  // own cart and emits shopify:cart:lines-update. Shopify's default reloads the page on
  // themes it does not recognise, so without the theme's own: the Ajax Cart API, `sections`.
  function standardUpdate() {
    var actions = window.Shopify && window.Shopify.actions;
    var update = actions && actions.updateCart;
    return update && !(update.isDefault && update.isDefault()) ? update : null;
  }
  var answer = function (res) { return res.json().then(function (body) { if (!res.ok) throw body; return body; }); };
  var declined = function (result) {
    if (result && result.userErrors && result.userErrors.length) throw { description: result.userErrors.map(function (e) { return e.message; }).join(" ") };
    return result;
  };
  var changed = function (body) {
    renderSections(body.sections);
    document.dispatchEvent(new CustomEvent("uplift:cart-changed"));
    return body;
  };
  // lines: [{ id: variant id, quantity, properties }]
  function addLines(lines, sections) {
    var update = standardUpdate();
    if (update) {
      return update({ lines: lines.map(function (l) {
        return { merchandiseId: "gid://shopify/ProductVariant/" + l.id, quantity: l.quantity, attributes: Object.keys(l.properties).map(function (k) { return { key: k, value: l.properties[k] }; }) };
      }) }).then(declined);
    }
    return post("cart/add.js", { items: lines, sections: sections }).then(answer).then(changed);
  }
  // key: the line's key, as /cart.js and Liquid give it.
  function removeLine(key, sections) {
    var update = standardUpdate();
    if (update) return update({ lines: [{ viewKey: key, quantity: 0 }] }).then(declined);
    return post("cart/change.js", { id: key, quantity: 0, sections: sections }).then(answer).then(changed);
  }
  function renderSections(sections) {
    Object.keys(sections || {}).forEach(function (id) {
      var target = document.getElementById("shopify-section-" + id);
      if (!target || sections[id] == null) return;
      var next = new DOMParser().parseFromString(sections[id], "text/html").getElementById("shopify-section-" + id);
      if (next) target.replaceWith(next);
    });
  }

  // The upgrade: switch the theme's product form to the next rung.
  function upgrade(el) {
    var button = el.querySelector("[data-uplift-switch]");
    if (!button) return;
    button.addEventListener("click", function () {
      publish("offer_clicked", el);
      var input = document.querySelector('form[action$="/cart/add"] [name="id"]');
      if (!input) return;
      input.value = button.dataset.upliftSwitch;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      var url = new URL(location.href);
      url.searchParams.set("variant", button.dataset.upliftSwitch);
      history.replaceState(history.state, "", url);
      input.focus();
    });
  }

  // Recommendations and the deal of the day: "Add to cart" for one product, with its block in
  // the line's hidden properties; the deal counts down to midnight and goes when the day ends.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-uplift-add-one]");
    if (!button) return;
    var el = button.closest("[data-uplift-offer]");
    button.disabled = true;
    adding(el, [{ id: Number(button.dataset.upliftAddOne), quantity: 1, properties: { _uplift_offer: el.dataset.upliftOffer } }], function () { button.disabled = false; });
  });
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  function countdown(el) {
    var timer = el.querySelector("[data-uplift-timer]");
    (function tick() {
      var left = Number(el.dataset.upliftEnds) - Math.floor(Date.now() / 1000);
      if (left <= 0) return el.remove();
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      timer.textContent = pad(h) + ":" + pad(m) + ":" + pad(s);
      timer.setAttribute("datetime", "PT" + h + "H" + m + "M" + s + "S");
      setTimeout(tick, 1000 - (Date.now() % 1000));
    })();
  }

  function freeShipping(cart) {
    $$(document, "[data-uplift-fs]").forEach(function (el) {
      var threshold = Number(el.dataset.threshold);
      var left = threshold - cart.total_price;
      var percent = Math.min(100, Math.floor((cart.total_price * 100) / threshold));
      el.classList.toggle("uplift-fs-done", left <= 0);
      el.querySelector("[data-uplift-fs-text]").textContent = left > 0 ? el.dataset.more.replace("[amount]", money(left, el)) : el.dataset.reached;
      var track = el.querySelector("[data-uplift-fs-track]");
      track.setAttribute("aria-valuenow", percent);
      track.firstElementChild.style.width = percent + "%";
    });
  }

  function cartChanged() {
    fetchNative(root + "cart.js").then(function (res) { return res.json(); }).then(function (cart) {
      api.cart = cart;
      freeShipping(cart);
      remember(cart);
      listeners.forEach(function (fn) { fn(cart); });
      drawerScript();
    });
  }
  // The drawer's offers come after a cart change, so their script (uplift-cart.js, which
  // draws them from api.cart when it starts) is fetched then, not with every page. The cart
  // page's block loads it itself.
  function drawerScript() {
    var drawer = document.querySelector("[data-uplift-drawer]");
    if (!drawer || document.querySelector('script[src*="/uplift-cart.js"]')) return;
    var script = document.createElement("script");
    script.src = drawer.dataset.upliftScript;
    document.head.appendChild(script);
  }

  // Orders are measured against the holdout through these cart attributes.
  function remember(cart) {
    var a = cart.attributes || {};
    if (!shopper.visitor || (a._uplift_visitor === shopper.visitor && a._uplift_arm === shopper.arm)) return;
    post("cart/update.js", { attributes: { _uplift_visitor: shopper.visitor, _uplift_arm: shopper.arm } });
  }

  // What the block scripts need; they start on "uplift:ready" when they load first.
  var listeners = [];
  var api = window.uplift = {
    root: root, shopper: shopper, fetch: fetchNative, $$: $$, money: money, publish: publish,
    adding: adding, addLines: addLines, removeLine: removeLine, answer: answer,
    onCart: function (fn) { listeners.push(fn); },
  };

  // The theme's own cart changes (its forms and drawers) move the bar too.
  window.fetch = function (input) {
    var result = fetchNative.apply(window, arguments);
    if (/\/cart\/(add|change|update|clear)/.test(String(input && input.url || input))) result.then(function () { setTimeout(cartChanged); });
    return result;
  };
  document.addEventListener("uplift:cart-changed", cartChanged);
  // Standard events fire as the change starts: the cart is read once it is done.
  document.addEventListener("shopify:cart:lines-update", function (event) {
    (event.promise || Promise.resolve()).then(function () { setTimeout(cartChanged); }, function () {});
  });
  // Viewed: once per block, when half of it is on screen (never in the holdout: nothing shows).
  if ("IntersectionObserver" in window) {
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        seen.unobserve(entry.target);
        publish("offer_viewed", entry.target);
      });
    }, { threshold: 0.5 });
    $$(document, "[data-uplift-offer]").forEach(function (el) { seen.observe(el); });
  }
  $$(document, '[data-uplift-kind="upgrade"]').forEach(upgrade);
  $$(document, "[data-uplift-ends]").forEach(countdown);
  if (shopper.visitor && sessionStorage.getItem("uplift_remembered") !== shopper.visitor + shopper.arm) {
    sessionStorage.setItem("uplift_remembered", shopper.visitor + shopper.arm);
    fetchNative(root + "cart.js").then(function (res) { return res.json(); }).then(remember);
  }
  document.dispatchEvent(new Event("uplift:ready"));
})();
