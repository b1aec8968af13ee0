// matchgrid: progressive enhancement only. Every page works without this
// file: forms submit, links navigate. Loaded with defer from the site's own
// origin (the content security policy allows no inline script).
(function () {
  "use strict";

  // Ask before destructive actions: <button data-confirm="Delete?">.
  document.addEventListener("click", function (e) {
    var btn = e.target.closest("button[data-confirm]");
    if (btn && !window.confirm(btn.getAttribute("data-confirm"))) {
      e.preventDefault();
    }
  });

  // Filters apply at once: a change of a checkbox or a select that belongs
  // to a form marked data-autosubmit submits that form (its button still
  // works without script).
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (!el.form || !el.form.hasAttribute("data-autosubmit")) return;
    if (el.type !== "checkbox" && el.tagName !== "SELECT") return;
    if (el.form.requestSubmit) el.form.requestSubmit(); else el.form.submit();
  });

  // Copy buttons: <button data-copy="input-id" hidden> is shown and copies
  // the input's value.
  document.querySelectorAll("button[data-copy]").forEach(function (btn) {
    var input = document.getElementById(btn.getAttribute("data-copy"));
    if (!input || !navigator.clipboard) return;
    btn.hidden = false;
    btn.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        var old = btn.textContent;
        btn.textContent = "Copied";
        setTimeout(function () { btn.textContent = old; }, 1500);
      });
    });
  });
})();

// "Select all on this page": <input type=checkbox data-select-all="NAME">
// ticks every checkbox name=NAME; [data-selected-count] shows how many.
(function () {
  "use strict";
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    var name = all.getAttribute("data-select-all");
    var boxes = function () { return document.querySelectorAll('input[type=checkbox][name="' + name + '"]'); };
    var count = document.querySelector("[data-selected-count]");
    var show = function () {
      var n = Array.prototype.filter.call(boxes(), function (b) { return b.checked; }).length;
      if (count) count.textContent = n ? n + " ✓" : "";
    };
    all.addEventListener("change", function () {
      boxes().forEach(function (b) { b.checked = all.checked; });
      show();
    });
    document.addEventListener("change", function (e) { if (e.target.name === name) show(); });
  });
})();

// Phones: the header's menu folds behind a button, and the marketplace's
// filters fold under the results. Without script both stay open.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var header = document.querySelector(".site-header");
  var toggle = document.querySelector(".menu-toggle");
  if (header && toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = header.classList.toggle("menu-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  if (window.matchMedia && window.matchMedia("(max-width: 40rem)").matches) {
    document.querySelectorAll("details[data-fold-on-phone]").forEach(function (d) { d.open = false; });
  }
})();
