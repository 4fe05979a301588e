// Tandem's only script: keyboard shortcuts and small conveniences on top of pages that work
// without it. Nothing here is needed to read, file or answer a request.
(function () {
  "use strict";
  function typing(event) {
    var target = event.target;
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event)) { return; }
    var shortcut = document.querySelector('[data-key="' + event.key + '"]');
    if (!shortcut) { return; }
    event.preventDefault();
    if (shortcut.matches("input, textarea, select")) { shortcut.focus(); } else { shortcut.click(); }
  });
})();
