/* A small stand-in for Shopify's App Bridge (v4), served by the local Shopify stand-in
 * because the real script on Shopify's CDN needs Shopify's admin around it. It offers what
 * Uplift uses: window.shopify (config, idToken, toast, saveBar, loading, resourcePicker), the fetch patch
 * that adds the session token to same-origin requests, the ui-nav-menu, ui-title-bar and
 * ui-save-bar elements (the save bar shown in the admin's top bar, as Shopify does), the
 * app's location reported to the admin, and the session-token bounce page of
 * shopify-app-remix. */
(function () {
  "use strict";
  var script = document.currentScript;
  var devshop = new URL(script.src).origin;
  var params = new URLSearchParams(location.search);
  var apiKey = script.getAttribute("data-api-key") || (document.querySelector('meta[name="shopify-api-key"]') || {}).content;
  var shop = params.get("shop") || sessionStorage.getItem("devshop:shop");
  var host = params.get("host") || sessionStorage.getItem("devshop:host");
  if (shop) sessionStorage.setItem("devshop:shop", shop);
  if (host) sessionStorage.setItem("devshop:host", host);
  var cached = params.get("id_token") ? { token: params.get("id_token"), until: Date.now() + 30000 } : null;

  function idToken() {
    if (cached && cached.until > Date.now()) return Promise.resolve(cached.token);
    return window.__devshopFetch(devshop + "/admin/session-token?shop=" + encodeURIComponent(shop))
      .then(function (r) { return r.json(); })
      .then(function (body) { cached = { token: body.token, until: Date.now() + 45000 }; return body.token; });
  }
  function post(type, data) {
    if (window.parent !== window) window.parent.postMessage({ source: "devshop-app-bridge", type: type, data: data }, "*");
  }

  window.__devshopFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, location.href);
    if (url.origin !== location.origin) return window.__devshopFetch(input, init);
    return idToken().then(function (token) {
      var request = new Request(input, init);
      var headers = new Headers(request.headers);
      if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + token);
      return window.__devshopFetch(new Request(request, { headers: headers }));
    });
  };

  function saveBarElement(id) { return document.getElementById(id); }

  // shopify.resourcePicker(options): the admin draws the picker (outside this frame) and
  // answers with the chosen resources, `selection` beside them as App Bridge returns them,
  // or undefined when the merchant cancels.
  var pickers = {};
  var pickerCount = 0;
  function resourcePicker(options) {
    if (!options || ["product", "variant", "collection"].indexOf(options.type) < 0) return Promise.reject(new Error("resourcePicker: type must be product, variant or collection"));
    var id = "picker-" + ++pickerCount;
    return new Promise(function (resolve) {
      pickers[id] = resolve;
      post("resourcePicker", { id: id, options: JSON.parse(JSON.stringify(options)) });
    });
  }
  window.addEventListener("message", function (event) {
    var msg = event.data;
    if (event.source !== window.parent || !msg || msg.source !== "devshop-admin" || msg.type !== "resourcePickerResult" || !pickers[msg.id]) return;
    var resolve = pickers[msg.id];
    delete pickers[msg.id];
    if (!msg.selection) return resolve(undefined);
    var selection = msg.selection.slice();
    selection.selection = msg.selection;
    resolve(selection);
  });

  window.shopify = {
    resourcePicker: resourcePicker,
    config: { apiKey: apiKey, shop: shop, host: host, locale: params.get("locale") || "en" },
    environment: { embedded: true, mobile: false, pos: false },
    idToken: idToken,
    toast: { show: function (message, options) { post("toast", { message: message, isError: !!(options && options.isError) }); return "toast"; }, hide: function () {} },
    loading: function (on) { post("loading", !!on); },
    saveBar: {
      show: function (id) { var el = saveBarElement(id); return el ? el.show() : Promise.resolve(); },
      hide: function (id) { var el = saveBarElement(id); return el ? el.hide() : Promise.resolve(); },
      toggle: function (id) { var el = saveBarElement(id); return el ? el.toggle() : Promise.resolve(); },
      leaveConfirmation: function () { return Promise.resolve(); },
    },
  };

  var style = document.createElement("style");
  style.textContent = "ui-nav-menu,ui-title-bar,ui-save-bar{display:none}";
  document.head.appendChild(style);

  // The admin's own top bar shows the save bar, outside the app's frame, as Shopify does;
  // a click there presses the matching button of the app's ui-save-bar.
  function reportSaveBar(el) {
    post("saveBar", {
      id: el.id,
      open: el.hasAttribute("open"),
      message: el.getAttribute("data-message"),
      buttons: Array.prototype.map.call(el.querySelectorAll("button"), function (b) {
        return { label: b.textContent, primary: b.getAttribute("variant") === "primary", disabled: b.disabled || b.hasAttribute("loading") };
      }),
    });
  }
  window.addEventListener("message", function (event) {
    var msg = event.data;
    if (event.source !== window.parent || !msg || msg.source !== "devshop-admin" || msg.type !== "saveBarAction") return;
    var el = saveBarElement(msg.id);
    var button = el && el.querySelectorAll("button")[msg.index];
    if (button && !button.disabled) button.click();
  });

  // Where the app is, for the admin's navigation highlight and address bar.
  function reportLocation() { post("location", location.pathname); }
  ["pushState", "replaceState"].forEach(function (name) {
    var original = history[name];
    history[name] = function () {
      var result = original.apply(this, arguments);
      reportLocation();
      return result;
    };
  });
  window.addEventListener("popstate", reportLocation);
  reportLocation();

  function define(name, onConnect) {
    if (customElements.get(name)) return;
    customElements.define(name, class extends HTMLElement {
      connectedCallback() { setTimeout(() => onConnect(this)); }
    });
  }
  define("ui-nav-menu", function (el) {
    var send = function () {
      post("nav", Array.prototype.map.call(el.querySelectorAll("a"), function (a) {
        return { href: a.getAttribute("href"), label: a.textContent, home: a.getAttribute("rel") === "home" };
      }));
    };
    send();
    new MutationObserver(send).observe(el, { childList: true, subtree: true, characterData: true });
  });
  define("ui-title-bar", function (el) { post("title", el.getAttribute("title")); });
  // The contextual save bar: shown inside the frame (Shopify shows it in the admin's top bar).
  if (!customElements.get("ui-save-bar")) {
    customElements.define("ui-save-bar", class extends HTMLElement {
      connectedCallback() {
        if (!this.hasAttribute("data-message")) this.setAttribute("data-message", "Unsaved changes");
        // Buttons the app enables, disables or relabels while the bar is showing.
        this.observer = new MutationObserver(() => { if (this.showing) reportSaveBar(this); });
        this.observer.observe(this, { subtree: true, childList: true, attributes: true, characterData: true });
      }
      disconnectedCallback() {
        this.observer.disconnect();
        if (this.showing) post("saveBar", { id: this.id, open: false });
      }
      get showing() { return this.hasAttribute("open"); }
      show() { this.setAttribute("open", ""); reportSaveBar(this); this.dispatchEvent(new Event("show")); return Promise.resolve(); }
      hide() { this.removeAttribute("open"); reportSaveBar(this); this.dispatchEvent(new Event("hide")); return Promise.resolve(); }
      toggle() { return this.showing ? this.hide() : this.show(); }
    });
  }

  // shopify-app-remix's bounce page: fetch a fresh session token and reload with it.
  var reload = params.get("shopify-reload");
  if (reload) {
    idToken().then(function (token) {
      var target = new URL(reload, location.href);
      target.searchParams.set("id_token", token);
      location.replace(target.href);
    });
  }
})();
