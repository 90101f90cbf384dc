// The strict sandbox's side of the stand-in's web pixel API: this script runs first in the
// pixel's Web Worker, then the bundled pixel, whose `register` calls `shopify.extend`.
// The page's manager (web-pixels-manager.js) sends "init", "event" and "consent" messages; the
// pixel's `browser` calls go to the page and come back as "result" messages, asynchronously,
// as Shopify's do (a worker has no document.cookie or localStorage of the page).
(function () {
  var subscribers = {};
  var privacySubscribers = {};
  var calls = {};
  var nextCall = 1;
  var ready = null;
  var pending = [];

  function call(method, args) {
    return new Promise(function (resolve, reject) {
      var id = nextCall++;
      calls[id] = { resolve: resolve, reject: reject };
      self.postMessage({ type: "browser", id: id, method: method, args: args });
    });
  }
  function storage(area) {
    return {
      getItem: function (key) { return call(area + ".getItem", [key]); },
      setItem: function (key, value) { return call(area + ".setItem", [key, value]); },
      removeItem: function (key) { return call(area + ".removeItem", [key]); },
      key: function (index) { return call(area + ".key", [index]); },
      length: function () { return call(area + ".length", []); },
      clear: function () { return call(area + ".clear", []); },
    };
  }
  function deliver(event) {
    var names = [event.name, "all_events", event.type === "custom" ? "all_custom_events" : "all_standard_events"];
    names.forEach(function (name) {
      (subscribers[name] || []).forEach(function (callback) {
        try { callback(event); } catch (error) { console.error(error); }
      });
    });
  }

  self.shopify = {
    extend: function (extensionPoint, extend) {
      if (extensionPoint !== "WebPixel::Render") throw new Error("Unknown extension point " + extensionPoint);
      ready = function (init) {
        extend({
          settings: init.settings,
          init: init.init,
          _pixelInfo: { id: init.id, type: "APP", runtimeContext: "STRICT" },
          analytics: {
            subscribe: function (name, callback) {
              (subscribers[name] = subscribers[name] || []).push(callback);
              return function () { subscribers[name] = subscribers[name].filter(function (c) { return c !== callback; }); return true; };
            },
          },
          customerPrivacy: {
            subscribe: function (name, callback) {
              (privacySubscribers[name] = privacySubscribers[name] || []).push(callback);
              return function () { return true; };
            },
          },
          browser: {
            cookie: { get: function (name) { return call("cookie.get", [name]); }, set: function (a, b) { return call("cookie.set", [a, b]); } },
            localStorage: storage("localStorage"),
            sessionStorage: storage("sessionStorage"),
            sendBeacon: function (url, body) { return call("sendBeacon", [url, body]); },
          },
        });
      };
      pending.forEach(function (message) { self.onmessage({ data: message }); });
      pending = [];
    },
  };

  self.onmessage = function (message) {
    var data = message.data;
    if (data.type === "result") {
      var c = calls[data.id];
      delete calls[data.id];
      if (c && data.error) c.reject(new Error(data.error));
      else if (c) c.resolve(data.value);
      return;
    }
    if (!ready) { pending.push(data); return; }
    if (data.type === "init") ready(data);
    else if (data.type === "event") deliver(data.event);
    else if (data.type === "consent") {
      (privacySubscribers.visitorConsentCollected || []).forEach(function (callback) { callback({ customerPrivacy: data.customerPrivacy }); });
    }
  };
})();
