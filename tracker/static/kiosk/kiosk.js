/* Kiosk behaviour: read aloud, reset after idle, no double send. Everything works without it. */
(function () {
  "use strict";
  var body = document.body;
  var idleMs = Math.max(1, parseInt(body.getAttribute("data-idle") || "60", 10)) * 1000;
  var resetUrl = body.getAttribute("data-reset");
  var onStart = body.getAttribute("data-step") === "start";
  var warning = document.getElementById("idle-warning");
  var warnTimer = null;
  var resetTimer = null;

  function reset() {
    // replace(): the screen left behind is not kept in the history for the next child.
    window.location.replace(resetUrl);
  }

  function schedule() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(resetTimer);
    if (warning) { warning.hidden = true; }
    if (!onStart && warning) {
      warnTimer = window.setTimeout(function () { warning.hidden = false; },
                                    idleMs - Math.min(15000, idleMs / 3));
    }
    resetTimer = window.setTimeout(reset, idleMs);
  }

  ["pointerdown", "keydown", "input", "touchstart"].forEach(function (name) {
    document.addEventListener(name, schedule, { passive: true });
  });
  var stillHere = document.getElementById("still-here");
  if (stillHere) { stillHere.addEventListener("click", schedule); }
  schedule();

  // One tap sends once: after a submit, the buttons of that form stop working.
  Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
    form.addEventListener("submit", function () {
      window.setTimeout(function () {
        Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) {
          b.disabled = true;
        });
      }, 0);
    });
  });

  var button = document.getElementById("read-aloud");
  if (!button || !("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") {
    return;  // no voice here: the button stays hidden and the kiosk works as before
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var lang = document.documentElement.lang === "en" ? "en-GB" : "nl-NL";
    var parts = Array.prototype.map.call(document.querySelectorAll("main .speak-text"),
      function (el) { return el.textContent.replace(/\s+/g, " ").trim(); })
      .filter(function (text) { return text.length > 0; });
    var utterance = new window.SpeechSynthesisUtterance(parts.join(". "));
    utterance.lang = lang;
    utterance.rate = 0.9;
    var voices = window.speechSynthesis.getVoices() || [];
    for (var i = 0; i < voices.length; i += 1) {
      if (voices[i].lang && voices[i].lang.replace("_", "-").indexOf(lang.slice(0, 2)) === 0) {
        utterance.voice = voices[i];
        break;
      }
    }
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(utterance);
  });
}());
