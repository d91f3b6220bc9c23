/* Searchable selects, written for Taskboard so that nothing comes from a CDN.
 *
 * A <select multiple> becomes a filterable list of checkboxes: no Ctrl-click. A long single
 * <select> inside an element marked data-pickers gets a filter box above it (Enter picks the
 * first match); filter bars elsewhere stay plain. The original select stays
 * in the form and is what gets submitted, so a page works the same without this script; a
 * "change" event on the select (another script setting it) redraws the checkboxes.
 */
(function () {
  "use strict";
  var LONG = 8;
  var made = 0;

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function fits(text, query) {
    var haystack = text.toLowerCase();
    return words(query).every(function (word) { return haystack.indexOf(word) !== -1; });
  }

  function labelOf(select) {
    if (select.labels && select.labels.length) { return select.labels[0].textContent.trim(); }
    return select.getAttribute("aria-label") || "";
  }

  function filterBox(select) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control form-control-sm mb-1 picker-filter";
    input.placeholder = document.body.dataset.pickerFilter || "…";
    input.setAttribute("aria-label", input.placeholder + " " + labelOf(select));
    input.autocomplete = "off";
    return input;
  }

  function single(select) {
    var input = filterBox(select);
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function () {
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = option.value !== "" && !fits(option.text, input.value);
      });
    });
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      event.preventDefault(); // Enter picks; it never submits the whole form
      var first = Array.prototype.find.call(select.options, function (option) {
        return option.value !== "" && !option.hidden;
      });
      if (first) {
        select.value = first.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function multiple(select) {
    var box = document.createElement("div");
    box.className = "picker border rounded p-1";
    var input = filterBox(select);
    var list = document.createElement("div");
    list.className = "picker-list";
    var boxes = Array.prototype.map.call(select.options, function (option, index) {
      var row = document.createElement("div");
      row.className = "form-check mb-0";
      var tick = document.createElement("input");
      tick.type = "checkbox";
      tick.className = "form-check-input";
      tick.id = "picker-" + made + "-" + index;
      var label = document.createElement("label");
      label.className = "form-check-label";
      label.htmlFor = tick.id;
      label.textContent = option.text;
      tick.addEventListener("change", function () {
        option.selected = tick.checked;
      });
      row.appendChild(tick);
      row.appendChild(label);
      list.appendChild(row);
      return { row: row, tick: tick, option: option };
    });
    made += 1;
    function redraw() {
      boxes.forEach(function (item) { item.tick.checked = item.option.selected; });
    }
    input.addEventListener("input", function () {
      boxes.forEach(function (item) {
        item.row.hidden = !item.tick.checked && !fits(item.option.text, input.value);
      });
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    select.addEventListener("change", redraw);
    redraw();
    box.appendChild(input);
    box.appendChild(list);
    select.hidden = true;
    select.parentNode.insertBefore(box, select.nextSibling);
  }

  function enhance(root) {
    root.querySelectorAll("select:not([data-picker-done])").forEach(function (select) {
      if (select.multiple) {
        multiple(select);
      } else if (select.options.length > LONG && select.closest("[data-pickers]")) {
        single(select);
      } else {
        return;
      }
      select.dataset.pickerDone = "1";
    });
  }

  window.taskboardPicker = { enhance: enhance };
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
}());
