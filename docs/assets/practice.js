/* Practice mode: the site's flashcards with spaced repetition (FSRS), progress kept in this browser.
 *
 * Plain ES2017 with no modules and no network access, so it also runs from file://. Its data come as
 * scripts the build writes: practice-cards.js (window.PELOTON_PREP_CARDS, each card's sanitised HTML),
 * practice-filters.js (window.PELOTON_PREP_FILTERS, topics and patterns), practice-fsrs.js (ts-fsrs)
 * and practice-scheduler.js (window.PelotonPrepScheduler). Storage and the interview date come from
 * study.js (window.PelotonPrepStudy), which every page loads after this script.
 *
 * localStorage, every key starting "peloton-prep:":
 *   srs:<card id>   the card's FSRS state; a card's progress is keyed by its id, so it survives edits
 *   rounds          the decks ticked last time, as a JSON list
 *   practice        {"topic": "", "pattern": "", "newLimit": 20}
 *   new-today       {"day": "YYYY-MM-DD", "ids": [cards first seen that day]}
 *   session         {"active": bool, "card": id shown, "revealed": bool}: a session resumes after a reload
 */
(function () {
  "use strict";

  if (window.PelotonPrepPractice) return;

  const ROOT_ID = "pp-practice";
  const LEARN_AHEAD = 20 * 60000;
  const DEFAULT_NEW_LIMIT = 20;
  const RATINGS = ["again", "hard", "good", "easy"];
  const ROLE_ORDER = ["de", "pm"];
  const ROUND_ORDER = [
    "overview", "recruiter-screen", "system-design", "coding", "leadership", "executive",
    "common-questions", "behavioral", "design-patterns", "mistakes", "trade-offs",
  ];

  let Study = null;
  let Scheduler = null;

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
          key: card.deck, role: card.role, roleName: parts[0], name: parts[parts.length - 1], round: card.round, cards: [],
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

  /** A fixed shuffle: new cards come in an order that looks random but is the same after a reload. */
  function mixKey(id) {
    let value = 0x811c9dc5;
    for (let i = 0; i < id.length; i += 1) {
      value ^= id.charCodeAt(i);
      value = Math.imul(value, 0x01000193) >>> 0;
    }
    return value;
  }

  function record(id) {
    return Study.readJSON("srs:" + id, null);
  }

  function endOfToday(now) {
    return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  }

  function button(className, text, key) {
    const node = document.createElement("button");
    node.type = "button";
    node.className = "pp-button " + className;
    node.append(text);
    if (key) {
      node.setAttribute("aria-keyshortcuts", key);
      const kbd = document.createElement("kbd");
      kbd.setAttribute("aria-hidden", "true");
      kbd.textContent = key;
      node.append(" ", kbd);
    }
    return node;
  }

  /** "Terms: ABR · HLC" under an answer, each linked to its glossary entry (card data, so text only). */
  function termsLine(terms) {
    const line = document.createElement("p");
    line.className = "pp-terms";
    line.append("Terms: ");
    terms.forEach((term, index) => {
      if (index) line.append(" \u00b7 ");
      const anchor = document.createElement("a");
      anchor.href = new URL(term.url, Study.siteRoot()).href;
      anchor.title = term.title;
      anchor.textContent = term.key;
      line.appendChild(anchor);
    });
    return line;
  }

  /* The app on one practice page. */

  class Practice {
    constructor(root, cards) {
      this.root = root;
      this.cards = cards;
      this.byId = new Map(cards.map((card) => [card.id, card]));
      this.roles = groupCards(cards);
      const filters = window.PELOTON_PREP_FILTERS || { topics: {}, patterns: {} };
      this.topics = filters.topics || {};
      this.patterns = filters.patterns || {};
      this.order = new Map(cards.map((card) => [card.id, mixKey(card.id)]));
      this.current = null;
      this.revealed = false;
      this.undoStack = [];
      this.answered = 0;
      const find = (selector) => root.querySelector(selector);
      this.el = {
        setup: find(".pp-setup"),
        rolesBox: find(".pp-roles"),
        topic: find(".pp-topic"),
        pattern: find(".pp-pattern"),
        newLimit: find(".pp-new-limit"),
        today: find(".pp-today"),
        plan: find(".pp-plan"),
        message: find(".pp-setup .pp-message"),
        start: find(".pp-start"),
        session: find(".pp-session"),
        counts: find(".pp-counts"),
        face: find(".pp-card-face"),
        deck: find(".pp-deck"),
        front: find(".pp-front"),
        answer: find(".pp-answer"),
        flip: find(".pp-flip"),
        ratings: find(".pp-ratings"),
        undo: find(".pp-session .pp-undo"),
        done: find(".pp-done"),
        doneText: find(".pp-done-text"),
      };
      this.buttons = {};
      RATINGS.forEach((rating, index) => {
        const node = button("pp-rate pp-" + rating, rating.charAt(0).toUpperCase() + rating.slice(1), String(index + 1));
        node.dataset.rating = rating;
        const interval = document.createElement("span");
        interval.className = "pp-interval";
        node.append(" ", interval);
        this.el.ratings.appendChild(node);
        this.buttons[rating] = node;
      });
      this.renderRoles();
      this.renderFilters();
      this.bind();
      this.resume();
    }

    now() {
      return new Date();
    }

    settings() {
      const value = Study.readJSON("practice", {});
      return value && typeof value === "object" ? value : {};
    }

    saveSettings() {
      const limit = parseInt(this.el.newLimit.value, 10);
      Study.writeJSON("practice", {
        topic: this.el.topic.value,
        pattern: this.el.pattern.value,
        newLimit: Number.isFinite(limit) && limit >= 0 ? limit : DEFAULT_NEW_LIMIT,
      });
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
      on(".pp-undo", () => this.undo());
      on(".pp-stop", () => this.stop());
      el.ratings.addEventListener("click", (event) => {
        const target = event.target instanceof Element ? event.target.closest("[data-rating]") : null;
        if (target) this.answer(target.dataset.rating);
      });
      el.rolesBox.addEventListener("change", () => this.saveSelection());
      [el.topic, el.pattern, el.newLimit].forEach((input) => input.addEventListener("change", () => {
        this.saveSettings();
        this.renderToday();
      }));
      el.face.addEventListener("click", (event) => {
        const target = event.target;
        if (target.closest("a, button, input, label") || el.answer.contains(target)) return;
        if (String(window.getSelection ? window.getSelection() : "").length) return;
        this.flip();
      });
      Study.onChange(() => this.renderToday());
      document.addEventListener("pp-imported", () => {
        this.renderRoles();
        this.renderToday();
      });
    }

    renderRoles() {
      const box = this.el.rolesBox;
      let chosen = Study.readJSON("rounds", []);
      chosen = new Set(Array.isArray(chosen) ? chosen : []);
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
      this.renderRoundCounts();
    }

    renderFilters() {
      const fill = (select, values, any) => {
        const counts = new Map();
        values.forEach((value) => counts.set(value, (counts.get(value) || 0) + 1));
        select.textContent = "";
        const first = document.createElement("option");
        first.value = "";
        first.textContent = any;
        select.appendChild(first);
        Array.from(counts.keys()).sort((a, b) => a.localeCompare(b)).forEach((value) => {
          const option = document.createElement("option");
          option.value = value;
          option.textContent = value.replace(/-/g, " ") + " (" + counts.get(value) + ")";
          select.appendChild(option);
        });
      };
      const topics = [];
      Object.keys(this.topics).forEach((id) => topics.push.apply(topics, this.topics[id]));
      fill(this.el.topic, topics, "Any topic");
      fill(this.el.pattern, Object.keys(this.patterns).map((id) => this.patterns[id]), "Any pattern");
      const settings = this.settings();
      const pick = (select, value) => {
        select.value = value || "";
        if (select.value !== (value || "")) select.value = "";
      };
      pick(this.el.topic, settings.topic);
      pick(this.el.pattern, settings.pattern);
      this.el.newLimit.value = String(Number.isInteger(settings.newLimit) ? settings.newLimit : DEFAULT_NEW_LIMIT);
    }

    /** Each round's size and how many of its cards are due today. */
    renderRoundCounts() {
      const end = endOfToday(this.now());
      this.el.rolesBox.querySelectorAll(".pp-round").forEach((label) => {
        const round = this.findRound(label.querySelector("input").value);
        let seen = 0;
        let due = 0;
        round.cards.forEach((card) => {
          const progress = record(card.id);
          if (!progress) return;
          seen += 1;
          if (Scheduler.availableAt(progress) < end) due += 1;
        });
        const parts = [Study.plural(round.cards.length, "card", "cards")];
        if (seen) parts.push(seen + " seen");
        if (due) parts.push(due + " due");
        label.querySelector(".pp-round-count").textContent = parts.join(", ");
        label.dataset.seen = String(seen);
        label.dataset.due = String(due);
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
      Study.writeJSON("rounds", this.checkboxes().filter((box) => box.checked).map((box) => box.value));
      this.el.message.textContent = "";
      this.renderToday();
    }

    /** The cards of the ticked rounds that pass the topic and pattern filters. */
    selected() {
      const decks = new Set(this.checkboxes().filter((box) => box.checked).map((box) => box.value));
      const topic = this.el.topic.value;
      const pattern = this.el.pattern.value;
      return this.cards.filter((card) => decks.has(card.deck) &&
        (!topic || (this.topics[card.id] || []).indexOf(topic) !== -1) &&
        (!pattern || this.patterns[card.id] === pattern));
    }

    newToday() {
      const today = Study.dayString(this.now());
      const value = Study.readJSON("new-today", null);
      return value && value.day === today && Array.isArray(value.ids) ? value.ids : [];
    }

    /** The interview day if it is still ahead, else null. */
    deadline() {
      const date = Study.interviewDate();
      return date && date > this.now() ? date : null;
    }

    /** How many new cards a day: the reader's limit, raised if the interview date needs more. */
    newPlan(cards) {
      const settings = this.settings();
      const limit = Number.isInteger(settings.newLimit) ? settings.newLimit : DEFAULT_NEW_LIMIT;
      const date = Study.interviewDate();
      if (!date) return { limit: limit, needed: null, days: null, unseen: null };
      const now = this.now();
      const daysLeft = Study.daysBetween(now, date);
      const introduced = new Set(this.newToday());
      const unseen = cards.filter((card) => !record(card.id) || introduced.has(card.id)).length;
      // New cards stop two days before the interview, so the last of them still get a second day.
      const days = Math.max(1, daysLeft - 1);
      const needed = Math.ceil(unseen / days);
      return { limit: Math.max(limit, needed), needed: needed, days: daysLeft, unseen: unseen, own: limit };
    }

    counts(cards) {
      const now = this.now();
      const end = endOfToday(now);
      let due = 0;
      let unseen = 0;
      cards.forEach((card) => {
        const progress = record(card.id);
        if (!progress) unseen += 1;
        else if (Scheduler.availableAt(progress) < end) due += 1;
      });
      const plan = this.newPlan(cards);
      const left = Math.max(0, plan.limit - this.newToday().length);
      return { due: due, fresh: Math.min(left, unseen), newLeft: left, plan: plan };
    }

    renderToday() {
      const cards = this.selected();
      const counts = this.counts(cards);
      this.el.today.textContent = "Today: " + counts.due + " due, " + counts.fresh + " new" +
        (cards.length ? " (of " + Study.plural(cards.length, "card", "cards") + " chosen)" : "");
      this.el.today.dataset.due = String(counts.due);
      this.el.today.dataset.new = String(counts.fresh);
      const plan = counts.plan;
      const date = Study.interviewDate();
      if (!date) {
        this.el.plan.textContent = "Set your interview date under Your progress and practice spreads the new " +
          "cards over the days you have.";
      } else if (plan.days < 0) {
        this.el.plan.textContent = "Your interview date has passed. Set the next one under Your progress.";
      } else if (!cards.length && plan.days >= 2) {
        this.el.plan.textContent = "Your interview is on " + Study.longDate(date) + ", in " + plan.days +
          " days. Choose rounds to see how many new cards a day it takes to see each at least twice before then.";
      } else if (plan.days < 2) {
        this.el.plan.textContent = "Your interview is " + (plan.days ? "tomorrow" : "today") +
          ": review what is due; new cards would not get a second look.";
      } else {
        this.el.plan.textContent = "Your interview is on " + Study.longDate(date) + ", in " + plan.days +
          " days. To see each of the " + Study.plural(plan.unseen, "new card", "new cards") +
          " chosen at least twice before then takes " + Study.plural(plan.needed, "new card", "new cards") +
          " a day" + (plan.needed > plan.own ? ", more than your limit of " + plan.own + ", so practice shows " +
          plan.needed + "." : "; your limit of " + plan.own + " covers it.");
      }
      this.el.plan.dataset.needed = plan.needed === null ? "" : String(plan.needed);
      this.renderRoundCounts();
    }

    /** The next card to show, or null: learning steps due, reviews due today, new cards, then learning ahead. */
    nextCard() {
      const now = this.now();
      const cards = this.selected();
      let best = null;
      let bestKey = null;
      let ahead = null;
      let unseen = null;
      cards.forEach((card) => {
        const progress = record(card.id);
        if (!progress) {
          if (!unseen || this.order.get(card.id) < this.order.get(unseen.id)) unseen = card;
          return;
        }
        const at = Scheduler.availableAt(progress);
        const due = new Date(progress.due);
        if (at <= now) {
          const key = [Scheduler.isLearning(progress) ? 0 : 1, due.getTime()];
          if (!best || key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
            best = card;
            bestKey = key;
          }
        } else if (Scheduler.isLearning(progress) && due - now <= LEARN_AHEAD) {
          if (!ahead || due < new Date(record(ahead.id).due)) ahead = card;
        }
      });
      if (best) return best;
      if (unseen && this.counts(cards).newLeft > 0) return unseen;
      return ahead;
    }

    /** When the next card of the selection falls due, for the "come back" message. */
    nextDue() {
      let soonest = null;
      this.selected().forEach((card) => {
        const progress = record(card.id);
        if (!progress) return;
        const at = Scheduler.availableAt(progress);
        if (!soonest || at < soonest) soonest = at;
      });
      return soonest;
    }

    show(state) {
      this.root.dataset.state = state;
      this.el.setup.hidden = state !== "setup";
      this.el.session.hidden = state !== "session";
      this.el.done.hidden = state !== "done";
    }

    saveSession(active) {
      Study.writeJSON("session", { active: active, card: this.current ? this.current.id : null, revealed: this.revealed });
    }

    resume() {
      const session = Study.readJSON("session", null);
      if (session && session.active && this.selected().length) {
        const card = session.card && this.byId.get(session.card);
        if (card) {
          this.showCard(card, Boolean(session.revealed));
          return;
        }
        if (this.advance()) return;
      }
      this.show("setup");
      this.renderToday();
    }

    active() {
      return this.root.dataset.state === "session" && this.current !== null;
    }

    start() {
      if (!this.checkboxes().some((box) => box.checked)) {
        this.el.message.textContent = "Choose at least one round.";
        return;
      }
      if (!this.selected().length) {
        this.el.message.textContent = "No card in these rounds has that topic or pattern. Choose \u201cAny\u201d or other rounds.";
        return;
      }
      this.answered = 0;
      if (!this.advance()) {
        this.el.message.textContent = this.restMessage();
        this.renderToday();
      } else {
        this.el.message.textContent = "";
      }
    }

    restMessage() {
      const next = this.nextDue();
      const counts = this.counts(this.selected());
      let text = "Nothing is due in these rounds right now";
      if (counts.newLeft === 0) text += ", and you have seen today's " + Study.plural(counts.plan.limit, "new card", "new cards");
      text += ".";
      if (next) {
        const wait = next - this.now();
        text += " The next card is due " + (wait < 86400000 && next.getDate() === this.now().getDate()
          ? "at " + next.toTimeString().slice(0, 5) : "on " + Study.longDate(next)) + ".";
      }
      return text;
    }

    /** Show the next card; false (and the done screen if a session was running) when there is none. */
    advance() {
      const card = this.nextCard();
      if (card) {
        this.showCard(card, false);
        return true;
      }
      this.current = null;
      this.revealed = false;
      this.saveSession(false);
      if (this.root.dataset.state === "session" || this.answered) {
        this.el.doneText.textContent = "Done for now: you answered " + Study.plural(this.answered, "card", "cards") +
          ". " + this.restMessage();
        this.show("done");
        this.renderToday();
        this.el.done.focus();
      }
      return false;
    }

    showCard(card, revealed) {
      this.current = card;
      this.revealed = false;
      this.root.dataset.card = card.id;
      this.show("session");
      this.el.deck.textContent = String(card.deck).split("::").join(" \u00b7 ");
      // Card faces are HTML the build has already passed through its one card sanitiser
      // (peloton_prep.sources.sanitize): no scripts, handlers, frames, forms or outside images.
      // Everything else on this page is built with textContent.
      this.el.front.setAttribute("aria-live", "polite"); // a new question is read out
      this.el.front.innerHTML = card.front;
      this.el.answer.textContent = "";
      this.el.flip.textContent = "Show answer";
      this.el.flip.setAttribute("aria-expanded", "false");
      if (revealed) this.flip();
      this.renderIntervals();
      this.renderSessionCounts();
      this.saveSession(true);
      this.el.undo.disabled = !this.undoStack.length;
      this.el.flip.focus({ preventScroll: true });
      const top = this.el.session.getBoundingClientRect().top;
      if (top < 0 || top > window.innerHeight / 2) this.el.session.scrollIntoView({ block: "start" });
    }

    renderIntervals() {
      const intervals = Scheduler.preview(record(this.current.id), this.now(), this.deadline());
      RATINGS.forEach((rating) => {
        const text = Scheduler.label(intervals[rating]);
        const node = this.buttons[rating].querySelector(".pp-interval");
        node.textContent = text;
        this.buttons[rating].dataset.interval = text;
        this.buttons[rating].title = "Comes back in " + text;
      });
    }

    renderSessionCounts() {
      const counts = this.counts(this.selected());
      this.el.counts.textContent = counts.due + " due \u00b7 " + counts.fresh + " new left today \u00b7 " +
        Study.plural(this.answered, "answer", "answers") + " this session";
      this.el.counts.dataset.due = String(counts.due);
      this.el.counts.dataset.new = String(counts.fresh);
    }

    flip() {
      if (!this.active()) return;
      const card = this.current;
      this.revealed = !this.revealed;
      if (this.revealed) {
        this.el.answer.innerHTML = card.back;
        if (card.terms.length) this.el.answer.appendChild(termsLine(card.terms));
        const more = document.createElement("p");
        more.className = "pp-read-more";
        const anchor = document.createElement("a");
        anchor.href = new URL(card.url, Study.siteRoot()).href;
        anchor.textContent = "Read the full answer";
        more.appendChild(anchor);
        this.el.answer.appendChild(more);
      } else {
        this.el.answer.textContent = "";
      }
      this.el.flip.textContent = this.revealed ? "Hide answer" : "Show answer";
      this.el.flip.setAttribute("aria-expanded", String(this.revealed));
      this.saveSession(true);
    }

    answer(rating) {
      if (!this.active() || RATINGS.indexOf(rating) === -1) return;
      const card = this.current;
      const before = record(card.id);
      const now = this.now();
      Study.writeJSON("srs:" + card.id, Scheduler.answer(before, rating, now, this.deadline()));
      if (!before) {
        const ids = this.newToday();
        ids.push(card.id);
        Study.writeJSON("new-today", { day: Study.dayString(now), ids: ids });
      }
      this.undoStack.push({ id: card.id, before: before });
      this.answered += 1;
      this.advance();
      this.el.undo.disabled = false;
    }

    undo() {
      const last = this.undoStack.pop();
      if (!last) return;
      if (last.before) {
        Study.writeJSON("srs:" + last.id, last.before);
      } else {
        Study.remove("srs:" + last.id);
        const ids = this.newToday().filter((id) => id !== last.id);
        Study.writeJSON("new-today", { day: Study.dayString(this.now()), ids: ids });
      }
      this.answered = Math.max(0, this.answered - 1);
      this.showCard(this.byId.get(last.id), false);
    }

    stop() {
      this.current = null;
      this.saveSession(false);
      this.root.dataset.card = "";
      this.show("setup");
      this.renderToday();
      this.el.start.focus();
    }

    reset() {
      if (!window.confirm("Reset practice progress? Every card goes back to new on this device.")) return;
      Study.keys("srs:").concat(Study.keys("card:"), ["new-today", "session"]).forEach((key) => Study.remove(key));
      this.undoStack = [];
      this.renderToday();
      this.el.message.textContent = "Progress reset: every card is new again.";
    }
  }

  /* Keys: Space or Enter turns the card over, 1 to 4 answer, U undoes the last answer. */

  function onKey(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const root = document.getElementById(ROOT_ID);
    const app = root && root.ppPractice;
    if (!app) return;
    const target = event.target instanceof Element ? event.target : null;
    if (target && target.closest("input, textarea, select, [contenteditable=''], [contenteditable=true]")) return;
    if ((event.key === "u" || event.key === "U") && app.undoStack.length && root.dataset.state !== "setup") {
      event.preventDefault();
      app.undo();
      return;
    }
    if (!app.active()) return;
    const index = ["1", "2", "3", "4"].indexOf(event.key);
    if (index !== -1 && app.revealed) { // answer only a card turned over
      event.preventDefault();
      app.answer(RATINGS[index]);
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
    Study = window.PelotonPrepStudy;
    Scheduler = window.PelotonPrepScheduler;
    const cards = window.PELOTON_PREP_CARDS;
    if (!Array.isArray(cards) || !cards.length || !Study || !Scheduler) {
      cardsMissing(root);
      return;
    }
    const loading = root.querySelector(".pp-loading");
    if (loading) loading.remove();
    root.ppPractice = new Practice(root, cards);
    const progress = document.querySelector(".pp-progress-controls");
    if (progress && !progress.childElementCount) {
      progress.append(Study.dateField("Interview date:"), Study.progressPanel());
    }
  }

  window.PelotonPrepPractice = { init: init };
  document.addEventListener("keydown", onKey);
  // Deferred scripts run in order, and study.js (loaded by every page) comes after this one.
  if (window.PelotonPrepStudy) {
    init();
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
