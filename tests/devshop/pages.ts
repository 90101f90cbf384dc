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
  #toast{position:fixed;bottom:24px;left:50%;transform:translateX(-50%);background:#1a1a1a;color:#fff;padding:10px 16px;border-radius:10px;display:none} #toast.error{background:#8e1f0b}
</style>
</head>
<body>
<header><strong>${escape(p.shopName)}</strong><span class="badge">Local Shopify stand-in</span></header>
<nav aria-label="Uplift"><h2>Uplift</h2><ul id="app-nav"></ul></nav>
<main><iframe id="app-iframe" title="Uplift" src="${escape(p.appSrc)}"></iframe></main>
<div id="toast" role="status" aria-live="polite"></div>
<script>
  const base = ${JSON.stringify(p.basePath)};
  const current = location.pathname.slice(base.length) || "";
  const toast = document.getElementById("toast");
  let toastTimer;
  addEventListener("message", (event) => {
    const msg = event.data;
    if (!msg || msg.source !== "devshop-app-bridge") return;
    if (msg.type === "nav") {
      const list = document.getElementById("app-nav");
      list.replaceChildren(...msg.data.map((link) => {
        const path = link.href.replace(/^\\/app/, "").replace(/\\/$/, "");
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = base + path + location.search;
        a.textContent = link.label;
        if (path === current.replace(/\\/$/, "")) a.setAttribute("aria-current", "page");
        li.append(a);
        return li;
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
