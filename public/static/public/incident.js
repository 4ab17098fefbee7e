/* Public pages, progressively enhanced (everything works without this file):
   times in the reader's zone with "12 min ago", new updates without a reload (a cheap poll
   answered 304 while nothing changed), the comments fragment, and "down for me" in place. */
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var french = lang.indexOf("fr") === 0;
  var POLL_MS = 30000;
  // The one date format per language (outagedesk/lib/times.py writes the same in UTC):
  // "30 Nov 2026, 15:17" in English, "30/11/2026 15:17" in French, here in the reader's zone.
  var EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var intlLang = french ? "fr" : "en-GB";  // "12 min ago", not the US "12 min. ago"
  var zoneFormat = window.Intl ? new Intl.DateTimeFormat(intlLang, { timeZoneName: "short" }) : null;
  // Short for minutes and hours ("12 min ago"), words for longer spans ("5 years ago").
  var relative = window.Intl && Intl.RelativeTimeFormat
    ? new Intl.RelativeTimeFormat(intlLang, { numeric: "auto", style: "short" }) : null;
  var relativeLong = relative ? new Intl.RelativeTimeFormat(intlLang, { numeric: "auto" }) : null;

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  function zoneName(date) {
    if (!zoneFormat || !zoneFormat.formatToParts) return "";
    var part = zoneFormat.formatToParts(date).filter(function (p) { return p.type === "timeZoneName"; })[0];
    return part ? " " + part.value : "";
  }

  function human(date) {
    var time = pad(date.getHours()) + ":" + pad(date.getMinutes());
    var day = french
      ? pad(date.getDate()) + "/" + pad(date.getMonth() + 1) + "/" + date.getFullYear() + " "
      : date.getDate() + " " + EN_MONTHS[date.getMonth()] + " " + date.getFullYear() + ", ";
    return day + time + zoneName(date);
  }

  function ago(date) {
    var seconds = (date.getTime() - Date.now()) / 1000;
    var size = Math.abs(seconds);
    if (size < 3600) return relative.format(Math.round(seconds / 60), "minute");
    if (size < 86400) return relative.format(Math.round(seconds / 3600), "hour");
    if (size < 30 * 86400) return relativeLong.format(Math.round(seconds / 86400), "day");
    if (size < 365 * 86400) return relativeLong.format(Math.round(seconds / (30 * 86400)), "month");
    return relativeLong.format(Math.round(seconds / (365 * 86400)), "year");
  }

  function localizeTimes(root) {
    root.querySelectorAll("time[data-local]").forEach(function (element) {
      var date = new Date(element.getAttribute("datetime"));
      if (isNaN(date.getTime())) return;
      var text = human(date);
      if (relative && element.hasAttribute("data-relative")) text += " (" + ago(date) + ")";
      element.textContent = text;
    });
  }

  function announce(text) {
    var region = document.querySelector("[data-live-announcer]");
    if (region && text) region.textContent = text;
  }

  function watchIncident(page) {
    var version = page.getAttribute("data-version");
    var stateUrl = page.getAttribute("data-state-url");

    function swapIn(html, expected) {
      var fresh = new DOMParser().parseFromString(html, "text/html");
      var freshPage = fresh.querySelector("[data-incident-page]");
      // A cache may still hold the previous page for a second: try again at the next poll.
      if (!freshPage || freshPage.getAttribute("data-version") !== expected) return;
      document.querySelectorAll("[data-live][id]").forEach(function (element) {
        var replacement = fresh.getElementById(element.id);
        if (replacement) element.replaceWith(document.importNode(replacement, true));
      });
      version = expected;
      page.setAttribute("data-version", expected);
      document.title = fresh.title;
      localizeTimes(document);
      announce(page.getAttribute("data-new-update"));
    }

    function poll() {
      if (document.hidden) return;
      fetch(stateUrl, { cache: "no-cache", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (!state || state.version === version) return null;
          return fetch(location.pathname, { cache: "no-cache" }).then(function (response) {
            return response.ok ? response.text() : null;
          }).then(function (html) { if (html) swapIn(html, state.version); });
        })
        .catch(function () { /* offline or server busy: the next poll tries again */ });
    }

    setInterval(poll, POLL_MS);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });
  }

  function loadComments() {
    var link = document.querySelector("#comments a[data-fragment]");
    if (!link) return;
    fetch(link.getAttribute("data-fragment"), { headers: { Accept: "text/html" } })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        return response.ok && type.indexOf("text/html") === 0 ? response.text() : null;
      })
      .then(function (html) {
        if (!html) return;  // the plain link stays
        var fragment = new DOMParser().parseFromString(html, "text/html");
        var holder = document.createElement("div");
        holder.className = "comments-fragment";
        Array.prototype.forEach.call(fragment.body.childNodes, function (node) {
          holder.appendChild(document.importNode(node, true));
        });
        link.closest("p").replaceWith(holder);
      })
      .catch(function () { /* the plain link stays */ });
  }

  function enhanceReportForms() {
    document.querySelectorAll("form[data-report-form]").forEach(function (form) {
      var output = form.querySelector("[data-report-message]");
      var button = form.querySelector("button[type=submit]");
      function show(text) { output.textContent = text; output.hidden = false; }
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        button.disabled = true;
        fetch(form.action, {
          method: "POST",
          body: new URLSearchParams(new FormData(form)),
          headers: { Accept: "application/json" },
          credentials: "same-origin"
        })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            show(data && data.message ? String(data.message) : form.getAttribute("data-error"));
          })
          .catch(function () { show(form.getAttribute("data-error")); })
          .then(function () { button.disabled = false; });
      });
    });
  }

  localizeTimes(document);
  setInterval(function () { localizeTimes(document); }, POLL_MS);
  var page = document.querySelector("[data-incident-page]");
  if (page) watchIncident(page);
  loadComments();
  enhanceReportForms();
})();
