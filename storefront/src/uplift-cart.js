// The cart offers' script (deferred with the cart-offers block; fetched by uplift.js at the
// first cart change for the cart-drawer embed, when it draws the cart it was changed to): after
// each cart change, the offers the app proxy answers for the live cart and the logged-in
// customer, drawn into the cart page's block and the theme's drawer; adds, line upgrades and
// free gifts through uplift.js (window.uplift).
(function start() {
  var u = window.uplift;
  if (!u) return document.addEventListener("uplift:ready", start, { once: true });
  var $$ = u.$$, money = u.money, shopper = u.shopper, publish = u.publish, addLines = u.addLines, removeLine = u.removeLine, root = u.root, fetchNative = u.fetch, answer = u.answer;

  // The upgrade of a cart line: the new rung is added first, then the old line removed; if
  // the removal fails, the added line goes too, so the cart never holds both.
  function swapLine(line, to, properties, sections) {
    return addLines([{ id: to, quantity: line.quantity, properties: properties }], sections).then(function () {
      return fetchNative(root + "cart.js").then(function (res) { return res.json(); }).then(function (cart) {
        var added = cart.items.filter(function (i) { return i.variant_id === to && i.properties && i.properties._uplift_offer === properties._uplift_offer; })[0];
        return removeLine(line.key, sections).catch(function (error) {
          return (added ? removeLine(added.key, sections) : Promise.resolve()).then(function () { throw error; });
        });
      });
    });
  }

  // Cart offers after a cart change: asked of the app proxy (the live cart, the logged-in
  // customer), drawn into the cart page's block and the theme's cart drawer. Product names
  // and pictures come from the storefront (/products/{handle}.js), in the shopper's language.
  var products = {};
  function productOf(handle) {
    if (!products[handle]) products[handle] = fetchNative(root + "products/" + encodeURIComponent(handle) + ".js").then(function (res) { if (!res.ok) throw res; return res.json(); });
    return products[handle];
  }
  var nameOf = function (product, variantId) {
    var v = product.variants.filter(function (x) { return "gid://shopify/ProductVariant/" + x.id === variantId; })[0];
    return v && product.variants.length > 1 ? product.title + " – " + v.title : product.title;
  };
  function cartPanels() {
    var panels = $$(document, "[data-uplift-cart-live]");
    $$(document, "template[data-uplift-drawer]").forEach(function (template) {
      $$(document, template.dataset.upliftDrawer).forEach(function (drawer) {
        if (!drawer.querySelector("[data-uplift-cart-live]")) drawer.appendChild(template.content.firstElementChild.cloneNode(true));
        panels.push(drawer.querySelector("[data-uplift-cart-live]"));
      });
    });
    return panels.filter(function (p, i) { return panels.indexOf(p) === i; });
  }
  function refreshOffers(cart) {
    var panels = cartPanels();
    if (!panels.length || !shopper.visitor) return;
    var query = new URLSearchParams({
      lines: cart.items.map(function (i) { return i.variant_id + ":" + i.product_id + ":" + i.quantity; }).join(","),
      currency: cart.currency, subtotal: cart.total_price, visitor: shopper.visitor,
    });
    fetchNative(panels[0].dataset.proxy + "/cart-offers?" + query).then(answer).then(function (body) {
      return Promise.all(panels.map(function (panel) { return drawOffers(panel, body, cart); }));
    }).catch(function () {}); // no offers is a fine cart: the page stays as it was
  }
  function drawOffers(panel, body, cart) {
    var handles = body.handles || {};
    var offers = body.holdout ? [] : body.offers.filter(function (o) { return /^(bundle|upgrade|gift)$/.test(o.proposal.type); });
    var wanted = {};
    offers.forEach(function (o) {
      var p = o.proposal;
      (p.type === "bundle" ? p.items.filter(function (i) { return i.role === "add"; }).map(function (i) { return i.productId; }) : [(p.to || p.item).productId]).forEach(function (id) { if (handles[id]) wanted[id] = productOf(handles[id]); });
    });
    var ids = Object.keys(wanted);
    return Promise.all(ids.map(function (id) { return wanted[id].catch(function () { return null; }); })).then(function (found) {
      var byId = {};
      ids.forEach(function (id, i) { byId[id] = found[i]; });
      var list = panel.querySelector("[data-uplift-live-list]");
      list.textContent = "";
      offers.forEach(function (o) { var card = offerCard(panel, o, byId, cart); if (card) list.appendChild(card); });
      panel.hidden = !list.children.length;
    });
  }
  // The panel's own status outlives its cards, which the cart change redraws.
  var done = function (panel, message) { panel.querySelector("[data-uplift-live-status]").textContent = message; };
  function offerCard(panel, o, byId, cart) {
    var p = o.proposal;
    var card = document.createElement("div");
    card.className = "uplift-live-offer";
    card.dataset.upliftOffer = o.offerId;
    var title = document.createElement("h2");
    title.className = "uplift-title";
    title.textContent = o.title || panel.dataset.heading;
    card.appendChild(title);
    var text = document.createElement("p");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "uplift-button";
    var status = document.createElement("p");
    status.className = "uplift-status";
    status.setAttribute("role", "status");
    var properties = { _uplift_offer: o.offerId, _uplift_version: o.contentVariantId };
    var data = panel.dataset;
    var say = function (el) { return function (error) { status.textContent = el + (error && error.description ? " " + error.description : ""); button.disabled = false; }; };
    // The button: `run` makes the change, `message` says it is done.
    var act = function (label, run, message) {
      button.textContent = label;
      button.addEventListener("click", function () {
        button.disabled = true;
        status.textContent = data.adding;
        publish("offer_clicked", card);
        run().then(function () { publish("offer_added", card); done(panel, message); }, say(data.failed));
      });
      card.appendChild(button);
    };
    var add = function (items) {
      return function () { return addLines(items.map(function (i) { return { id: Number(i.variantId.split("/").pop()), quantity: i.quantity, properties: properties }; }), data.sections); };
    };
    card.appendChild(text);
    if (p.type === "bundle") {
      var adds = p.items.filter(function (i) { return i.role === "add" && byId[i.productId]; });
      if (!adds.length) return null;
      text.textContent = adds.map(function (i) { return nameOf(byId[i.productId], i.variantId) + (i.quantity > 1 ? " × " + i.quantity : "") + " " + money(i.unitPrice * i.quantity, panel); }).join(" · ");
      act(data.add, add(adds), data.added);
    } else if (p.type === "gift") {
      // Free once the cart's total (the gift is not in it) reaches the threshold, or a product in it earns the gift.
      var gift = byId[p.item.productId], left = p.threshold - cart.total_price;
      if (!gift || !gift.variants.some(function (v) { return "gid://shopify/ProductVariant/" + v.id === p.item.variantId && v.available; })) return null;
      var free = nameOf(gift, p.item.variantId);
      if (p.triggered || left <= 0) act(data.giftAdd.replace("[product]", free), add([p.item]), data.added);
      else text.textContent = data.giftMore.replace("[product]", free).replace("[amount]", money(left, panel));
    } else {
      var line = cart.items.filter(function (i) { return "gid://shopify/ProductVariant/" + i.variant_id === p.from.variantId; })[0];
      var to = byId[p.to.productId];
      if (!line || !to) return null;
      var name = nameOf(to, p.to.variantId);
      text.textContent = data.upgrade.replace("[product]", name).replace("[amount]", money(p.difference.price, panel));
      act(data.upgradeButton.replace("[product]", name), function () { return swapLine(line, Number(p.to.variantId.split("/").pop()), properties, data.sections); }, data.switched.replace("[product]", name));
    }
    card.appendChild(status);
    return card;
  }

  u.onCart(refreshOffers);
  if (u.cart) refreshOffers(u.cart);
  // The cart page's offers as Liquid rendered them, until the first refresh: "Add to cart"
  // adds the checked items of the set.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-uplift-cart-live] [data-uplift-add]");
    if (!button) return;
    var el = button.closest("[data-uplift-offer]");
    var properties = { _uplift_offer: el.dataset.upliftOffer, _uplift_version: shopper.versions[el.dataset.upliftOffer] || "" };
    var lines = $$(el, "[data-uplift-item]").filter(function (li) { return li.querySelector("[data-uplift-check]").checked; }).map(function (li) {
      return { id: Number(li.querySelector("[data-uplift-variant]").value), quantity: Number(li.dataset.quantity), properties: properties };
    });
    if (!lines.length) return;
    button.disabled = true;
    u.adding(el, lines, function () { button.disabled = false; });
  });
})();
