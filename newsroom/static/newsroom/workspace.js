/* Newsroom workspace: keyboard use (j/k move in the inbox, v verify, x reject, p publish),
   htmx responses for conflicts and refused forms, confirmations. No inline script: CSP. */
(function () {
  "use strict";

  var currentId = null;

  // htmx copies "style" attributes while settling a swap; the CSP forbids inline styles, so
  // any style="" a browser tool left on an element would be reported as a violation.
  if (window.htmx) {
    window.htmx.config.attributesToSettle = ["class", "width", "height"];
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      if (window.htmx) { window.htmx.config.attributesToSettle = ["class", "width", "height"]; }
    });
  }

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("#inbox-list .inbox-item"));
  }

  function currentItem() {
    return currentId ? document.getElementById("evidence-" + currentId) : null;
  }

  function highlight() {
    items().forEach(function (item) {
      var on = item.dataset.evidence === currentId;
      item.classList.toggle("is-current", on);
      item.setAttribute("aria-current", on ? "true" : "false");
    });
  }

  function select(item) {
    if (!item) { return; }
    currentId = item.dataset.evidence;
    highlight();
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var list = items();
    if (!list.length) { return; }
    var index = list.indexOf(currentItem());
    var next = index < 0 ? 0 : Math.min(list.length - 1, Math.max(0, index + step));
    select(list[next]);
  }

  function decide(action) {
    var item = currentItem();
    if (!item) { move(1); item = currentItem(); }
    if (!item) { return; }
    var button = item.querySelector('button[data-action="' + action + '"]');
    var list = items();
    var following = list[list.indexOf(item) + 1];
    if (button) { button.click(); }
    // Move on at once: the editor reads the next item while the decision is saved.
    if (following) { select(following); }
  }

  function publish() {
    var form = document.getElementById("composer-form");
    if (!form) { return; }
    var button = document.getElementById("publish-button");
    if (window.htmx) {
      // htmx intercepts the submit and asks for confirmation (hx-confirm).
      form.requestSubmit(button);
    } else if (window.confirm(form.getAttribute("hx-confirm"))) {
      form.submit();
    }
  }

  var NOT_TYPING = ["radio", "checkbox", "button", "submit", "reset"];

  function isTyping(target) {
    if (!target) { return false; }
    var tag = target.tagName;
    if (tag === "INPUT") { return NOT_TYPING.indexOf(target.type) < 0; }
    return tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) { return; }
    var actions = {
      j: function () { move(1); },
      k: function () { move(-1); },
      v: function () { decide("verify"); },
      x: function () { decide("reject"); },
      p: publish
    };
    var action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  document.addEventListener("click", function (event) {
    var item = event.target.closest && event.target.closest("#inbox-list .inbox-item");
    if (item) {
      currentId = item.dataset.evidence;
      highlight();
    }
  });

  // A conflict (409) or a refused form (422) carries the editor's text back: show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Publishing refreshes the state panel, unless the editor is typing in it: then their
  // next save meets the conflict screen, which keeps what they typed.
  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("#state-form");
    if (form) { form.dataset.dirty = "1"; }
  });
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    var form = document.getElementById("state-form");
    if (target && target.id === "state-panel" && form && form.dataset.dirty === "1") {
      event.detail.shouldSwap = false;
    }
  });

  // "Next update by": none by default on a resolution, the usual delay otherwise, until the
  // editor picks a value themselves (then their choice stays).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.id === "composer-next_update_minutes") {
      target.dataset.touched = "1";
      return;
    }
    if (target.id !== "composer-status") { return; }
    var next = document.getElementById("composer-next_update_minutes");
    if (!next || next.dataset.touched === "1") { return; }
    next.value = target.value === "resolved" ? "" : next.dataset.usual;
  }, true); // capture: set before htmx reads the form for the preview

  document.addEventListener("htmx:afterSettle", highlight);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
