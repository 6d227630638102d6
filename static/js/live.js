// Live parts of the kick-off: ask with the last ETag so an unchanged poll is a bodiless 304,
// and count the timer down between polls from the state the server sent.
(function () {
  "use strict";
  var etags = {};

  document.addEventListener("htmx:configRequest", function (event) {
    var element = event.detail.elt;
    if (element.hasAttribute("data-etag-poll") && etags[element.id]) {
      event.detail.headers["If-None-Match"] = etags[element.id];
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var element = event.detail.elt;
    if (!element.hasAttribute("data-etag-poll")) return;
    var xhr = event.detail.xhr;
    if (xhr.status === 304) {
      event.detail.shouldSwap = false;
      return;
    }
    var etag = xhr.getResponseHeader("ETag");
    if (etag) etags[element.id] = etag;
  });

  // A swap never undoes what the person has set but not sent: a choice ticked or text typed in the part
  // being replaced is carried into the new part (matched by id), e.g. the vote list growing by a proposal.
  function carryChoices(old, fragment) {
    if (!old || !fragment || !fragment.querySelector) return;
    old.querySelectorAll("input[id], textarea[id]").forEach(function (field) {
      var twin = fragment.querySelector("#" + CSS.escape(field.id));
      if (!twin) return;
      if (field.type === "radio" || field.type === "checkbox") {
        if (field.checked === field.defaultChecked) return;
        if (field.type === "radio" && field.checked) {
          fragment.querySelectorAll('input[type=radio][name="' + CSS.escape(field.name) + '"]').forEach(function (other) {
            other.removeAttribute("checked");
          });
        }
        twin.toggleAttribute("checked", field.checked);
        twin.checked = field.checked;
      } else if (field.value !== field.defaultValue) {
        twin.value = field.value;
        twin.textContent = field.value;
      }
    });
  }
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    carryChoices(event.detail.target, event.detail.fragment);
  });

  // The notice that the course has moved on stays until its link is tapped; then it goes, and the
  // step it points to takes the focus (without JavaScript the link simply loads the page again).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-notice-seen]");
    if (!link) return;
    var step = document.getElementById(link.getAttribute("data-notice-seen"));
    if (!step) return;
    event.preventDefault();
    var notice = link.closest("#phone-notice");
    if (notice) notice.textContent = "";
    step.focus();
  });

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-kickoff-clock]").forEach(function (timer) {
      if (!timer.dataset.loadedAt) timer.dataset.loadedAt = String(now);
      var remaining = parseInt(timer.dataset.remaining, 10);
      if (timer.dataset.running === "1") {
        remaining -= Math.floor((now - parseInt(timer.dataset.loadedAt, 10)) / 1000);
      }
      remaining = Math.max(0, remaining);
      var clock = timer.querySelector("[data-clock]");
      var text = pad(Math.floor(remaining / 60)) + ":" + pad(remaining % 60);
      if (clock && clock.textContent !== text) clock.textContent = text;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-copy") + "-status");
    if (!source) return;
    var done = function () {
      if (status) status.textContent = status.getAttribute("data-done");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.value).then(done, function () {
        source.select();
        document.execCommand("copy");
        done();
      });
    } else {
      source.select();
      document.execCommand("copy");
      done();
    }
  });

  tick();
  setInterval(tick, 1000);
})();
