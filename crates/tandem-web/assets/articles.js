// Help articles on the pages that use them: suggestions while a request's subject is typed, and
// the "Insert article link" picker of the agent's reply box. Both pages work without it: the
// suggestions are an extra, and an agent can paste an article's address by hand.
(function () {
  "use strict";
  var WAIT_MS = 250;

  // <input data-suggest="/portal/suggestions?service=x" data-suggest-into="id">: after a pause in
  // typing, the fragment for the text so far replaces the contents of #id. An answer that
  // arrives after a newer question was asked is dropped.
  Array.prototype.forEach.call(document.querySelectorAll("[data-suggest]"), function (input) {
    var into = document.getElementById(input.getAttribute("data-suggest-into"));
    var timer = null;
    var asked = 0;
    function ask() {
      var number = ++asked;
      var url = input.getAttribute("data-suggest") + "&q=" + encodeURIComponent(input.value);
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) { if (number === asked) { into.innerHTML = html; } })
        .catch(function () {});
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, WAIT_MS);
    });
    if (input.value) { ask(); }
  });

  // "This solved my problem" (data-solved="<url>", value = the article's id) sends the request form
  // it sits in to <url> instead of filing it. It is a plain button, not a submit button, so that
  // Enter in the subject (which presses the form's first submit button) still sends the request.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-solved]");
    if (!button || !button.form) { return; }
    event.preventDefault();
    var form = button.form;
    var article = document.createElement("input");
    article.type = "hidden";
    article.name = "article_id";
    article.value = button.value;
    form.appendChild(article);
    form.action = button.getAttribute("data-solved");
    form.method = "post";
    form.enctype = "application/x-www-form-urlencoded";
    form.submit();
  });

  // A button with data-insert-link="<url>" inserts the address at the cursor of #data-into.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-insert-link]");
    if (!button) { return; }
    event.preventDefault();
    var box = document.getElementById(button.getAttribute("data-into"));
    var link = location.origin + button.getAttribute("data-insert-link");
    var at = box.selectionStart || box.value.length;
    box.value = box.value.slice(0, at) + link + box.value.slice(box.selectionEnd || at);
    box.focus();
    box.selectionStart = box.selectionEnd = at + link.length;
  });
})();
