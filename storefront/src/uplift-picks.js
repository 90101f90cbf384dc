// Uplift's recommendations and deal of the day (deferred): "Add to cart" for one product,
// with its block in the line's hidden properties, and the deal's countdown to midnight,
// which takes the block away when the day ends. Everything visible was rendered in Liquid.
(function () {
  var d = document;
  var S = window.Shopify || {};
  var root = (S.routes && S.routes.root) || "/";
  var publish = function (name, el) {
    var a = S.analytics, s = window.upliftShopper || {};
    if (a && a.publish) a.publish("uplift:" + name, { offer: el.dataset.upliftOffer, version: "", arm: s.arm || "" });
  };
  d.addEventListener("click", function (event) {
    var button = event.target.closest("[data-uplift-add-one]");
    if (!button) return;
    var el = button.closest("[data-uplift-offer]"), status = el.querySelector("[data-uplift-status]");
    button.disabled = true;
    status.textContent = el.dataset.adding;
    publish("offer_clicked", el);
    // window.fetch at call time: the theme's (and uplift.js's) cart listeners see the add.
    fetch(root + "cart/add.js", { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ items: [{ id: Number(button.dataset.upliftAddOne), quantity: 1, properties: { _uplift_offer: el.dataset.upliftOffer } }], sections: el.dataset.sections }) })
      .then(function (res) { return res.json().then(function (body) { if (!res.ok) throw body; return body; }); })
      .then(function (body) {
        var sections = body.sections || {};
        Object.keys(sections).forEach(function (id) {
          var old = d.getElementById("shopify-section-" + id);
          var next = sections[id] && new DOMParser().parseFromString(sections[id], "text/html").getElementById("shopify-section-" + id);
          if (old && next) old.replaceWith(next);
        });
        status.textContent = el.dataset.added;
        publish("offer_added", el);
      })
      .catch(function (error) { status.textContent = el.dataset.failed + (error && error.description ? " " + error.description : ""); })
      .then(function () { button.disabled = false; });
  });
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  [].forEach.call(d.querySelectorAll("[data-uplift-ends]"), function (el) {
    var timer = el.querySelector("[data-uplift-timer]");
    (function tick() {
      var left = Number(el.dataset.upliftEnds) - Math.floor(Date.now() / 1000);
      if (left <= 0) return el.remove();
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      timer.textContent = pad(h) + ":" + pad(m) + ":" + pad(s);
      timer.setAttribute("datetime", "PT" + h + "H" + m + "M" + s + "S");
      setTimeout(tick, 1000 - (Date.now() % 1000));
    })();
  });
})();
