/* The iframe banner keeps itself current in place. Reloading the frame every minute (what it
   does without script, see the <noscript> refresh) restarts a screen reader inside the frame
   and never announces what changed; replacing the bar's content is announced through its
   role="status". Only this site's own escaped HTML is parsed, and parsed HTML runs no script. */
(function (d, w) {
  "use strict";
  var bar = d.querySelector("[data-banner-bar]");
  if (!bar || !w.fetch || !w.DOMParser) return;

  function refresh() {
    if (d.hidden) return;
    fetch(w.location.href, { cache: "no-cache", credentials: "omit" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-banner-bar]");
        if (!fresh || (fresh.className === bar.className && fresh.innerHTML === bar.innerHTML)) return;
        bar.className = fresh.className;
        bar.replaceChildren.apply(bar, Array.prototype.slice.call(fresh.childNodes));
      })
      .catch(function () { /* offline: keep what is shown, try again next minute */ });
  }

  w.setInterval(refresh, 60000);
  d.addEventListener("visibilitychange", refresh);
})(document, window);
