// Tandem's only script: keyboard shortcuts and small conveniences on top of pages that work
// without it. Nothing here is needed to read, file or answer a request.
//
// Any element with data-key="<key>" answers that key: a field is focused, anything else clicked
// (a label clicked picks its radio); data-focus="<id>" then moves the focus to that element.
// Lists with [data-row] rows (the queues) also answer j/k (move), o/Enter (open).
(function () {
  "use strict";
  function typing(event) {
    var target = event.target;
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-row]"));
  var current = -1;
  function move(step) {
    if (!rows.length) { return false; }
    if (current >= 0) { rows[current].classList.remove("selected"); }
    current = Math.max(0, Math.min(rows.length - 1, current + step));
    var row = rows[current];
    row.classList.add("selected");
    var link = row.querySelector("a");
    // Focusing the row's link makes Enter open it natively and shows where the focus is.
    if (link) { link.focus(); } else { row.scrollIntoView({ block: "nearest" }); }
    return true;
  }
  function open() {
    var link = current >= 0 && rows[current].querySelector("a");
    if (link) { link.click(); }
    return !!link;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (typing(event)) {
      // Escape leaves a field, so the shortcuts work again.
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    var done = false;
    if (event.key === "j") { done = move(1); }
    else if (event.key === "k") { done = move(-1); }
    else if (event.key === "o") { done = open(); }
    if (done) { event.preventDefault(); return; }
    // Only plain keys name shortcuts (and a quote would break the selector).
    if (!/^[a-z0-9\/?]$/i.test(event.key)) { return; }
    var shortcut = document.querySelector('[data-key="' + event.key + '"]');
    if (!shortcut || shortcut.disabled) { return; }
    event.preventDefault();
    if (shortcut.matches("input, textarea, select")) { shortcut.focus(); } else { shortcut.click(); }
    var then = shortcut.getAttribute("data-focus");
    if (then && document.getElementById(then)) { document.getElementById(then).focus(); }
  });
})();
