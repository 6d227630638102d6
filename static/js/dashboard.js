/* The meeting dashboard's live region: a poll never replaces it while something in it is being
   typed, chosen or ticked, and disclosures that were open stay open when it is swapped. */
(function () {
  "use strict";

  function inUse(region) {
    var active = document.activeElement;
    if (active && region.contains(active)) {
      if (/^(TEXTAREA|SELECT)$/.test(active.tagName)) { return true; }
      if (active.tagName === "INPUT" && !/^(checkbox|radio|hidden|submit|button)$/.test(active.type)) { return true; }
    }
    if (region.querySelector("input[type=checkbox]:checked")) { return true; }
    return Array.prototype.some.call(region.querySelectorAll("textarea, input[type=text]"), function (field) {
      return field.value !== field.defaultValue;
    });
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var region = event.detail.elt;
    if (region && region.hasAttribute && region.hasAttribute("data-hold-while-typing") && inUse(region)) {
      event.preventDefault();
    }
  });

  var open = [];
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.hasAttribute("data-hold-while-typing")) { return; }
    open = Array.prototype.map.call(target.querySelectorAll("details[open][id]"), function (details) {
      return details.id;
    });
  });
  document.addEventListener("htmx:afterSwap", function () {
    open.forEach(function (id) {
      var details = document.getElementById(id);
      if (details) { details.open = true; }
    });
    open = [];
  });
})();
