// Spire's office pages work without this script; with it, a few things take fewer clicks.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("DOMContentLoaded", function () {
    // A form that does something hard to undo asks first.
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });

    // Nothing typed is lost by leaving the page by mistake: a changed form asks before
    // the page is left, unless it is being sent.
    document.querySelectorAll("form[data-keep]").forEach(function (form) {
      var changed = false;
      form.addEventListener("input", function () { changed = true; });
      form.addEventListener("submit", function () { changed = false; });
      window.addEventListener("beforeunload", function (event) {
        if (changed) { event.preventDefault(); event.returnValue = ""; }
      });
    });

    // After a refused form, the summary of what to fix gets the focus (and is read out).
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();
