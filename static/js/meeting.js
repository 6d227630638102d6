/* Follow-up meeting screens: client-side timers, keyboard shortcuts, polling that never
   replaces a form in use, and phone forms that follow the meeting's current step. */
(function () {
  "use strict";
  var offset = 0; // server clock minus this clock, in ms
  var clockEl = document.querySelector("[data-server-now]");
  var now = clockEl && clockEl.getAttribute("data-server-now");
  if (now) { offset = parseInt(now, 10) - Date.now(); }

  function fmt(seconds) {
    var sign = seconds < 0 ? "−" : "";
    seconds = Math.abs(Math.round(seconds));
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return sign + m + ":" + (s < 10 ? "0" : "") + s;
  }

  function tick() {
    document.querySelectorAll("[data-timer]").forEach(function (timer) {
      var clock = timer.querySelector("[data-clock]");
      if (clock && timer.hasAttribute("data-deadline")) {
        var left = timer.hasAttribute("data-running")
          ? (parseInt(timer.getAttribute("data-deadline"), 10) - (Date.now() + offset)) / 1000
          : parseInt(timer.getAttribute("data-remaining"), 10);
        clock.textContent = fmt(left);
        timer.classList.toggle("is-over", left < 0);
      }
      var sub = timer.querySelector("[data-sub-deadline]");
      if (sub) {
        var subLeft = timer.hasAttribute("data-running")
          ? (parseInt(sub.getAttribute("data-sub-deadline"), 10) - (Date.now() + offset)) / 1000
          : parseInt(sub.getAttribute("data-sub-remaining"), 10);
        sub.querySelector("[data-sub-clock]").textContent = fmt(Math.max(0, subLeft));
      }
    });
  }
  setInterval(tick, 500);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSettle", tick);

  // Keyboard shortcuts: a key clicks the button that names it (never while typing).
  document.addEventListener("keydown", function (event) {
    var t = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON|A)$/.test(t.tagName))) { return; }
    var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    var button = document.querySelector('[data-shortcut="' + key + '"]') ||
      (key === " " ? document.querySelector('[data-shortcut-also=" "]') : null);
    if (button) { event.preventDefault(); button.click(); }
  });

  // Never replace a region while someone is using it (focus inside or a box ticked).
  document.addEventListener("htmx:beforeRequest", function (event) {
    var el = event.detail.elt;
    if (!el || !el.hasAttribute || !el.hasAttribute("data-hold-while-used")) { return; }
    if (el.contains(document.activeElement) && document.activeElement !== el) { event.preventDefault(); return; }
    if (el.querySelector("input[type=checkbox]:checked")) { event.preventDefault(); }
  });

  // Phones: when the meeting moves on, fetch the form for the new step (one fetch at a time,
  // so a late answer never replaces a form the participant has started on). Text typed into the
  // old form is shown read-only in the new one, so nobody loses what they wrote.
  var formLoading = false, carried = "";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (formLoading && target && target.id === "phone-form") { carried = typedIn(target); }
  });
  function typedIn(form) {
    var texts = [];
    form.querySelectorAll("textarea").forEach(function (t) {
      if (t.value.trim()) { texts.push(t.value.trim()); }
    });
    return texts.join("\n");
  }
  function keepTyped(text) {
    var form = document.getElementById("phone-form");
    if (!text || !form) { return; }
    var field = document.createElement("div");
    field.className = "field";
    var label = document.createElement("label");
    label.htmlFor = "carried-text";
    label.textContent = form.getAttribute("data-kept-label");
    var box = document.createElement("textarea");
    box.id = "carried-text";
    box.readOnly = true;
    box.rows = 3;
    box.value = text;
    field.appendChild(label);
    field.appendChild(box);
    form.insertBefore(field, form.firstChild);
  }
  function followStep() {
    var status = document.getElementById("phone-status");
    var form = document.getElementById("phone-form");
    if (formLoading || !status || !form || !window.htmx) { return; }
    var wanted = status.getAttribute("data-step");
    if (wanted !== form.getAttribute("data-step") && form.getAttribute("data-loading") !== wanted) {
      formLoading = true;
      form.setAttribute("data-loading", wanted);
      var done = function () { formLoading = false; keepTyped(carried); carried = ""; followStep(); };
      window.htmx.ajax("GET", form.getAttribute("data-url"), { target: "#phone-form", swap: "outerHTML" })
        .then(done, done);
    }
  }
  document.addEventListener("htmx:afterSettle", followStep);

  // A phone's post that never reached the server, or that the server failed on, says so in the
  // form; the form and what was typed stay as they were, so a second tap sends it again.
  function sayFailed(event, attribute) {
    var form = document.getElementById("phone-form");
    var elt = event.detail.elt;
    if (!form || !elt || !form.contains(elt) || (event.detail.requestConfig || {}).verb !== "post") { return; }
    // Earlier messages no longer apply to what is in the form now.
    form.querySelectorAll(".error-summary, .message").forEach(function (old) { old.remove(); });
    var note = document.createElement("div");
    note.id = "phone-form-failed";
    note.className = "error-summary";
    note.setAttribute("role", "alert");
    note.textContent = form.getAttribute(attribute);
    form.insertBefore(note, form.firstChild);
  }
  document.addEventListener("htmx:sendError", function (event) { sayFailed(event, "data-offline"); });
  document.addEventListener("htmx:responseError", function (event) { sayFailed(event, "data-failed"); });
})();
