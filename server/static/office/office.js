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

    // A form being sent takes no second click: a double click saves once. (The server
    // also knows a form sent again; this spares the second request.) The listener sits on
    // the document, so it hears a submit after the form's own (a question declined).
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post") { return; }
      if (form.getAttribute("data-sending")) { event.preventDefault(); return; }
      form.setAttribute("data-sending", "true");
      form.setAttribute("aria-busy", "true");
      // A form that answers with a file leaves the page as it is: it takes clicks again
      // once the file is on its way.
      if (form.hasAttribute("data-download")) {
        window.setTimeout(function () {
          form.removeAttribute("data-sending");
          form.removeAttribute("aria-busy");
        }, 3000);
      }
    });
    window.addEventListener("pageshow", function () {
      document.querySelectorAll("form[data-sending]").forEach(function (form) {
        form.removeAttribute("data-sending");
        form.removeAttribute("aria-busy");
      });
    });

    // After a refused form, the summary of what to fix gets the focus (and is read out).
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();

// Plans: the editor offers a few empty goal rows; "Add another goal" adds one more, a copy
// of the last empty row with the next number.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("button[data-add-goal]");
    var rows = document.querySelector(".goal-rows");
    if (!button || !rows) { return; }
    button.closest("[data-add-goal-row]").hidden = false;
    button.addEventListener("click", function () {
      var all = rows.querySelectorAll("fieldset.goal-row");
      var template = all[all.length - 1];
      var copy = template.cloneNode(true);
      var number = all.length;
      copy.querySelectorAll("[name], [id], label[for], [aria-describedby]").forEach(function (element) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (value) { element.setAttribute(attribute, value.replace(/goals-\d+-/g, "goals-" + number + "-")); }
        });
        if (element.matches("input[type=text], input[type=date], textarea")) { element.value = ""; }
        if (element.matches("input[type=hidden]")) { element.value = ""; }
        if (element.matches("input[type=checkbox]")) { element.checked = false; }
      });
      copy.querySelectorAll(".field-error").forEach(function (error) { error.remove(); });
      copy.querySelectorAll("[aria-invalid]").forEach(function (element) { element.removeAttribute("aria-invalid"); });
      rows.appendChild(copy);
      var first = copy.querySelector("input[type=text]");
      if (first) { first.focus(); }
    });
  });
})();

// Surveys: "Add another question" adds a row, a copy of the last empty one with the next
// number; a question's options box shows only for a choice (or while it holds text).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var rows = document.querySelector(".question-rows");
    if (!rows) { return; }
    function showOptions(row) {
      var kind = row.querySelector("select[name$='-kind']");
      var box = row.querySelector(".options-box");
      if (!kind || !box) { return; }
      box.hidden = kind.value !== "choice" && !box.querySelector("textarea").value.trim();
    }
    rows.querySelectorAll("fieldset.question-row").forEach(showOptions);
    rows.addEventListener("change", function (event) {
      var row = event.target.closest("fieldset.question-row");
      if (row) { showOptions(row); }
    });
    var button = document.querySelector("button[data-add-question]");
    if (!button) { return; }
    button.closest("[data-add-question-row]").hidden = false;
    button.addEventListener("click", function () {
      var all = rows.querySelectorAll("fieldset.question-row");
      var copy = all[all.length - 1].cloneNode(true);
      var number = all.length;
      copy.querySelectorAll("[name], [id], label[for], [aria-describedby]").forEach(function (element) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (value) { element.setAttribute(attribute, value.replace(/questions-\d+-/g, "questions-" + number + "-")); }
        });
        if (element.matches("textarea")) { element.value = ""; }
        if (element.matches("select")) { element.value = "scale"; }
      });
      copy.querySelectorAll(".field-error").forEach(function (error) { error.remove(); });
      copy.querySelectorAll(".has-error").forEach(function (box) { box.classList.remove("has-error"); });
      copy.querySelectorAll("[aria-invalid]").forEach(function (element) { element.removeAttribute("aria-invalid"); });
      rows.appendChild(copy);
      showOptions(copy);
      var first = copy.querySelector("textarea");
      if (first) { first.focus(); }
    });
  });
})();
