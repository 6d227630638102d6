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
    // Typing is never a shortcut. A letter still works with focus on a button the last press left
    // it on (the dashboard swaps its region in place); there Enter and Space keep their own meaning.
    if (t && (t.isContentEditable || /^(TEXTAREA|SELECT)$/.test(t.tagName))) { return; }
    if (t && t.tagName === "INPUT" && !/^(checkbox|radio)$/.test(t.type)) { return; }
    if (t && /^(INPUT|BUTTON|A|SUMMARY)$/.test(t.tagName) && (event.key === " " || event.key === "Enter")) { return; }
    var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    var button = document.querySelector('[data-shortcut="' + key + '"]') ||
      (key === " " ? document.querySelector('[data-shortcut-also=" "]') : null);
    if (button) { event.preventDefault(); button.click(); }
  });

  // Never replace a region while someone is using it (focus inside or a box ticked).
  document.addEventListener("htmx:beforeRequest", function (event) {
    var el = event.detail.elt;
    if (!el || !el.hasAttribute) { return; }
    if (el.hasAttribute("data-hold-while-touched") && touching && el.contains(touching)) { event.preventDefault(); return; }
    if (!el.hasAttribute("data-hold-while-used")) { return; }
    if (el.contains(document.activeElement) && document.activeElement !== el) { event.preventDefault(); return; }
    if (el.querySelector("input[type=checkbox]:checked")) { event.preventDefault(); }
  });
  // A list of buttons (the phone's dots) keeps its order and its buttons' ids, so it may be refreshed
  // while focus is in it (htmx puts the focus back); only not while a finger or the mouse is on it.
  var touching = null, untouch = null;
  document.addEventListener("pointerdown", function (event) {
    window.clearTimeout(untouch);
    touching = event.target;
  }, true);
  ["pointerup", "pointercancel"].forEach(function (type) {
    document.addEventListener(type, function () {
      window.clearTimeout(untouch);
      untouch = window.setTimeout(function () { touching = null; }, 600);
    }, true);
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

  // A phone's post is answered with the parts around its form, never the field: what was typed while
  // it was on its way stays. Sent: clear what was sent (only that). Refused: the message is at the button
  // (the answer put it there), the field is marked and takes the focus, so its message is read out.
  function postingForm(event) {
    var elt = event.detail.elt;
    var form = elt && elt.closest ? elt.closest("form[data-phone-post]") : null;
    return form && (event.detail.requestConfig || {}).verb === "post" ? form : null;
  }
  function clearSent(field, sent) {
    if (!sent) { return; }
    var now = field.value.replace(/\r\n/g, "\n");
    sent = String(sent).replace(/\r\n/g, "\n");
    if (now === sent) {
      field.value = "";
    } else if (now.indexOf(sent) === 0) {
      field.value = now.slice(sent.length).replace(/^\s+/, "");
    }
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    // What earlier posts said no longer applies once the next one is on its way.
    if (!postingForm(event)) { return; }
    document.querySelectorAll("#phone-form .phone-outcome").forEach(function (slot) { slot.textContent = ""; });
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = postingForm(event);
    var xhr = event.detail.xhr;
    if (!form || !document.body.contains(form) || !xhr) { return; }
    var field = form.querySelector("textarea[name=text]");
    if (xhr.status >= 200 && xhr.status < 300) {
      if (field) {
        var data = event.detail.requestConfig.formData;
        clearSent(field, data && data.get ? data.get("text") : "");
        field.removeAttribute("aria-invalid");
      }
    } else if (xhr.status === 400 && field) {
      field.setAttribute("aria-invalid", "true");
      if (document.activeElement !== field) { field.focus(); }
    }
  });

  // A post that never reached the server, or that the server failed on, says so at the button that
  // was tapped; the form and what was typed stay as they were, so a second tap sends it again.
  function sayFailed(event, attribute) {
    var form = postingForm(event);
    var phone = document.getElementById("phone-form");
    var slot = form && document.getElementById(form.getAttribute("data-outcome"));
    if (!form || !phone || !slot) { return; }
    var note = document.createElement("p");
    note.className = "message message--error";
    note.setAttribute("role", "alert");
    note.textContent = phone.getAttribute(attribute);
    slot.textContent = "";
    slot.appendChild(note);
  }
  document.addEventListener("htmx:sendError", function (event) { sayFailed(event, "data-offline"); });
  document.addEventListener("htmx:responseError", function (event) { sayFailed(event, "data-failed"); });
})();
