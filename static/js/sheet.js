// Reflection sheet: autosave to the server while typing, a copy in localStorage, offline submit retried.
// Without this script the form still works: it posts normally to the same page.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form) return;

  var url = form.dataset.autosaveUrl;
  var storageKey = "borgerblik:sheet:" + form.dataset.sheetId;
  var state = document.getElementById("save-state");
  var outcome = document.getElementById("sheet-outcome");
  var revisionInput = form.querySelector("input[name=revision]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var DEBOUNCE_MS = 1200;
  var RETRY_MS = 5000;
  var timer = null;
  var retryTimer = null;
  var inFlight = false;
  var again = false;

  function msg(name) {
    return form.dataset["msg" + name.charAt(0).toUpperCase() + name.slice(1)] || "";
  }

  function say(text, kind) {
    state.textContent = text;
    state.classList.toggle("is-offline", kind === "offline");
    state.classList.toggle("is-problem", kind === "problem");
    noteByField(kind === "offline" || kind === "problem" ? text : "");
  }

  // What a tap on "Aflever arket" or "Gem som kladde" came to is said at those buttons, not at the top of
  // a long form; a refusal is an alert, anything else a status.
  function sayAtButton(text, kind) {
    if (!outcome) return say(text, kind);
    outcome.textContent = "";
    if (!text) return;
    var p = document.createElement("p");
    p.className = "message " + (kind === "problem" ? "message--error" : kind === "offline" ? "message--warning" : "message--success");
    p.setAttribute("role", kind === "problem" ? "alert" : "status");
    p.textContent = text;
    outcome.appendChild(p);
  }

  // While typing, a problem with saving (no connection, refused) is also shown right below the field in
  // use, where the eyes are. The status line at the top says it to screen readers, so this copy is hidden
  // from them.
  var note = document.createElement("p");
  note.className = "phone-outcome phone-outcome--note";
  note.setAttribute("aria-hidden", "true");
  function noteByField(text) {
    note.textContent = text || "";
    var field = document.activeElement && form.contains(document.activeElement) ? document.activeElement : null;
    var place = field && field.name && field.type !== "submit" ? field.closest(".field") : null;
    if (!text || !place) {
      if (note.parentNode) note.parentNode.removeChild(note);
      return;
    }
    if (note.parentNode !== place) place.appendChild(note);
  }
  form.addEventListener("focusin", function () {
    if (note.textContent) noteByField(note.textContent);
  });

  // After a refused tap, the first field in error takes the focus, so its label and message are read out.
  function focusFirstError() {
    var first = form.querySelector(".field--error");
    var target = first && first.querySelector("input:not([type=hidden]):not([type=radio]), textarea, select, input[type=radio]:checked");
    if (target) {
      target.focus();
      return true;
    }
    return false;
  }

  // --- The form's content as [name, value] pairs, and back -------------------------------------
  function entries() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "revision") pairs.push([name, String(value)]);
    });
    return pairs;
  }

  function apply(pairs) {
    var byName = {};
    pairs.forEach(function (pair) {
      (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]);
    });
    form.querySelectorAll("fieldset[data-items]").forEach(function (set) {
      var values = (byName[set.dataset.items] || []).filter(function (v) { return v.trim() !== ""; });
      renderItems(set, values.concat([""]));
    });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "revision" || el.type === "submit") return;
      if (el.closest("fieldset[data-items]")) return;
      var values = byName[el.name] || [];
      if (el.type === "radio") el.checked = values.indexOf(el.value) !== -1 || (values.length === 0 && el.value === "");
      else if (el.type === "checkbox") el.checked = values.length > 0;
      else el.value = values.length ? values[0] : "";
    });
    updateCounters();
  }

  // --- Local copy --------------------------------------------------------------------------------
  function readLocal() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey) || "null");
    } catch (e) {
      return null;
    }
  }

  function writeLocal(changes) {
    var local = readLocal() || {};
    Object.keys(changes).forEach(function (k) { local[k] = changes[k]; });
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(local));
    } catch (e) {
      // Storage full or disabled (private mode): the server copy still works.
    }
    return local;
  }

  // This browser's copy of the sheet: the server lets it build on a revision it made itself.
  function clientKey() {
    var local = readLocal() || {};
    if (!local.client) {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      local = writeLocal({ client: Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("") });
    }
    return local.client;
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  // --- Items: one input per effect; add and remove without a round trip ---------------------------
  function renderItems(set, values) {
    var key = set.dataset.items;
    var list = set.querySelector(".items__list");
    var described = list.querySelector("input") ? list.querySelector("input").getAttribute("aria-describedby") : "";
    list.textContent = "";
    values.forEach(function (value, index) {
      var li = document.createElement("li");
      li.className = "items__row";
      var id = "id_" + key + "_" + (index + 1);
      var label = document.createElement("label");
      label.className = "visually-hidden";
      label.htmlFor = id;
      label.textContent = msg("item") + " " + (index + 1);
      var input = document.createElement("input");
      input.type = "text";
      input.id = id;
      input.name = key;
      input.value = value;
      input.maxLength = parseInt(set.dataset.max, 10);
      if (described) input.setAttribute("aria-describedby", described);
      var remove = document.createElement("button");
      remove.type = "submit";
      remove.name = "remove";
      remove.value = key + ":" + index;
      remove.className = "button items__remove";
      remove.textContent = msg("remove");
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " " + msg("item").toLowerCase() + " " + (index + 1);
      remove.appendChild(hidden);
      li.append(label, input, remove);
      list.appendChild(li);
    });
  }

  function currentItems(set) {
    return Array.prototype.map.call(set.querySelectorAll(".items__list input"), function (i) { return i.value; });
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[name=add], button[name=remove]");
    if (!button) return;
    event.preventDefault();
    var key = button.name === "add" ? button.value : button.value.split(":")[0];
    var set = form.querySelector('fieldset[data-items="' + key + '"]');
    var values = currentItems(set);
    if (button.name === "add") {
      values.push("");
      renderItems(set, values);
      var inputs = set.querySelectorAll(".items__list input");
      inputs[inputs.length - 1].focus();
    } else {
      values.splice(parseInt(button.value.split(":")[1], 10), 1);
      if (!values.length) values.push("");
      renderItems(set, values);
      set.querySelector(".items__add").focus();
    }
    changed();
  });

  // --- Character counters ------------------------------------------------------------------------
  function updateCounters() {
    form.querySelectorAll("[data-counter-for]").forEach(function (counter) {
      var field = document.getElementById(counter.dataset.counterFor);
      var max = parseInt(counter.dataset.max, 10);
      var used = field.value.length;
      counter.textContent = msg("count").replace("{used}", used).replace("{max}", max);
      counter.classList.toggle("is-near", max - used <= max / 10);
    });
  }

  // --- Errors and name hints from the server -----------------------------------------------------
  function showErrors(errors) {
    form.querySelectorAll(".field-error").forEach(function (p) { p.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    form.querySelectorAll(".field--error").forEach(function (el) { el.classList.remove("field--error"); });
    Object.keys(errors || {}).forEach(function (key) {
      var box = document.getElementById("id_" + key + "_error");
      if (box) box.textContent = errors[key].join(" ");
      var field = document.getElementById("id_" + key);
      if (field && field.tagName !== "FIELDSET") field.setAttribute("aria-invalid", "true");
      if (field && field.closest(".field")) field.closest(".field").classList.add("field--error");
    });
  }

  function showHints(hints) {
    form.querySelectorAll(".name-hint").forEach(function (p) {
      p.hidden = (hints || []).indexOf(p.id.replace(/^id_/, "").replace(/_hint$/, "")) === -1;
    });
  }

  // --- Talking to the server ---------------------------------------------------------------------
  function post(pairs, submit) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    body.append("revision", revisionInput.value);
    pairs.forEach(function (pair) { body.append(pair[0], pair[1]); });
    if (submit) body.append("submit", "1");
    body.append("client", clientKey());
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    });
  }

  function scheduleRetry() {
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(flush, RETRY_MS);
  }

  var tapped = false; // the flush under way answers a tap on one of the buttons

  function flush() {
    var local = readLocal();
    if (!local || (!local.dirty && !local.submit)) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    var sent = entries();
    var submit = !!local.submit;
    var atButton = tapped || submit;
    tapped = false;
    say(msg("saving"));
    post(sent, submit)
      .then(function (result) {
        var data = result.data;
        showHints(data.hints);
        if (result.status === 200 && data.saved) {
          revisionInput.value = data.revision;
          var unchanged = same(sent, entries());
          writeLocal({ revision: data.revision, dirty: !unchanged, submit: false, entries: entries() });
          showErrors({});
          say(data.message);
          if (atButton) sayAtButton(submit ? "" : data.message);
          if (submit && data.redirect) {
            window.localStorage.removeItem(storageKey);
            window.location.assign(data.redirect);
          } else if (!unchanged) {
            again = true;
          }
        } else if (result.status === 409) {
          writeLocal({ submit: false });
          say(msg("conflict"), "problem");
          if (atButton) sayAtButton(msg("conflict"), "problem");
        } else {
          writeLocal({ submit: false });
          showErrors(data.errors);
          var general = ((data.errors || {}).__all__ || []).join(" ");
          say(general || msg("invalid"), "problem");
          if (atButton) {
            sayAtButton(general || msg(submit ? "notSubmitted" : "invalid"), "problem");
            if (general || !focusFirstError()) outcome.focus();
          }
        }
      })
      .catch(function () {
        say(submit ? msg("submitOffline") : msg("offline"), "offline");
        if (atButton) sayAtButton(submit ? msg("submitOffline") : msg("offline"), "offline");
        scheduleRetry();
      })
      .finally(function () {
        inFlight = false;
        if (again) {
          again = false;
          flush();
        }
      });
  }

  function changed() {
    updateCounters();
    writeLocal({ revision: parseInt(revisionInput.value, 10), dirty: true, entries: entries() });
    if (!navigator.onLine) say(msg("offline"), "offline");
    window.clearTimeout(timer);
    timer = window.setTimeout(flush, DEBOUNCE_MS);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && (submitter.name === "add" || submitter.name === "remove")) {
      event.preventDefault();
      return;
    }
    event.preventDefault();
    var submit = !submitter || submitter.value === "submit";
    writeLocal({ revision: parseInt(revisionInput.value, 10), dirty: true, submit: submit, entries: entries() });
    window.clearTimeout(timer);
    tapped = true;
    sayAtButton(msg("saving"));
    flush();
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { say(msg("offline"), "offline"); });
  window.addEventListener("pagehide", function () {
    if (readLocal() && readLocal().dirty) writeLocal({ entries: entries() });
  });

  // --- On load: bring back what this phone had not yet sent ---------------------------------------
  var local = readLocal();
  if (local && (local.dirty || local.submit) && local.entries) {
    var ours = local.client && local.client === form.dataset.client;
    if (local.revision === parseInt(revisionInput.value, 10) || ours) {
      apply(local.entries);
      say(msg("local"));
      flush();
    } else if (!same(local.entries, entries())) {
      // Another device or tab saved since this phone's copy: show the stored one, offer this phone's copy.
      say(msg("oldCopy"), "problem");
      var use = document.createElement("button");
      use.type = "button";
      use.className = "button";
      use.textContent = msg("useLocal");
      use.addEventListener("click", function () {
        apply(local.entries);
        writeLocal({ revision: parseInt(revisionInput.value, 10), dirty: true, entries: entries() });
        use.remove();
        flush();
      });
      state.insertAdjacentElement("afterend", use);
    }
  } else {
    writeLocal({ revision: parseInt(revisionInput.value, 10), dirty: false, submit: false, entries: entries() });
  }
  updateCounters();
})();
