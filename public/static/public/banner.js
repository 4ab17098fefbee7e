/*! OutageDesk alert banner. Embed: <script src="https://HOST/embed/banner.js" data-service="whatsapp" async></script>
 Where it shows (it never covers the host's header or navigation unless asked to):
 - default: a card in the bottom corner (across the bottom on phones);
 - inline: put <div data-outagedesk-banner></div> where it belongs (a sidebar or footer widget):
   it takes room there only while an alert is shown, compact in a narrow column;
 - data-position="bottom": a bar along the bottom edge; "top": a bar over the top edge (opt-in).
 Options (data-*): services="a,b", lang="fr", position, bg="#8c1d18", fg="#fff", refresh="60" (seconds).
 Text is only ever set with textContent: incident text cannot become markup on the host page. */
(function (d, w) {
  var s = d.currentScript;
  if (!s || !w.fetch || !w.Element.prototype.attachShadow) return;
  var o = s.dataset,
    base = new URL(s.src, location.href).origin,
    svc = (o.services || o.service || "").replace(/\s+/g, ""),
    lang = (o.lang || d.documentElement.lang || "").slice(0, 2),
    src = base + "/embed/banner.json?service=" + encodeURIComponent(svc) + "&lang=" + encodeURIComponent(lang),
    K = "outagedesk-banner:" + svc,
    host, box, last;
  var css = ":host{all:initial;display:block;container-type:inline-size;font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}" +
    ":host([hidden]){display:none!important}:host([data-pos]){position:fixed;z-index:2147483000}" +
    ":host([data-pos=corner]){right:16px;bottom:16px;width:min(380px,calc(100vw - 32px))}" +
    ":host([data-pos=bottom]){left:0;right:0;bottom:0}:host([data-pos=top]){left:0;right:0;top:0}" +
    ".b{display:flex;gap:8px;align-items:flex-start;padding:10px 12px;background:var(--bg,#8c1d18);color:var(--fg,#fff);border-radius:8px}" +
    ":host([data-pos]) .b{box-shadow:0 2px 10px #0006}:host([data-pos=bottom]) .b,:host([data-pos=top]) .b{border-radius:0}" +
    ".minor,.none{background:var(--bg,#7a4f00)}.x{flex:1;min-width:0}p{margin:0;overflow-wrap:anywhere}.t{font-weight:700}" +
    ".s{font-size:11px;text-transform:uppercase;border:1px solid;border-radius:9px;padding:0 6px;margin-right:6px}a{color:inherit}" +
    "button{font:inherit;font-size:20px;line-height:1;background:none;color:inherit;border:0;border-radius:4px;padding:4px 8px;cursor:pointer}" +
    "a:focus-visible,button:focus-visible{outline:2px solid currentColor;outline-offset:2px}" +
    "@container (max-width:320px){.b{padding:8px;gap:4px;font-size:13px}.s{display:table;margin:0 0 2px}button{padding:2px 4px}}";

  function colour(v) { return /^(#[0-9a-f]{3,8}|[a-z]{3,20})$/i.test(v || "") ? v : ""; }
  function el(tag, parent, cls, text) {
    var n = d.createElement(tag);
    if (cls) n.className = cls;
    if (text) n.textContent = text;
    parent.appendChild(n);
    return n;
  }
  function dismissed() { try { return localStorage.getItem(K); } catch (e) { return null; } }
  function remember(v) { try { localStorage.setItem(K, v); } catch (e) { /* private mode */ } }
  function time(v) {
    var t = new Date(v);
    return isNaN(t) ? "" : t.toLocaleTimeString(lang || undefined, { hour: "2-digit", minute: "2-digit" });
  }

  function mount() {
    // Inline where the host placed a slot (once: a slot already used by another copy is left alone).
    host = d.querySelector("[data-outagedesk-banner]:not([data-outagedesk-mounted])");
    if (host) host.setAttribute("data-outagedesk-mounted", "");
    else {
      host = d.createElement("outagedesk-banner");
      host.setAttribute("data-pos", /^(bottom|top)$/.test(o.position) ? o.position : "corner");
      d.body.appendChild(host);
    }
    if (colour(o.bg)) host.style.setProperty("--bg", o.bg);
    if (colour(o.fg)) host.style.setProperty("--fg", o.fg);
    var root = host.attachShadow({ mode: "open" });
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } catch (e) { el("style", root, 0, css); }
    box = el("div", root, "b");
    box.setAttribute("role", "status");
  }

  function show(j) {
    var i = j.incidents && j.incidents[0], L = j.labels || {};
    if (!i || dismissed() == i.key) {
      if (host) host.hidden = true;
      last = "";
      return;
    }
    var sig = JSON.stringify(i);
    if (sig == last) return; // unchanged: no re-announcement every minute
    last = sig;
    if (!host) mount();
    box.className = "b " + i.impact;
    box.lang = j.lang || ""; // the language of the text shown, which may differ from the host's
    box.textContent = "";
    var x = el("div", box, "x"), t = el("p", x, "t");
    el("span", t, "s", i.status_label);
    t.appendChild(d.createTextNode(i.title));
    if (i.update_title) el("p", x, "u", i.update_title);
    var m = el("p", x, "m", (L.updated || "") + " " + time(i.updated_at) + " · "),
      a = el("a", m, 0, L.more || "›");
    if (/^https?:\/\//.test(i.url)) a.href = i.url;
    if (i.next_update_text) m.appendChild(d.createTextNode(" · " + i.next_update_text));
    var b = el("button", box, 0, "×");
    b.type = "button";
    b.setAttribute("aria-label", L.close || "Close");
    b.onclick = function () { remember(i.key); host.hidden = true; last = ""; };
    host.hidden = false;
  }

  function load() {
    fetch(src, { cache: "no-cache" })
      .then(function (r) { return r.ok && r.json(); })
      .then(function (j) { if (j) show(j); }, function () { /* keep what is shown */ });
  }

  if (d.body) load(); else d.addEventListener("DOMContentLoaded", load);
  setInterval(load, Math.max(1, +o.refresh || 60) * 1000);
})(document, window);
