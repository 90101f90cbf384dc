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
  header{grid-column:1/3;grid-row:1;background:#1a1a1a;color:#fff;display:flex;align-items:center;gap:12px;padding:0 16px}
  header .badge{font-size:12px;background:#303030;border-radius:8px;padding:2px 8px;color:#ccc}
  nav{padding:12px 8px;border-right:1px solid #e3e3e3;background:#ebebeb} nav h2{font-size:12px;color:#616161;margin:8px 8px}
  nav ul{list-style:none;margin:0;padding:0} nav a{display:block;padding:6px 8px;border-radius:8px;color:#303030;text-decoration:none} nav a[aria-current=page]{background:#fff;font-weight:600} nav a:focus-visible{outline:2px solid #005bd3}
  main{position:relative} iframe{border:0;width:100%;height:100%;display:block;background:#f1f1f1}
  #save-bar{grid-column:1/3;grid-row:1;display:flex;align-items:center;gap:8px;padding:0 16px;background:#1a1a1a;color:#fff;z-index:1} #save-bar[hidden]{display:none} #save-bar span{margin-right:auto;font-weight:600}
  #save-bar button{font:inherit;border-radius:8px;padding:6px 12px;border:1px solid #616161;background:#303030;color:#fff;cursor:pointer} #save-bar button.primary{background:#fff;color:#1a1a1a;border-color:#fff} #save-bar button:disabled{opacity:.5;cursor:default} #save-bar button:focus-visible{outline:2px solid #74a7ff;outline-offset:2px}
  #toast{position:fixed;bottom:24px;left:50%;transform:translateX(-50%);background:#1a1a1a;color:#fff;padding:10px 16px;border-radius:10px;display:none} #toast.error{background:#8e1f0b}
  #picker{border:0;border-radius:12px;padding:0;width:min(640px,92vw);max-height:80vh;box-shadow:0 8px 32px rgba(0,0,0,.3)} #picker::backdrop{background:rgba(0,0,0,.5)}
  #picker form{display:flex;flex-direction:column;max-height:80vh} #picker h2{font-size:16px;margin:0;padding:16px;border-bottom:1px solid #e3e3e3}
  #picker .search{padding:12px 16px} #picker .search input{width:100%;font:inherit;padding:6px 10px;border:1px solid #8a8a8a;border-radius:8px}
  #picker ul{list-style:none;margin:0;padding:0 16px;overflow:auto;flex:1} #picker li{border-bottom:1px solid #ebebeb}
  #picker label{display:flex;align-items:center;gap:10px;padding:8px 0;cursor:pointer} #picker ul ul li{border:0;padding-left:32px}
  #picker img{width:40px;height:40px;border-radius:6px;border:1px solid #e3e3e3;object-fit:cover} #picker .meta{margin-left:auto;text-align:right;color:#616161;font-size:13px}
  #picker footer{display:flex;justify-content:flex-end;gap:8px;padding:12px 16px;border-top:1px solid #e3e3e3}
  #picker footer button{font:inherit;border-radius:8px;padding:6px 12px;border:1px solid #8a8a8a;background:#fff;cursor:pointer} #picker footer button.primary{background:#303030;color:#fff;border-color:#303030} #picker footer button:disabled{opacity:.5}
  #picker :focus-visible{outline:2px solid #005bd3;outline-offset:1px}
</style>
</head>
<body>
<header><strong>${escape(p.shopName)}</strong><span class="badge">Local Shopify stand-in</span></header>
<div id="save-bar" role="region" aria-label="Unsaved changes" hidden><span></span></div>
<nav aria-label="Uplift"><h2>Uplift</h2><ul id="app-nav"></ul></nav>
<main><iframe id="app-iframe" title="Uplift" src="${escape(p.appSrc)}"></iframe></main>
<div id="toast" role="status" aria-live="polite"></div>
<dialog id="picker" aria-labelledby="picker-title">
  <form method="dialog">
    <h2 id="picker-title"></h2>
    <div class="search"><input id="picker-search" type="search" autocomplete="off"></div>
    <ul id="picker-list" aria-labelledby="picker-title"></ul>
    <footer><button type="button" id="picker-cancel">Cancel</button><button type="submit" id="picker-done" class="primary" disabled></button></footer>
  </form>
</dialog>
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
  // App Bridge's resource picker, drawn by the admin outside the app's frame as Shopify does.
  // The app asks with shopify.resourcePicker(options); the answer is the chosen resources
  // (a product with only the variants chosen), or undefined when the merchant cancels.
  const picker = document.getElementById("picker");
  const pickerList = document.getElementById("picker-list");
  const pickerSearch = document.getElementById("picker-search");
  const pickerDone = document.getElementById("picker-done");
  const shopParam = new URLSearchParams(new URL(frame.src).search).get("shop");
  let pick = null;
  const NOUNS = { product: ["product", "products"], variant: ["variant", "variants"], collection: ["collection", "collections"] };
  function chosenCount() { return Object.keys(pick.chosen).length; }
  function refreshDone() {
    const [one, many] = NOUNS[pick.options.type];
    const verb = pick.options.action === "select" ? "Select" : "Add";
    pickerDone.textContent = verb + " " + (chosenCount() === 1 ? one : many);
    pickerDone.disabled = chosenCount() === 0;
  }
  function money(amount) { return new Intl.NumberFormat(document.documentElement.lang || "en", { style: "currency", currency: pick.currency }).format(Number(amount)); }
  function row(resource, meta, checked, onToggle, image) {
    const li = document.createElement("li");
    const label = document.createElement("label");
    const box = Object.assign(document.createElement("input"), { type: "checkbox", checked });
    box.addEventListener("change", () => onToggle(box.checked));
    label.append(box);
    if (image !== undefined) label.append(Object.assign(document.createElement("img"), { src: image || "", alt: "" }));
    label.append(Object.assign(document.createElement("span"), { textContent: resource.title }), Object.assign(document.createElement("span"), { className: "meta", textContent: meta }));
    li.append(label);
    return li;
  }
  function stock(n) { return n + " in stock"; }
  function toggle(id, entry, on) {
    // One resource unless \`multiple\` (a number caps how many); a product's variants count as one.
    if (on && !(id in pick.chosen)) {
      if (!pick.options.multiple) pick.chosen = {};
      else if (typeof pick.options.multiple === "number" && chosenCount() >= pick.options.multiple) return render();
    }
    if (on) pick.chosen[id] = entry; else delete pick.chosen[id];
    render();
  }
  function render() {
    const showVariants = pick.options.filter?.variants !== false;
    pickerList.replaceChildren(...pick.resources.map((r) => {
      if (pick.options.type === "collection") return row(r, r.productsCount + " products", r.id in pick.chosen, (on) => toggle(r.id, r, on));
      if (pick.options.type === "variant") return row({ title: r.displayName }, money(r.price) + " · " + stock(r.inventoryQuantity), r.id in pick.chosen, (on) => toggle(r.id, r, on), r.image?.originalSrc);
      const chosen = pick.chosen[r.id];
      const prices = r.variants.map((v) => Number(v.price));
      const low = Math.min(...prices), high = Math.max(...prices);
      const li = row(r, (low === high ? money(low) : money(low) + " – " + money(high)) + " · " + stock(r.totalInventory), !!chosen && chosen.variants.length === r.variants.length, (on) => toggle(r.id, on ? { product: r, variants: r.variants.map((v) => v.id) } : null, on), r.images[0]?.originalSrc);
      if (showVariants && !r.hasOnlyDefaultVariant) {
        const sub = document.createElement("ul");
        sub.setAttribute("aria-label", r.title + " variants");
        sub.append(...r.variants.map((v) => row(v, money(v.price) + " · " + stock(v.inventoryQuantity), !!chosen && chosen.variants.includes(v.id), (on) => {
          const variants = (chosen ? chosen.variants.filter((id) => id !== v.id) : []).concat(on ? [v.id] : []);
          toggle(r.id, variants.length ? { product: r, variants } : null, variants.length > 0);
        })));
        li.append(sub);
      }
      return li;
    }));
    refreshDone();
  }
  async function load(query, ids) {
    const url = new URL("/admin/resource-picker", location.href);
    url.searchParams.set("shop", shopParam);
    url.searchParams.set("type", pick.options.type);
    url.searchParams.set("query", query);
    if (pick.options.filter?.draft === false) url.searchParams.set("draft", "false");
    if (pick.options.filter?.archived === false) url.searchParams.set("archived", "false");
    (ids || []).forEach((id) => url.searchParams.append("id", id));
    const body = await (await fetch(url)).json();
    pick.currency = body.currency;
    return body.resources;
  }
  let searchTimer;
  pickerSearch.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(async () => { pick.resources = await load(pickerSearch.value); render(); }, 150);
  });
  function answer(selection) {
    frame.contentWindow.postMessage({ source: "devshop-admin", type: "resourcePickerResult", id: pick.id, selection }, "*");
    pick = null;
  }
  document.getElementById("picker-cancel").addEventListener("click", () => picker.close());
  picker.addEventListener("close", () => {
    if (!pick) return;
    if (picker.returnValue !== "done") return answer(undefined);
    const selection = Object.values(pick.chosen).map((entry) => entry && entry.product ? { ...entry.product, variants: entry.product.variants.filter((v) => entry.variants.includes(v.id)) } : entry);
    answer(selection);
  });
  pickerDone.addEventListener("click", () => { picker.returnValue = "done"; });
  async function openPicker(id, options) {
    pick = { id, options, chosen: {}, resources: [], currency: "USD" };
    const [one, many] = NOUNS[options.type];
    document.getElementById("picker-title").textContent = (options.action === "select" ? "Select " : "Add ") + (options.multiple ? many : one);
    pickerSearch.setAttribute("aria-label", "Search " + many);
    pickerSearch.value = options.query || "";
    picker.returnValue = "";
    const preselected = (options.selectionIds || []).map((s) => s.id);
    if (preselected.length) {
      for (const r of await load("", preselected)) {
        const wanted = (options.selectionIds.find((s) => s.id === r.id).variants || []).map((v) => v.id);
        pick.chosen[r.id] = options.type === "product" ? { product: r, variants: wanted.length ? wanted : r.variants.map((v) => v.id) } : r;
      }
    }
    pick.resources = await load(pickerSearch.value);
    render();
    picker.showModal();
    pickerSearch.focus();
  }
  addEventListener("message", (event) => {
    const msg = event.data;
    if (!msg || msg.source !== "devshop-app-bridge") return;
    if (msg.type === "resourcePicker") return openPicker(msg.data.id, msg.data.options);
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
