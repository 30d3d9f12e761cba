// The console's only script: no framework, loaded from the app itself (the CSP allows nothing else).
// It adds the viewer's local time beside each UTC time, and asks before a destructive action.
(function () {
  "use strict";

  function localTimes() {
    var label = document.documentElement.lang === "es" ? "hora local" : "local time";
    document.querySelectorAll("time[data-local]").forEach(function (el) {
      if (el.querySelector(".local")) { return; }
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when.getTime())) { return; }
      var text = when.toLocaleString(document.documentElement.lang || undefined, {
        year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit"
      });
      var span = document.createElement("span");
      span.className = "local";
      span.textContent = " (" + label + ": " + text + ")";
      el.appendChild(span);
    });
  }

  function confirmations() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    localTimes();
    confirmations();
  });
}());
