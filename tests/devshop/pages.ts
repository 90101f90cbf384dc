// HTML the stand-in serves to merchants: a Shopify-like admin frame around the embedded
// app. (The storefront is a Liquid theme: storefront/.)

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderAdminFrame(p: { shopName: string; appSrc: string; basePath: string; locale: string }): string {
  return `<!doctype html>
<html lang="${escape(p.locale)}">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Uplift · ${escape(p.shopName)} · Shopify admin (local stand-in)</title>
<style>
  *{box-sizing:border-box} body{margin:0;font:14px/1.4 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;background:#f1f1f1;color:#303030;display:grid;grid-template-columns:220px 1fr;grid-template-rows:48px 1fr;height:100vh}
  header{grid-column:1/3;background:#1a1a1a;color:#fff;display:flex;align-items:center;gap:12px;padding:0 16px}
  header .badge{font-size:12px;background:#303030;border-radius:8px;padding:2px 8px;color:#ccc}
  nav{padding:12px 8px;border-right:1px solid #e3e3e3;background:#ebebeb} nav h2{font-size:12px;color:#616161;margin:8px 8px}
  nav ul{list-style:none;margin:0;padding:0} nav a{display:block;padding:6px 8px;border-radius:8px;color:#303030;text-decoration:none} nav a[aria-current=page]{background:#fff;font-weight:600} nav a:focus-visible{outline:2px solid #005bd3}
  main{position:relative} iframe{border:0;width:100%;height:100%;display:block;background:#f1f1f1}
  #save-bar{grid-column:1/3;grid-row:1;display:flex;align-items:center;gap:8px;padding:0 16px;background:#1a1a1a;color:#fff;z-index:1} #save-bar[hidden]{display:none} #save-bar span{margin-right:auto;font-weight:600}
  #save-bar button{font:inherit;border-radius:8px;padding:6px 12px;border:1px solid #616161;background:#303030;color:#fff;cursor:pointer} #save-bar button.primary{background:#fff;color:#1a1a1a;border-color:#fff} #save-bar button:disabled{opacity:.5;cursor:default} #save-bar button:focus-visible{outline:2px solid #74a7ff;outline-offset:2px}
  #toast{position:fixed;bottom:24px;left:50%;transform:translateX(-50%);background:#1a1a1a;color:#fff;padding:10px 16px;border-radius:10px;display:none} #toast.error{background:#8e1f0b}
</style>
</head>
<body>
<header><strong>${escape(p.shopName)}</strong><span class="badge">Local Shopify stand-in</span></header>
<div id="save-bar" role="region" aria-label="Unsaved changes" hidden><span></span></div>
<nav aria-label="Uplift"><h2>Uplift</h2><ul id="app-nav"></ul></nav>
<main><iframe id="app-iframe" title="Uplift" src="${escape(p.appSrc)}"></iframe></main>
<div id="toast" role="status" aria-live="polite"></div>
<script>
  const base = ${JSON.stringify(p.basePath)};
  let current = location.pathname.slice(base.length).replace(/\\/$/, "");
  const toast = document.getElementById("toast");
  const saveBar = document.getElementById("save-bar");
  const frame = document.getElementById("app-iframe");
  let toastTimer;
  let navPaths = [];

  // The link for the app's page: the longest nav path the page sits under ("" only for itself).
  function highlight() {
    const best = navPaths.filter((p) => p === current || (p && current.startsWith(p + "/"))).sort((a, b) => b.length - a.length)[0];
    document.querySelectorAll("#app-nav a").forEach((a) => {
      if (a.dataset.path === best) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    });
  }
  addEventListener("message", (event) => {
    const msg = event.data;
    if (!msg || msg.source !== "devshop-app-bridge") return;
    if (msg.type === "nav") {
      const list = document.getElementById("app-nav");
      navPaths = msg.data.map((link) => link.href.replace(/^\\/app/, "").replace(/\\/$/, ""));
      list.replaceChildren(...msg.data.map((link, i) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = base + navPaths[i] + location.search;
        a.dataset.path = navPaths[i];
        a.textContent = link.label;
        li.append(a);
        return li;
      }));
      highlight();
    } else if (msg.type === "location") {
      // As Shopify's admin does: its address follows the app's page, and so does the highlight
      // (pages outside /app, such as the session-token bounce, are not the app's own).
      if (!/^\\/app(\\/|$)/.test(msg.data)) return;
      current = msg.data.replace(/^\\/app/, "").replace(/\\/$/, "");
      history.replaceState(null, "", base + current + location.search);
      highlight();
    } else if (msg.type === "saveBar") {
      saveBar.hidden = !msg.data.open;
      if (!msg.data.open) return;
      saveBar.setAttribute("aria-label", msg.data.message);
      saveBar.replaceChildren(Object.assign(document.createElement("span"), { textContent: msg.data.message }), ...msg.data.buttons.map((b, index) => {
        const button = Object.assign(document.createElement("button"), { type: "button", textContent: b.label, disabled: b.disabled, className: b.primary ? "primary" : "" });
        button.addEventListener("click", () => frame.contentWindow.postMessage({ source: "devshop-admin", type: "saveBarAction", id: msg.data.id, index }, "*"));
        return button;
      }));
    } else if (msg.type === "toast") {
      toast.textContent = msg.data.message;
      toast.className = msg.data.isError ? "error" : "";
      toast.style.display = "block";
      clearTimeout(toastTimer);
      toastTimer = setTimeout(() => (toast.style.display = "none"), 4000);
    } else if (msg.type === "title" && msg.data) {
      document.title = msg.data + " · Uplift";
    }
  });
</script>
</body>
</html>`;
}
