// The bundle block's script (deferred): fixed and frequently-bought-together bundles, mix
// and match, and quantity tiers, each priced as the shopper picks by the rules of
// app/offers/pricing.ts and added with uplift.js (window.uplift).
(function start() {
  var u = window.uplift;
  if (!u) return document.addEventListener("uplift:ready", start, { once: true });
  var $$ = u.$$, money = u.money, shopper = u.shopper, adding = u.adding;

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

  $$(document, '[data-uplift-kind="bundle"]').forEach(bundle);
  $$(document, '[data-uplift-kind="mix_match"]').forEach(mixMatch);
  $$(document, '[data-uplift-kind="tiers"]').forEach(tiers);
})();
