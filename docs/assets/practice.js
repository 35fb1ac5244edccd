/* Practice mode: the site's flashcards one at a time, with progress kept in this browser.
 *
 * Plain ES2017 with no modules and no network access, so it also runs from file://. The cards come
 * from assets/practice-cards.js (window.PELOTON_PREP_CARDS), which the build writes.
 *
 * localStorage, every key starting "peloton-prep:":
 *   peloton-prep:card:<id>     {"status": "got" | "again", "seen": ISO time of the last answer}
 *   peloton-prep:rounds        the decks ticked last time, as a JSON list
 *   peloton-prep:skip-known    "1" or "0": leave out cards already marked Got it
 */
(function () {
  "use strict";

  // mkdocs-material's instant navigation runs the page's scripts again on every visit.
  if (window.PelotonPrepPractice) {
    window.PelotonPrepPractice.init();
    return;
  }

  const PREFIX = "peloton-prep:";
  const CARD_PREFIX = PREFIX + "card:";
  const ROUNDS_KEY = PREFIX + "rounds";
  const SKIP_KEY = PREFIX + "skip-known";
  const ROOT_ID = "pp-practice";
  // A card marked Again comes back after this many other cards.
  const AGAIN_GAP = 3;
  const ROLE_ORDER = ["de", "pm"];
  const ROUND_ORDER = [
    "overview", "recruiter-screen", "system-design", "coding", "leadership", "executive",
    "common-questions", "behavioral", "design-patterns", "mistakes", "trade-offs",
  ];

  const SCRIPT_SRC = document.currentScript ? document.currentScript.src : "";

  /** The site's root URL, ending in "/": card URLs are relative to it. */
  function siteRoot() {
    const own = /assets\/practice\.js(?:[?#].*)?$/;
    if (SCRIPT_SRC && own.test(SCRIPT_SRC)) {
      return SCRIPT_SRC.replace(own, "");
    }
    let base = ".";
    const config = document.getElementById("__config");
    if (config) {
      try {
        base = JSON.parse(config.textContent).base || ".";
      } catch (error) {
        base = ".";
      }
    }
    return new URL(base.replace(/\/?$/, "/"), document.baseURI).href;
  }

  /* Storage: localStorage when the browser allows it, else memory for this visit only. */

  const storage = (function () {
    try {
      const probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null;
    }
  })();
  const memory = new Map();

  function read(key) {
    if (!storage) return memory.has(key) ? memory.get(key) : null;
    try {
      return storage.getItem(key);
    } catch (error) {
      return null;
    }
  }

  function write(key, value) {
    if (!storage) {
      memory.set(key, value);
      return;
    }
    try {
      storage.setItem(key, value);
    } catch (error) {
      memory.set(key, value);
    }
  }

  function storedKeys() {
    if (!storage) return Array.from(memory.keys());
    const keys = [];
    for (let i = 0; i < storage.length; i += 1) {
      const key = storage.key(i);
      if (key !== null) keys.push(key);
    }
    return keys;
  }

  function remove(key) {
    memory.delete(key);
    if (storage) {
      try {
        storage.removeItem(key);
      } catch (error) {
        /* nothing stored to remove */
      }
    }
  }

  /** A card's saved progress, {status, seen}, or null if it was never answered. */
  function progressOf(id) {
    const raw = read(CARD_PREFIX + id);
    if (!raw) return null;
    try {
      const value = JSON.parse(raw);
      return value && (value.status === "got" || value.status === "again") ? value : null;
    } catch (error) {
      return null;
    }
  }

  function saveProgress(id, status) {
    write(CARD_PREFIX + id, JSON.stringify({ status: status, seen: new Date().toISOString() }));
  }

  function resetProgress() {
    storedKeys().filter((key) => key.indexOf(CARD_PREFIX) === 0).forEach(remove);
  }

  function savedRounds() {
    try {
      const value = JSON.parse(read(ROUNDS_KEY) || "[]");
      return Array.isArray(value) ? value : [];
    } catch (error) {
      return [];
    }
  }

  /* Cards and rounds. */

  function rank(list, value) {
    const index = list.indexOf(value);
    return index === -1 ? list.length : index;
  }

  /** Group the cards into roles, each holding its rounds (decks) in the site's order. */
  function groupCards(cards) {
    const decks = new Map();
    cards.forEach((card) => {
      if (!decks.has(card.deck)) {
        const parts = String(card.deck).split("::");
        decks.set(card.deck, {
          key: card.deck,
          role: card.role,
          roleName: parts[0],
          name: parts[parts.length - 1],
          round: card.round,
          cards: [],
        });
      }
      decks.get(card.deck).cards.push(card);
    });
    const rounds = Array.from(decks.values()).sort((a, b) =>
      rank(ROLE_ORDER, a.role) - rank(ROLE_ORDER, b.role) ||
      a.roleName.localeCompare(b.roleName) ||
      rank(ROUND_ORDER, a.round) - rank(ROUND_ORDER, b.round) ||
      a.name.localeCompare(b.name));
    const roles = [];
    rounds.forEach((round) => {
      let role = roles.length ? roles[roles.length - 1] : null;
      if (!role || role.name !== round.roleName) {
        role = { name: round.roleName, rounds: [] };
        roles.push(role);
      }
      role.rounds.push(round);
    });
    return roles;
  }

  function shuffle(items) {
    for (let i = items.length - 1; i > 0; i -= 1) {
      const j = Math.floor(Math.random() * (i + 1));
      const swap = items[i];
      items[i] = items[j];
      items[j] = swap;
    }
    return items;
  }

  function bySeen(a, b) {
    return String(progressOf(a.id).seen).localeCompare(String(progressOf(b.id).seen));
  }

  /** A session's order: cards to see again first, then new cards, then (if kept) cards already got. */
  function sessionQueue(cards, skipKnown) {
    const again = cards.filter((card) => { const p = progressOf(card.id); return p && p.status === "again"; });
    const fresh = cards.filter((card) => !progressOf(card.id));
    const known = skipKnown ? [] : cards.filter((card) => { const p = progressOf(card.id); return p && p.status === "got"; });
    return again.sort(bySeen).concat(shuffle(fresh), known.sort(bySeen));
  }

  function plural(count, one, many) {
    return count + " " + (count === 1 ? one : many);
  }

  /* The app on one practice page. */

  class Practice {
    constructor(root, cards) {
      this.root = root;
      this.cards = cards;
      this.roles = groupCards(cards);
      this.queue = [];
      this.seen = new Set();
      this.got = 0;
      this.total = 0;
      this.revealed = false;
      const find = (selector) => root.querySelector(selector);
      this.el = {
        setup: find(".pp-setup"),
        rolesBox: find(".pp-roles"),
        skipKnown: find(".pp-skip-known"),
        message: find(".pp-setup .pp-message"),
        start: find(".pp-start"),
        session: find(".pp-session"),
        counts: find(".pp-counts"),
        face: find(".pp-card-face"),
        deck: find(".pp-deck"),
        front: find(".pp-front"),
        answer: find(".pp-answer"),
        flip: find(".pp-flip"),
        done: find(".pp-done"),
        doneText: find(".pp-done-text"),
      };
      this.renderRoles();
      this.bind();
      this.showSetup(false);
    }

    bind() {
      const el = this.el;
      const on = (selector, handler) => {
        this.root.querySelectorAll(selector).forEach((node) => node.addEventListener("click", handler));
      };
      on(".pp-start", () => this.start());
      on(".pp-select-all", () => this.selectAll(true));
      on(".pp-select-none", () => this.selectAll(false));
      on(".pp-reset", () => this.reset());
      on(".pp-flip", () => this.flip());
      on(".pp-again", () => this.answer("again"));
      on(".pp-got", () => this.answer("got"));
      on(".pp-stop", () => this.showSetup(true));
      el.rolesBox.addEventListener("change", () => this.saveSelection());
      el.skipKnown.checked = read(SKIP_KEY) !== "0";
      el.skipKnown.addEventListener("change", () => write(SKIP_KEY, el.skipKnown.checked ? "1" : "0"));
      el.face.addEventListener("click", (event) => {
        const target = event.target;
        if (target.closest("a, button, input, label") || el.answer.contains(target)) return;
        if (String(window.getSelection ? window.getSelection() : "").length) return;
        this.flip();
      });
    }

    renderRoles() {
      const box = this.el.rolesBox;
      const chosen = new Set(savedRounds());
      box.textContent = "";
      this.roles.forEach((role) => {
        const fieldset = document.createElement("fieldset");
        fieldset.className = "pp-role";
        const legend = document.createElement("legend");
        legend.textContent = role.name;
        fieldset.appendChild(legend);
        const list = document.createElement("div");
        list.className = "pp-round-list";
        role.rounds.forEach((round) => {
          const label = document.createElement("label");
          label.className = "pp-round";
          const input = document.createElement("input");
          input.type = "checkbox";
          input.value = round.key;
          input.checked = chosen.has(round.key);
          const name = document.createElement("span");
          name.className = "pp-round-name";
          name.textContent = round.name;
          const count = document.createElement("span");
          count.className = "pp-round-count";
          label.append(input, " ", name, " ", count);
          list.appendChild(label);
        });
        fieldset.appendChild(list);
        box.appendChild(fieldset);
      });
      this.renderCounts();
    }

    /** Each round's size and how many of its cards are marked Got it. */
    renderCounts() {
      this.el.rolesBox.querySelectorAll(".pp-round").forEach((label) => {
        const key = label.querySelector("input").value;
        const round = this.findRound(key);
        const got = round.cards.filter((card) => { const p = progressOf(card.id); return p && p.status === "got"; }).length;
        const count = label.querySelector(".pp-round-count");
        count.textContent = plural(round.cards.length, "card", "cards") + (got ? ", " + got + " got it" : "");
        label.dataset.got = String(got);
      });
    }

    findRound(key) {
      for (const role of this.roles) {
        for (const round of role.rounds) {
          if (round.key === key) return round;
        }
      }
      return null;
    }

    checkboxes() {
      return Array.from(this.el.rolesBox.querySelectorAll("input[type=checkbox]"));
    }

    selectAll(checked) {
      this.checkboxes().forEach((box) => { box.checked = checked; });
      this.saveSelection();
    }

    saveSelection() {
      write(ROUNDS_KEY, JSON.stringify(this.checkboxes().filter((box) => box.checked).map((box) => box.value)));
      this.el.message.textContent = "";
    }

    show(state) {
      this.root.dataset.state = state;
      this.el.setup.hidden = state !== "setup";
      this.el.session.hidden = state !== "session";
      this.el.done.hidden = state !== "done";
    }

    showSetup(focus) {
      this.renderCounts();
      this.show("setup");
      if (focus) this.el.start.focus();
    }

    active() {
      return this.root.dataset.state === "session" && this.queue.length > 0;
    }

    start() {
      const keys = new Set(this.checkboxes().filter((box) => box.checked).map((box) => box.value));
      if (!keys.size) {
        this.el.message.textContent = "Choose at least one round.";
        return;
      }
      const cards = this.cards.filter((card) => keys.has(card.deck));
      this.queue = sessionQueue(cards, this.el.skipKnown.checked);
      if (!this.queue.length) {
        this.el.message.textContent =
          "You have marked every card in these rounds Got it. Untick \u201cSkip cards I already marked Got it\u201d, " +
          "choose other rounds, or reset your progress.";
        return;
      }
      this.el.message.textContent = "";
      this.seen = new Set();
      this.got = 0;
      this.total = this.queue.length;
      this.show("session");
      this.showCard();
    }

    current() {
      return this.queue[0];
    }

    showCard() {
      const card = this.current();
      this.seen.add(card.id);
      this.revealed = false;
      this.root.dataset.card = card.id;
      this.el.deck.textContent = String(card.deck).split("::").join(" \u00b7 ");
      this.el.front.setAttribute("aria-live", "polite"); // a new question is read out
      this.el.front.innerHTML = card.front;
      this.el.answer.textContent = "";
      this.el.flip.textContent = "Show answer";
      this.el.flip.setAttribute("aria-expanded", "false");
      this.renderSessionCounts();
      this.el.flip.focus({ preventScroll: true });
      const top = this.el.session.getBoundingClientRect().top;
      if (top < 0 || top > window.innerHeight / 2) this.el.session.scrollIntoView({ block: "start" });
    }

    renderSessionCounts() {
      this.el.counts.textContent =
        "Seen " + this.seen.size + " of " + this.total + " \u00b7 " + this.queue.length + " remaining \u00b7 " +
        this.got + " got it";
      this.el.counts.dataset.seen = String(this.seen.size);
      this.el.counts.dataset.remaining = String(this.queue.length);
    }

    flip() {
      if (!this.active()) return;
      const card = this.current();
      this.revealed = !this.revealed;
      if (this.revealed) {
        const link = new URL(card.url, siteRoot()).href;
        this.el.answer.innerHTML = card.back;
        const more = document.createElement("p");
        more.className = "pp-read-more";
        const anchor = document.createElement("a");
        anchor.href = link;
        anchor.textContent = "Read the full answer";
        more.appendChild(anchor);
        this.el.answer.appendChild(more);
      } else {
        this.el.answer.textContent = "";
      }
      this.el.flip.textContent = this.revealed ? "Hide answer" : "Show answer";
      this.el.flip.setAttribute("aria-expanded", String(this.revealed));
    }

    answer(status) {
      if (!this.active()) return;
      const card = this.queue.shift();
      saveProgress(card.id, status);
      if (status === "again") {
        this.queue.splice(Math.min(AGAIN_GAP, this.queue.length), 0, card);
      } else {
        this.got += 1;
      }
      if (this.queue.length) {
        this.showCard();
        return;
      }
      this.root.dataset.card = "";
      this.el.doneText.textContent =
        "You marked all " + plural(this.total, "card", "cards") + " of this session Got it, after seeing " +
        plural(this.seen.size, "card", "cards") + ".";
      this.show("done");
      this.el.done.focus();
    }

    reset() {
      if (!window.confirm("Reset progress? Every card goes back to unseen on this device.")) return;
      resetProgress();
      this.renderCounts();
      this.el.message.textContent = "Progress reset: every card is unseen again.";
    }
  }

  /* Keys: Space or Enter turns the card over, 1 is Again, 2 is Got it. */

  function onKey(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const root = document.getElementById(ROOT_ID);
    const app = root && root.ppPractice;
    if (!app || !app.active()) return;
    const target = event.target instanceof Element ? event.target : null;
    if (target && target.closest("input, textarea, select, [contenteditable=''], [contenteditable=true]")) return;
    if ((event.key === "1" || event.key === "2") && app.revealed) { // answer only a card turned over
      event.preventDefault();
      app.answer(event.key === "1" ? "again" : "got");
    } else if ((event.key === " " || event.key === "Enter") && !(target && target.closest("a, button, summary, label"))) {
      // On a focused button, Space and Enter already press it.
      event.preventDefault();
      app.flip();
    }
  }

  function cardsMissing(root) {
    const loading = root.querySelector(".pp-loading");
    if (loading) {
      loading.textContent =
        "The flashcards did not load. Open the cards at the end of each section of the pages instead, " +
        "or use the Anki deck from Downloads.";
    }
  }

  function init() {
    const root = document.getElementById(ROOT_ID);
    if (!root || root.ppPractice) return;
    const cards = window.PELOTON_PREP_CARDS;
    if (!Array.isArray(cards) || !cards.length) {
      // Until the page has loaded, the cards' script (deferred, and before this one) has run or failed.
      // After instant navigation, Material inserts both scripts at once, so the cards may still be on their way.
      const source = document.querySelector("script[src*='practice-cards.js']");
      if (document.readyState !== "complete" || !source) {
        cardsMissing(root);
      } else if (!root.ppWaiting) {
        root.ppWaiting = true;
        source.addEventListener("load", init);
        source.addEventListener("error", () => cardsMissing(root));
        window.setTimeout(() => { if (!root.ppPractice) cardsMissing(root); }, 10000);
      }
      return;
    }
    const loading = root.querySelector(".pp-loading");
    if (loading) loading.remove();
    root.ppPractice = new Practice(root, cards);
  }

  function watchNavigation() {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(() => init());
      return true;
    }
    return false;
  }

  window.PelotonPrepPractice = { init: init };
  document.addEventListener("keydown", onKey);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  // Material defines document$ in its bundle, which loads after the page's own scripts.
  if (!watchNavigation()) {
    document.addEventListener("DOMContentLoaded", watchNavigation);
  }
})();
