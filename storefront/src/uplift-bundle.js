// The bundle block's script (deferred): fixed and frequently-bought-together bundles, mix
// and match, and quantity tiers, each priced as the shopper picks by the rules of
// app/offers/pricing.ts and added with uplift.js (window.uplift).
(function start() {
  var u = window.uplift;
  if (!u) return document.addEventListener("uplift:ready", start, { once: true });
  var $$ = u.$$, money = u.money, shopper = u.shopper, adding = u.adding;
  // An item's chosen variant (a select, or a hidden input for a single variant) and its price.
  var variantOf = function (li) { return li.querySelector("[data-uplift-variant]"); };
  var priceOf = function (v) { return Number((v.options ? v.options[v.selectedIndex] : v).dataset.price); };
  var checked = function (items) { return items.filter(function (li) { return li.querySelector("[data-uplift-check]").checked; }); };
  var propertiesOf = function (el) { var offer = el.dataset.upliftOffer; return { _uplift_offer: offer, _uplift_version: shopper.versions[offer] || "" }; };
  // The saving line, shown only while the set is priced as one and costs less.
  function saving(el, shown, sum, total) {
    var line = el.querySelector("[data-uplift-saving]");
    if (!line) return;
    line.hidden = !shown || total >= sum;
    line.textContent = line.dataset.template.replace("[amount]", money(sum - total, el));
  }

  // The bundle: what is checked, with the chosen variants, at the bundle's discount when whole.
  function bundle(el) {
    var items = $$(el, "[data-uplift-item]");
    var button = el.querySelector("[data-uplift-add]");
    function chosen() {
      return checked(items).map(function (li) {
        var v = variantOf(li);
        return { id: Number(v.value), quantity: Number(li.dataset.quantity), price: priceOf(v) };
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
        li.querySelector("[data-uplift-line]").textContent = money(priceOf(variantOf(li)) * Number(li.dataset.quantity), el);
      });
      el.querySelector("[data-uplift-total]").textContent = money(total, el);
      var struck = el.querySelector("[data-uplift-regular]");
      if (struck) struck.hidden = !whole;
      saving(el, whole, sum, total);
      button.disabled = !lines.length;
    }
    el.addEventListener("change", update);
    button.addEventListener("click", function () {
      var properties = propertiesOf(el);
      var lines = chosen().map(function (l) { return { id: l.id, quantity: l.quantity, properties: properties }; });
      button.disabled = true;
      adding(el, lines, function () { button.disabled = false; });
    });
    update();
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
      return checked(items).map(function (li) {
        var v = variantOf(li);
        return { id: Number(v.value), quantity: 1, price: priceOf(v) };
      });
    }
    function update() {
      items.forEach(function (li) {
        li.querySelector("[data-uplift-line]").textContent = money(priceOf(variantOf(li)), el);
      });
      var lines = picked();
      var sum = lines.reduce(function (n, l) { return n + l.price; }, 0);
      var fits = lines.length >= min && lines.length <= max;
      var total = fits ? discounted(sum, el) : sum;
      el.querySelector("[data-uplift-total]").textContent = money(total, el);
      var struck = el.querySelector("[data-uplift-regular]");
      struck.hidden = !fits || total >= sum;
      struck.textContent = money(sum, el);
      saving(el, fits, sum, total);
      button.disabled = !fits;
      why.textContent = lines.length < min ? el.dataset.need.replace("[count]", min - lines.length) : lines.length > max ? el.dataset.tooMany.replace("[count]", max) : "";
    }
    el.addEventListener("change", update);
    button.addEventListener("click", function () {
      var properties = propertiesOf(el);
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
      button.disabled = true;
      adding(el, [{ id: Number(variant()), quantity: Number(chosen().dataset.quantity), properties: propertiesOf(el) }], update);
    });
    update();
  }

  $$(document, '[data-uplift-kind="bundle"]').forEach(bundle);
  $$(document, '[data-uplift-kind="mix_match"]').forEach(mixMatch);
  $$(document, '[data-uplift-kind="tiers"]').forEach(tiers);
})();
