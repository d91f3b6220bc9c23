/* 核对建议事项: 全选 / 全不选, and one responsible unit, lead leader or deadline for every
 * ticked proposal at once. The bar is hidden in the HTML and shown here, since it needs this
 * script; what it sets is what the page's own fields submit. */
(function () {
  "use strict";

  function ticks() {
    return Array.prototype.slice.call(
      document.querySelectorAll(".proposal input[type=checkbox][name$='-selected']"));
  }

  function field(card, suffix) {
    return card.querySelector("[name$='-" + suffix + "']");
  }

  function set(target, value) {
    if (!target || value === "") { return false; }
    target.value = value;
    target.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  function openAround(element) {
    for (var node = element; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var bar = document.getElementById("bulk-bar");
    if (!bar) { return; }
    bar.hidden = false;
    var status = bar.querySelector("[data-status]");
    function say(text) { status.textContent = text; }
    function counted() {
      return bar.dataset.ticked.replace("%n", ticks().filter(function (t) { return t.checked; }).length);
    }

    bar.querySelector("[data-tick=all]").addEventListener("click", function () {
      ticks().forEach(function (tick) { tick.checked = true; });
      say(counted());
    });
    bar.querySelector("[data-tick=none]").addEventListener("click", function () {
      ticks().forEach(function (tick) { tick.checked = false; });
      say(counted());
    });
    bar.querySelector("[data-apply]").addEventListener("click", function () {
      var unit = bar.querySelector("#bulk-unit").value;
      var lead = bar.querySelector("#bulk-lead").value;
      var due = bar.querySelector("#bulk-due").value;
      if (!unit && !lead && !due) { say(bar.dataset.nothing); return; }
      var changed = 0;
      ticks().filter(function (tick) { return tick.checked; }).forEach(function (tick) {
        var card = tick.closest(".proposal");
        var any = [set(field(card, "responsible_unit_id"), unit),
                   set(field(card, "lead_leader_id"), lead),
                   set(field(card, "due_date"), due)].some(Boolean);
        if (any) { changed += 1; }
      });
      say(bar.dataset.applied.replace("%n", changed));
    });

    // A link of the error summary may point into the folded low-confidence proposals.
    document.querySelectorAll("#error-summary a[href^='#proposal-']").forEach(function (link) {
      link.addEventListener("click", function () {
        openAround(document.querySelector(link.getAttribute("href")));
      });
    });
  });
}());
