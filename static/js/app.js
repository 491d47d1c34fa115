/* Campagnekit: small enhancements on pages that already work without JavaScript. */
(function () {
  "use strict";

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  /* A button label with a decorative arrow that screen readers skip: the accessible name is the word alone. */
  function labelWithArrow(button, label, arrow, arrowFirst) {
    var mark = document.createElement("span");
    mark.setAttribute("aria-hidden", "true");
    mark.textContent = arrow;
    var parts = [mark, document.createTextNode(" "), document.createTextNode(label)];
    if (!arrowFirst) parts.reverse();
    parts.forEach(function (part) { button.appendChild(part); });
  }

  /* Cultuurwijzer: one statement at a time, with progress, keyboard-friendly buttons and a way back. */
  function setUpStepper(form) {
    var steps = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
    if (!steps.length) return;
    var t = form.dataset;
    var progress = form.querySelector("[data-progress]");
    var bar = progress.querySelector("progress");
    var text = progress.querySelector("[data-progress-text]");
    var submit = form.querySelector("[data-submit]");
    var statementCount = steps.filter(function (s) { return s.dataset.step === "statement"; }).length;
    var current = 0;
    var answers = [["agree", t.i18nAgree], ["neutral", t.i18nNeutral], ["disagree", t.i18nDisagree], ["skip", t.i18nSkip]];

    form.classList.add("stepping");
    progress.hidden = false;

    steps.forEach(function (step, index) {
      var fieldset = step.querySelector("fieldset");
      if (step.dataset.step === "statement") {
        var group = document.createElement("div");
        group.className = "step-buttons";
        answers.forEach(function (pair) {
          var radio = step.querySelector('input[type="radio"][value="' + pair[0] + '"]');
          var button = document.createElement("button");
          button.type = "button";
          button.className = "answer-" + pair[0];
          button.textContent = pair[1];
          button.dataset.answer = pair[0];
          button.addEventListener("click", function () {
            radio.checked = true;
            syncButtons(step);
            go(index + 1);
          });
          group.appendChild(button);
        });
        fieldset.appendChild(group);
        syncButtons(step);
      }
      var nav = document.createElement("div");
      nav.className = "step-nav";
      var back = document.createElement("button");
      back.type = "button";
      labelWithArrow(back, t.i18nPrevious, "←", true);
      back.addEventListener("click", function () { go(index - 1); });
      back.disabled = index === 0;
      if (index === 0) back.style.visibility = "hidden";
      nav.appendChild(back);
      if (step.dataset.step !== "statement" && index < steps.length - 1) {
        var next = document.createElement("button");
        next.type = "button";
        labelWithArrow(next, t.i18nNext, "→", false);
        next.addEventListener("click", function () { go(index + 1); });
        nav.appendChild(next);
      }
      fieldset.appendChild(nav);
    });

    function syncButtons(step) {
      var checked = step.querySelector('input[type="radio"]:checked');
      step.querySelectorAll(".step-buttons button").forEach(function (button) {
        var pressed = checked && checked.value === button.dataset.answer && checked.value !== "skip";
        button.setAttribute("aria-pressed", pressed ? "true" : "false");
      });
    }

    function show(index, moveFocus) {
      current = Math.max(0, Math.min(index, steps.length - 1));
      steps.forEach(function (step, i) { step.hidden = i !== current; });
      submit.hidden = current !== steps.length - 1;
      var step = steps[current];
      bar.value = current + 1;
      if (step.dataset.step === "statement") {
        text.textContent = fmt(t.i18nProgress, { n: current + 1, total: statementCount });
      } else {
        text.textContent = step.dataset.step === "important" ? t.i18nImportant : t.i18nParties;
      }
      if (moveFocus) {
        var title = step.querySelector(".statement-title");
        if (title) title.focus();
      }
      // Remember the step in the URL once the citizen moves (not at load: Chrome would scroll to it).
      if (moveFocus && history.replaceState) {
        history.replaceState(null, "", location.pathname + location.search + "#" + step.id);
      }
    }

    function go(index) {
      if (index >= steps.length) { form.requestSubmit ? form.requestSubmit() : form.submit(); return; }
      show(index, true);
    }

    var start = steps.findIndex(function (s) { return "#" + s.id === location.hash; });
    show(start > 0 ? start : 0, false);
  }

  /* Coming back from a result ("change your answers"): put the answers from the URL back into the form. */
  function prefill(form) {
    var params = new URLSearchParams(location.search);
    if (!Array.from(params.keys()).length) return;
    params.forEach(function (value, key) {
      if (key.indexOf("a.") === 0) {
        var radio = form.querySelector('input[type="radio"][name="' + CSS.escape(key) + '"][value="' + CSS.escape(value) + '"]');
        if (radio) radio.checked = true;
      } else if (key === "important") {
        var box = form.querySelector('input[name="important"][value="' + CSS.escape(value) + '"]');
        if (box) box.checked = true;
      }
    });
    var parties = params.getAll("party");
    if (parties.length) {
      form.querySelectorAll('input[name="party"]').forEach(function (box) { box.checked = parties.indexOf(box.value) >= 0; });
    }
  }

  /* Shorter share links: skipped statements and "all parties" are the defaults, so leave them out. */
  function compactOnSubmit(form) {
    form.addEventListener("submit", function () {
      var disabled = [];
      form.querySelectorAll('input[type="radio"][value="skip"]:checked').forEach(function (r) { disabled.push(r); });
      var boxes = form.querySelectorAll('input[name="party"]');
      var allChecked = Array.prototype.every.call(boxes, function (b) { return b.checked; });
      if (allChecked) boxes.forEach(function (b) { disabled.push(b); });
      disabled.forEach(function (el) { el.disabled = true; });
      setTimeout(function () { disabled.forEach(function (el) { el.disabled = false; }); }, 0);
    });
  }

  /* Switching language halfway: carry the answers given so far (the statement page fills them back in). */
  function keepAnswersOnLanguageSwitch(form) {
    document.querySelectorAll(".lang-switch a").forEach(function (link) {
      link.addEventListener("click", function () {
        var params = new URLSearchParams();
        new FormData(form).forEach(function (value, key) {
          if (key.indexOf("a.") === 0 ? value !== "skip" : key === "important") params.append(key, value);
        });
        var url = new URL(link.href);
        var query = params.toString();
        url.searchParams.set("next", location.pathname + (query ? "?" + query : "") + location.hash);
        link.href = url.toString();
      });
    });
  }

  function setUpResultTools() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var input = document.getElementById(button.dataset.copy);
        navigator.clipboard.writeText(input.value).then(function () {
          var status = document.querySelector("[data-copy-status]");
          if (status) status.textContent = button.dataset.copied;
        });
      });
    });
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    document.querySelectorAll("[data-copy-source]").forEach(function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
  }

  /* A live count under a text area with a length limit (the limit itself is enforced by the server). */
  function setUpCharCounts() {
    document.querySelectorAll("textarea[data-char-count]").forEach(function (area) {
      var out = document.getElementById(area.dataset.charCount);
      if (!out) return;
      var max = Number(out.dataset.max);
      var update = function () {
        out.textContent = fmt(out.dataset.template, { count: area.value.length, max: max });
        out.classList.toggle("over", area.value.length >= max);
      };
      area.addEventListener("input", update);
      update();
    });
  }

  /* Print every explanation, not only the opened ones. */
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) { d.open = true; reopened.push(d); });
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (d) { d.open = false; });
    reopened = [];
  });

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-stepper]");
    if (form) {
      prefill(form);
      compactOnSubmit(form);
      keepAnswersOnLanguageSwitch(form);
      setUpStepper(form);
    }
    setUpResultTools();
    setUpCharCounts();
  });
})();
