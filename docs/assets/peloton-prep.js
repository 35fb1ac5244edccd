/* peloton-prep's own behaviour on every page, loaded with `defer` (the theme's bundle loads later,
   on the first interaction; nothing here waits for it):
   - diagrams open full size in a dialog, with pan and zoom by pointer, pinch, wheel and keyboard;
   - a code block or table that scrolls sideways is focusable, named, and shows a shadow
     (marked with an attribute, not a class: the theme styles only tables without a class);
   - printing opens every card and prints in light colours, whatever the reader did first;
   - arriving from a search result opens the cards that hold the highlighted words. */
(function () {
  "use strict";

  var LEGIBLE_PX = 12; // the smallest diagram label, in CSS px, when a diagram opens
  var MAX_SCALE = 4;

  /* Diagrams ------------------------------------------------------------------------------- */

  var viewer = null;

  function buildViewer() {
    var dialog = document.createElement("dialog");
    dialog.className = "pp-viewer";
    dialog.setAttribute("aria-labelledby", "pp-viewer-title");
    dialog.innerHTML =
      '<div class="pp-viewer__bar">' +
      '<p class="pp-viewer__title" id="pp-viewer-title"></p>' +
      '<button type="button" data-zoom="out" aria-label="Zoom out">\u2212</button>' +
      '<button type="button" data-zoom="in" aria-label="Zoom in">+</button>' +
      '<button type="button" data-zoom="fit">Fit</button>' +
      '<button type="button" data-zoom="close">Close</button>' +
      "</div>" +
      '<div class="pp-viewer__stage" tabindex="0" role="group" aria-roledescription="zoomable diagram" ' +
      'aria-describedby="pp-viewer-hint"><img class="pp-viewer__image" alt="" draggable="false"></div>' +
      '<p class="pp-viewer__hint" id="pp-viewer-hint">Drag or use the arrow keys to move; pinch, ' +
      "Ctrl + scroll, or the + and \u2212 keys to zoom; Esc closes.</p>";
    var stage = dialog.querySelector(".pp-viewer__stage");
    var image = dialog.querySelector("img");
    var state = { x: 0, y: 0, scale: 1, width: 1, height: 1, start: 1 };
    var pointers = new Map();
    var pinch = null;

    function apply() {
      var box = stage.getBoundingClientRect();
      var w = state.width * state.scale;
      var h = state.height * state.scale;
      state.x = w <= box.width ? (box.width - w) / 2 : Math.min(0, Math.max(box.width - w, state.x));
      state.y = h <= box.height ? (box.height - h) / 2 : Math.min(0, Math.max(box.height - h, state.y));
      image.style.transform = "translate(" + state.x + "px," + state.y + "px) scale(" + state.scale + ")";
    }

    function zoomTo(scale, cx, cy) {
      var box = stage.getBoundingClientRect();
      if (cx === undefined) { cx = box.width / 2; cy = box.height / 2; }
      var fit = fitScale();
      scale = Math.max(Math.min(fit, state.start), Math.min(MAX_SCALE, scale));
      state.x = cx - ((cx - state.x) * scale) / state.scale;
      state.y = cy - ((cy - state.y) * scale) / state.scale;
      state.scale = scale;
      apply();
    }

    function fitScale() {
      var box = stage.getBoundingClientRect();
      return Math.min(box.width / state.width, box.height / state.height);
    }

    function open(link) {
      var preview = link.querySelector("img");
      state.width = Number(preview.getAttribute("width")) || preview.naturalWidth || 800;
      state.height = Number(preview.getAttribute("height")) || preview.naturalHeight || 400;
      var labelPx = Number(link.getAttribute("data-label-px")) || 18.67;
      image.src = link.getAttribute("href");
      image.alt = preview.alt;
      image.style.width = state.width + "px";
      image.style.height = state.height + "px";
      dialog.querySelector(".pp-viewer__title").textContent = preview.alt || "Diagram";
      stage.setAttribute("aria-label", preview.alt || "Diagram");
      dialog.showModal();
      // Open as large as the screen allows, but never with labels under LEGIBLE_PX: a wide
      // diagram on a phone opens at its left edge, to be dragged along.
      var legible = LEGIBLE_PX / labelPx;
      state.start = Math.max(legible, Math.min(fitScale(), 2));
      state.scale = state.start;
      state.x = 0;
      state.y = 0;
      apply();
      stage.focus();
    }

    dialog.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-zoom]");
      if (!button) return;
      var action = button.getAttribute("data-zoom");
      if (action === "close") dialog.close();
      else if (action === "in") zoomTo(state.scale * 1.4);
      else if (action === "out") zoomTo(state.scale / 1.4);
      else zoomTo(fitScale());
    });
    stage.addEventListener("keydown", function (event) {
      var step = 0.15 * Math.min(stage.clientWidth, stage.clientHeight);
      var moves = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
      if (moves[event.key]) {
        state.x += moves[event.key][0];
        state.y += moves[event.key][1];
        apply();
      } else if (event.key === "+" || event.key === "=") zoomTo(state.scale * 1.25);
      else if (event.key === "-" || event.key === "_") zoomTo(state.scale / 1.25);
      else if (event.key === "0") zoomTo(state.start);
      else if (event.key === "Home") { state.x = 0; apply(); }
      else if (event.key === "End") { state.x = -Infinity; apply(); }
      else return;
      event.preventDefault();
    });
    stage.addEventListener("wheel", function (event) {
      event.preventDefault();
      var box = stage.getBoundingClientRect();
      if (event.ctrlKey || event.metaKey) {
        zoomTo(state.scale * Math.exp(-event.deltaY / 300), event.clientX - box.left, event.clientY - box.top);
      } else {
        state.x -= event.shiftKey ? event.deltaY : event.deltaX;
        state.y -= event.shiftKey ? 0 : event.deltaY;
        apply();
      }
    }, { passive: false });
    stage.addEventListener("pointerdown", function (event) {
      stage.setPointerCapture(event.pointerId);
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      stage.classList.add("pp-dragging");
      if (pointers.size === 2) pinch = null;
    });
    stage.addEventListener("pointermove", function (event) {
      var last = pointers.get(event.pointerId);
      if (!last) return;
      var now = { x: event.clientX, y: event.clientY };
      if (pointers.size === 1) {
        state.x += now.x - last.x;
        state.y += now.y - last.y;
        apply();
      } else if (pointers.size === 2) {
        pointers.set(event.pointerId, now);
        var points = Array.from(pointers.values());
        var distance = Math.hypot(points[0].x - points[1].x, points[0].y - points[1].y);
        var box = stage.getBoundingClientRect();
        var mid = { x: (points[0].x + points[1].x) / 2 - box.left, y: (points[0].y + points[1].y) / 2 - box.top };
        if (pinch) {
          state.x += mid.x - pinch.mid.x;
          state.y += mid.y - pinch.mid.y;
          zoomTo(state.scale * (distance / pinch.distance), mid.x, mid.y);
        }
        pinch = { distance: distance, mid: mid };
      }
      pointers.set(event.pointerId, now);
    });
    function release(event) {
      pointers.delete(event.pointerId);
      pinch = null;
      if (!pointers.size) stage.classList.remove("pp-dragging");
    }
    stage.addEventListener("pointerup", release);
    stage.addEventListener("pointercancel", release);
    window.addEventListener("resize", function () { if (dialog.open) apply(); });
    dialog.addEventListener("close", function () { image.removeAttribute("src"); });
    document.body.appendChild(dialog);
    return { open: open, dialog: dialog };
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-pp-diagram]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (typeof HTMLDialogElement !== "function") return; // the SVG opens in the browser instead
    event.preventDefault();
    viewer = viewer || buildViewer();
    viewer.open(link);
  });

  /* Blocks that scroll sideways --------------------------------------------------------------- */

  var SCROLLERS = ".md-typeset pre > code, .md-typeset .md-typeset__scrollwrap, .md-typeset table:not([class])";

  // Only blocks on or near the screen are measured and marked: marking a long code block costs a
  // style pass over all its tokens, which for every block of a long page at once was most of its
  // load-time blocking. A reader's scroll brings each block near the screen before it is reached.
  var near = new Set();
  var watched = new WeakSet();
  var nearby = window.IntersectionObserver ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) near.add(entry.target);
      else near.delete(entry.target);
    });
    queueMark();
  }, { rootMargin: "600px 0px" }) : null;

  function markScrollers() {
    document.querySelectorAll(SCROLLERS).forEach(function (el) {
      if (nearby && !watched.has(el)) {
        watched.add(el);
        nearby.observe(el);
      }
    });
    // Measure every block first and change attributes after, so the page is laid out once.
    var blocks = nearby
      ? Array.from(near).filter(function (el) { return el.isConnected; })
      : Array.from(document.querySelectorAll(SCROLLERS));
    var scrolls = blocks.map(function (el) { return el.scrollWidth > el.clientWidth + 1; });
    blocks.forEach(function (el, index) {
      if (scrolls[index]) {
        // Set every time: the theme's script also sets and clears tab stops on code blocks.
        var isTable = el.tagName === "TABLE" || el.querySelector("table");
        set(el, "data-pp-scroll", "");
        set(el, "tabindex", "0");
        if (el.tagName !== "TABLE") set(el, "role", "group");
        if (!el.hasAttribute("aria-label") || el.hasAttribute("data-pp-label")) {
          set(el, "data-pp-label", "");
          set(el, "aria-label", (isTable ? "Table" : "Code") + ", scrolls sideways");
        }
      } else if (el.hasAttribute("data-pp-scroll")) {
        ["data-pp-scroll", "role"].forEach(function (name) { el.removeAttribute(name); });
        if (el.hasAttribute("data-pp-label")) {
          el.removeAttribute("data-pp-label");
          el.removeAttribute("aria-label");
        }
        if (el.tagName !== "CODE") el.removeAttribute("tabindex");
      }
    });
  }

  function set(el, name, value) {
    if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  }

  var queued = false;
  function queueMark() {
    if (queued) return;
    queued = true;
    requestAnimationFrame(function () { queued = false; markScrollers(); });
  }

  /* Printing ------------------------------------------------------------------------------------ */

  var printed = null;
  window.addEventListener("beforeprint", function () {
    var body = document.body;
    printed = {
      closed: Array.from(document.querySelectorAll("details:not([open])")),
      scheme: body.getAttribute("data-md-color-scheme"),
    };
    printed.closed.forEach(function (details) { details.open = true; });
    body.setAttribute("data-md-color-scheme", "default");
  });
  window.addEventListener("afterprint", function () {
    if (!printed) return;
    printed.closed.forEach(function (details) { details.open = false; });
    if (printed.scheme) document.body.setAttribute("data-md-color-scheme", printed.scheme);
    printed = null;
  });

  /* Search highlights inside cards ---------------------------------------------------------------- */

  function openHighlightedCards(marks) {
    var first = null;
    marks.forEach(function (mark) {
      var details = mark.closest("details:not([open])");
      while (details) {
        details.open = true;
        first = first || mark;
        details = details.parentElement.closest("details:not([open])");
      }
    });
    // If the section's own text holds no highlight, bring the first card that does into view.
    var outside = marks.some(function (mark) { return !mark.closest("details"); });
    if (first && !outside) first.scrollIntoView({ block: "center" });
  }

  function watchHighlights() {
    if (!/[?&]h=/.test(location.search)) return;
    var content = document.querySelector(".md-content");
    if (!content) return;
    var done = false;
    var observer = new MutationObserver(function () {
      var marks = Array.from(content.querySelectorAll("mark[data-md-highlight]"));
      if (!marks.length || done) return;
      done = true;
      observer.disconnect();
      openHighlightedCards(marks);
    });
    observer.observe(content, { childList: true, subtree: true });
    setTimeout(function () { observer.disconnect(); }, 10000);
  }

  function start() {
    watchHighlights();
    var content = document.querySelector(".md-content");
    if (!content) return;
    var idle = window.requestIdleCallback || function (fn) { return setTimeout(fn, 200); };
    idle(function () {
      markScrollers();
      // Blocks added, or their tab stop or name changed (the theme's script does both).
      new MutationObserver(queueMark).observe(content, {
        childList: true, subtree: true, attributes: true, attributeFilter: ["tabindex", "role", "aria-label"],
      });
      var sized = false; // a ResizeObserver reports once when it starts: that size is measured already
      if (window.ResizeObserver) new ResizeObserver(function () { if (sized) queueMark(); sized = true; }).observe(content);
    }, { timeout: 1500 });
    document.addEventListener("toggle", queueMark, true);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
