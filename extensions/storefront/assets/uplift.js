// Uplift's storefront script (deferred): the bundle's "Add all to cart", the upgrade's
// "Choose", the free-shipping bar on every cart change, the shopper's visitor id and arm
// carried into cart attributes, and the offer events (viewed, clicked, added) published
// for the web pixel. Everything visible was rendered in Liquid already.
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

  // The bundle: what is checked, with the chosen variants, at the bundle's discount when whole.
  function bundle(el) {
    var items = $$(el, "[data-uplift-item]");
    var status = el.querySelector("[data-uplift-status]");
    var button = el.querySelector("[data-uplift-add]");
    function chosen() {
      return items.filter(function (li) { return li.querySelector("[data-uplift-check]").checked; }).map(function (li) {
        var v = li.querySelector("[data-uplift-variant]");
        var option = v.options ? v.options[v.selectedIndex] : v;
        return { id: Number(v.value), quantity: Number(li.dataset.quantity), price: Number(option.dataset.price) };
      });
    }
    function update() {
      var lines = chosen();
      var sum = lines.reduce(function (n, l) { return n + l.price * l.quantity; }, 0);
      var whole = lines.length === items.length;
      var regular = Number(el.dataset.regular);
      // Whole bundle: the merchant's discount, in proportion when a variant changes the sum.
      var total = whole ? sum - Math.floor((sum * (regular - Number(el.dataset.price))) / regular) : sum;
      items.forEach(function (li) {
        var v = li.querySelector("[data-uplift-variant]");
        var option = v.options ? v.options[v.selectedIndex] : v;
        li.querySelector("[data-uplift-line]").textContent = money(Number(option.dataset.price) * Number(li.dataset.quantity), el);
      });
      el.querySelector("[data-uplift-total]").textContent = money(total, el);
      var struck = el.querySelector("[data-uplift-regular]");
      if (struck) struck.hidden = !whole;
      var saving = el.querySelector("[data-uplift-saving]");
      if (saving) {
        saving.hidden = !whole || total >= sum;
        saving.textContent = saving.dataset.template.replace("[amount]", money(sum - total, el));
      }
      button.disabled = !lines.length;
    }
    el.addEventListener("change", update);
    button.addEventListener("click", function () {
      var offer = el.dataset.upliftOffer;
      var properties = { _uplift_offer: offer, _uplift_version: shopper.versions[offer] || "" };
      var lines = chosen().map(function (l) { return { id: l.id, quantity: l.quantity, properties: properties }; });
      button.disabled = true;
      status.textContent = el.dataset.adding;
      publish("offer_clicked", el);
      // One request for every line: the cart takes all of them or none.
      post("cart/add.js", { items: lines, sections: el.dataset.sections })
        .then(function (res) { return res.json().then(function (body) { if (!res.ok) throw body; return body; }); })
        .then(function (body) {
          renderSections(body.sections);
          status.textContent = el.dataset.added;
          publish("offer_added", el);
          document.dispatchEvent(new CustomEvent("uplift:cart-changed"));
        })
        .catch(function (error) {
          status.textContent = el.dataset.failed + (error && error.description ? " " + error.description : "");
        })
        .then(function () { button.disabled = false; });
    });
    update();
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
      freeShipping(cart);
      remember(cart);
    });
  }

  // Orders are measured against the holdout through these cart attributes.
  function remember(cart) {
    var a = cart.attributes || {};
    if (!shopper.visitor || (a._uplift_visitor === shopper.visitor && a._uplift_arm === shopper.arm)) return;
    post("cart/update.js", { attributes: { _uplift_visitor: shopper.visitor, _uplift_arm: shopper.arm } });
  }

  // The theme's own cart changes (its forms and drawers) move the bar too.
  window.fetch = function (input) {
    var result = fetchNative.apply(window, arguments);
    if (/\/cart\/(add|change|update|clear)/.test(String(input && input.url || input))) result.then(function () { setTimeout(cartChanged); });
    return result;
  };
  document.addEventListener("uplift:cart-changed", cartChanged);
  document.addEventListener("shopify:cart:lines-update", cartChanged);
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
  $$(document, '[data-uplift-kind="bundle"]').forEach(bundle);
  $$(document, '[data-uplift-kind="upgrade"]').forEach(upgrade);
  if (shopper.visitor && sessionStorage.getItem("uplift_remembered") !== shopper.visitor + shopper.arm) {
    sessionStorage.setItem("uplift_remembered", shopper.visitor + shopper.arm);
    fetchNative(root + "cart.js").then(function (res) { return res.json(); }).then(remember);
  }
})();
