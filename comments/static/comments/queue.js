/* Moderation queue keyboard: j/k move, a approve, Enter approve with the suggested reply,
   r reject (with the row's reason), s spam, b ban, x select, u undo. Each key clicks the row's
   own button, so htmx (or a plain form post without it) does the work. */
(function () {
  "use strict";

  var current = null;
  var afterSwapIndex = -1;

  function actionableRows() {
    return Array.prototype.slice.call(document.querySelectorAll(".queue-row[data-comment]"));
  }

  function setCurrent(row) {
    if (!row) { return; }
    if (current && current !== row) { current.classList.remove("is-current"); }
    current = row;
    row.classList.add("is-current");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function move(delta) {
    var rows = actionableRows();
    if (!rows.length) { return; }
    var index = rows.indexOf(current);
    index = index < 0 ? 0 : Math.min(rows.length - 1, Math.max(0, index + delta));
    setCurrent(rows[index]);
  }

  function press(selector) {
    if (!current || !document.body.contains(current)) { return false; }
    var button = current.querySelector(selector);
    if (!button || button.disabled) { return false; }
    afterSwapIndex = actionableRows().indexOf(current);
    button.click();
    return true;
  }

  // Keys are letters while the moderator writes; a focused checkbox or button is not writing.
  function typing(target) {
    if (!target.closest) { return false; }
    if (target.closest("textarea, select, [contenteditable]")) { return true; }
    var input = target.closest("input");
    return Boolean(input) && ["checkbox", "radio", "button", "submit"].indexOf(input.type) < 0;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var handled = true;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a": press("[data-key='a']"); break;
      case "r": press("[data-key='r']"); break;
      case "s": press("[data-key='s']"); break;
      case "b": press("[data-key='b']"); break;
      case "x": {
        var box = current && current.querySelector("input[type=checkbox]");
        if (box) { box.checked = !box.checked; }
        break;
      }
      case "u": {
        var undo = document.getElementById("undo-button");
        if (undo) { undo.click(); }
        break;
      }
      case "Enter":
        // On a button, link or summary Enter keeps its own meaning.
        if (event.target.closest("button, a, summary")) { handled = false; break; }
        if (!press("[data-key='enter']")) { press("[data-key='a']"); }
        break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  });

  document.addEventListener("click", function (event) {
    var row = event.target.closest && event.target.closest(".queue-row[data-comment]");
    if (row) { current = row; row.classList.add("is-current"); }
  });

  document.addEventListener("change", function (event) {
    if (event.target.id !== "select-all") { return; }
    actionableRows().forEach(function (row) {
      var box = row.querySelector("input[type=checkbox]");
      if (box) { box.checked = event.target.checked; }
    });
  });

  // After a row is swapped for its summary, carry on with the next comment.
  document.addEventListener("htmx:afterSettle", function () {
    var rows = actionableRows();
    if (afterSwapIndex >= 0 && rows.length) {
      setCurrent(rows[Math.min(afterSwapIndex, rows.length - 1)]);
    } else if (current && !document.body.contains(current)) {
      current = null;
      move(0);
    }
    afterSwapIndex = -1;
  });

  function start() {
    if (!current) { move(0); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
