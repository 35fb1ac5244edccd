// Loads mkdocs-material's bundle on the reader's first tap, key, scroll or focus (see lazytheme.py).
(function () {
  // The theme hides search while the page is "no-js"; touching search is what loads the script.
  document.documentElement.classList.remove("no-js");
  var triggers = ["pointerdown", "keydown", "touchstart", "wheel", "scroll", "focusin"];
  var started = false;
  function start(event) {
    if (started) return;
    started = true;
    triggers.forEach(function (name) { removeEventListener(name, start, true); });
    var script = document.createElement("script");
    script.src = __BUNDLE__;
    script.onload = function () {
      // The bundle mounts its components on DOMContentLoaded, which has already fired.
      document.dispatchEvent(new Event("DOMContentLoaded"));
      // A key that started the load (such as "/" for search) is given to the theme again.
      if (event && event.type === "keydown") {
        var again = { key: event.key, code: event.code, shiftKey: event.shiftKey, bubbles: true };
        event.target.dispatchEvent(new KeyboardEvent("keydown", again));
      }
    };
    document.body.appendChild(script);
  }
  triggers.forEach(function (name) { addEventListener(name, start, { capture: true, passive: true }); });
  // On a phone, search opens from an icon. The theme focuses its box only once it has loaded, too
  // late for the tap that opened it, so no keyboard appeared: open it and focus the box within
  // the tap, which is what lets a phone show its keyboard.
  var opener = document.querySelector('label[for="__search"]');
  var toggle = document.getElementById("__search");
  var input = document.querySelector(".md-search__input");
  if (opener && toggle && input) {
    opener.addEventListener("click", function (event) {
      if (toggle.checked || typeof window.document$ !== "undefined") return;
      event.preventDefault();
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change", { bubbles: true }));
      input.focus();
    });
  }
  // Arriving at an anchor, or from a search result to highlight, needs the theme at once.
  if (location.hash || /[?&]h=/.test(location.search)) start();
})();
