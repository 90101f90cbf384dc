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
      adding(el, lines, function () { button.disabled = false; });
    });
    update();
  }

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

  // The rule of app/offers/pricing.ts: the discount rounded down, never above the price.
  function discounted(regular, el) {
    var value = Number(el.dataset.discountValue);
    switch (el.dataset.discount) {
      case "percentage": return regular - Math.floor((regular * value) / 10000);
      case "amount": return regular - Math.min(value, regular);
      case "fixed_price": return Math.min(value, regular);
      default: return regular;
    }
  }

  // Mix and match: what the shopper picks, priced as a set while the merchant's rules hold.
  function mixMatch(el) {
    var items = $$(el, "[data-uplift-item]");
    var button = el.querySelector("[data-uplift-add]");
    var why = el.querySelector("[data-uplift-why]");
    var min = Number(el.dataset.min), max = Number(el.dataset.max);
    function picked() {
      return items.filter(function (li) { return li.querySelector("[data-uplift-check]").checked; }).map(function (li) {
        var v = li.querySelector("[data-uplift-variant]");
        var option = v.options ? v.options[v.selectedIndex] : v;
        return { id: Number(v.value), quantity: 1, price: Number(option.dataset.price), li: li };
      });
    }
    function update() {
      items.forEach(function (li) {
        var v = li.querySelector("[data-uplift-variant]");
        li.querySelector("[data-uplift-line]").textContent = money(Number((v.options ? v.options[v.selectedIndex] : v).dataset.price), el);
      });
      var lines = picked();
      var sum = lines.reduce(function (n, l) { return n + l.price; }, 0);
      var fits = lines.length >= min && lines.length <= max;
      var total = fits ? discounted(sum, el) : sum;
      el.querySelector("[data-uplift-total]").textContent = money(total, el);
      var struck = el.querySelector("[data-uplift-regular]");
      struck.hidden = !fits || total >= sum;
      struck.textContent = money(sum, el);
      var saving = el.querySelector("[data-uplift-saving]");
      if (saving) {
        saving.hidden = !fits || total >= sum;
        saving.textContent = saving.dataset.template.replace("[amount]", money(sum - total, el));
      }
      button.disabled = !fits;
      why.textContent = lines.length < min ? el.dataset.need.replace("[count]", min - lines.length) : lines.length > max ? el.dataset.tooMany.replace("[count]", max) : "";
    }
    el.addEventListener("change", update);
    button.addEventListener("click", function () {
      var offer = el.dataset.upliftOffer;
      var properties = { _uplift_offer: offer, _uplift_version: shopper.versions[offer] || "" };
      button.disabled = true;
      adding(el, picked().map(function (l) { return { id: l.id, quantity: 1, properties: properties }; }), update);
    });
    update();
  }

  // Quantity tiers: the chosen tier's quantity of the variant chosen in the product form.
  function tiers(el) {
    var prices = {};
    el.dataset.prices.split(",").forEach(function (entry) { var p = entry.split(":"); prices[p[0]] = { price: Number(p[1]), available: p[2] !== "x" }; });
    var button = el.querySelector("[data-uplift-add]");
    var form = document.querySelector('form[action$="/cart/add"] [name="id"]');
    var variant = function () { return form && prices[form.value] ? form.value : el.dataset.variant; };
    var chosen = function () { return el.querySelector("input[type=radio]:checked").closest("[data-uplift-tier]"); };
    function update() {
      var v = prices[variant()];
      $$(el, "[data-uplift-tier]").forEach(function (tier) {
        tier.querySelector("[data-uplift-each]").textContent = el.dataset.each.replace("[amount]", money(discounted(v.price, tier), el));
      });
      button.textContent = el.dataset.add.replace("[quantity]", chosen().dataset.quantity);
      button.disabled = !v.available;
    }
    el.addEventListener("change", update);
    if (form) form.addEventListener("change", update);
    button.addEventListener("click", function () {
      var offer = el.dataset.upliftOffer;
      button.disabled = true;
      adding(el, [{ id: Number(variant()), quantity: Number(chosen().dataset.quantity), properties: { _uplift_offer: offer, _uplift_version: shopper.versions[offer] || "" } }], update);
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
      refreshOffers(cart);
    });
  }

  // Orders are measured against the holdout through these cart attributes.
  function remember(cart) {
    var a = cart.attributes || {};
    if (!shopper.visitor || (a._uplift_visitor === shopper.visitor && a._uplift_arm === shopper.arm)) return;
    post("cart/update.js", { attributes: { _uplift_visitor: shopper.visitor, _uplift_arm: shopper.arm } });
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
    return panels;
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
    var offers = body.holdout ? [] : body.offers.filter(function (o) { return o.proposal.type === "bundle" || o.proposal.type === "upgrade"; });
    var wanted = {};
    offers.forEach(function (o) {
      var p = o.proposal;
      (p.type === "bundle" ? p.items.filter(function (i) { return i.role === "add"; }).map(function (i) { return i.productId; }) : [p.to.productId]).forEach(function (id) { if (handles[id]) wanted[id] = productOf(handles[id]); });
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
    var say = function (el) { return function (error) { status.textContent = el + (error && error.description ? " " + error.description : ""); button.disabled = false; }; };
    if (p.type === "bundle") {
      var adds = p.items.filter(function (i) { return i.role === "add" && byId[i.productId]; });
      if (!adds.length) return null;
      text.textContent = adds.map(function (i) { return nameOf(byId[i.productId], i.variantId) + (i.quantity > 1 ? " × " + i.quantity : "") + " " + money(i.unitPrice * i.quantity, panel); }).join(" · ");
      button.textContent = panel.dataset.add;
      button.addEventListener("click", function () {
        button.disabled = true;
        status.textContent = panel.dataset.adding;
        publish("offer_clicked", card);
        addLines(adds.map(function (i) { return { id: Number(i.variantId.split("/").pop()), quantity: i.quantity, properties: properties }; }), panel.dataset.sections)
          .then(function () { publish("offer_added", card); done(panel, panel.dataset.added); }, say(panel.dataset.failed));
      });
    } else {
      var line = cart.items.filter(function (i) { return "gid://shopify/ProductVariant/" + i.variant_id === p.from.variantId; })[0];
      var to = byId[p.to.productId];
      if (!line || !to) return null;
      var name = nameOf(to, p.to.variantId);
      text.textContent = panel.dataset.upgrade.replace("[product]", name).replace("[amount]", money(p.difference.price, panel));
      button.textContent = panel.dataset.upgradeButton.replace("[product]", name);
      button.addEventListener("click", function () {
        button.disabled = true;
        status.textContent = panel.dataset.adding;
        publish("offer_clicked", card);
        swapLine(line, Number(p.to.variantId.split("/").pop()), properties, panel.dataset.sections)
          .then(function () { publish("offer_added", card); done(panel, panel.dataset.switched.replace("[product]", name)); }, say(panel.dataset.failed));
      });
    }
    card.appendChild(text);
    card.appendChild(button);
    card.appendChild(status);
    return card;
  }

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
  $$(document, '[data-uplift-kind="bundle"]').forEach(bundle);
  $$(document, '[data-uplift-kind="upgrade"]').forEach(upgrade);
  $$(document, '[data-uplift-kind="mix_match"]').forEach(mixMatch);
  $$(document, '[data-uplift-kind="tiers"]').forEach(tiers);
  if (shopper.visitor && sessionStorage.getItem("uplift_remembered") !== shopper.visitor + shopper.arm) {
    sessionStorage.setItem("uplift_remembered", shopper.visitor + shopper.arm);
    fetchNative(root + "cart.js").then(function (res) { return res.json(); }).then(remember);
  }
})();
