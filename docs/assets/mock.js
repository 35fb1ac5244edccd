/* Mock interviews: a round of either loop against the clock, then a self-assessment saved to a history.
 *
 * Plain ES2017, no network: it also runs from file://. study.js loads it after mock-data.js
 * (window.PELOTON_PREP_MOCK, from docs/mock-interviews.yml) and practice-cards.js (the cards, as
 * sanitised HTML, shown with the model answer's outline).
 *
 * The clock is computed from timestamps, never from counting ticks, so it stays right when the tab
 * is hidden, the screen locks or the page is reloaded.
 *
 * localStorage, every key starting "peloton-prep:":
 *   mock-current   the interview in progress: {id, round, prompt, started, paused, pausedAt, skipped, cued, stage}
 *   mock-history   finished interviews, oldest first
 *   mock-sound     "1" to beep at each phase change
 */
(function () {
  "use strict";

  if (window.PelotonPrepMock) return;

  const MINUTE = 60000;
  const SCORES = [["2", "Yes"], ["1", "Partly"], ["0", "No"]];
  let Study = null;

  function clock(ms) {
    const total = Math.max(0, Math.round(ms / 1000));
    const minutes = Math.floor(total / 60);
    const seconds = total % 60;
    return minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  class Mock {
    constructor(root, data, cards) {
      this.root = root;
      this.rounds = [];
      data.loops.forEach((loop) => loop.rounds.forEach((round) => {
        round.loop = loop.name;
        this.rounds.push(round);
      }));
      this.cards = new Map((cards || []).map((card) => [card.id, card]));
      const find = (selector) => root.querySelector(selector);
      this.el = {
        setup: find(".pp-mock-setup"),
        choices: find(".pp-mock-rounds"),
        sound: find(".pp-mock-sound"),
        message: find(".pp-mock-setup .pp-message"),
        run: find(".pp-mock-run"),
        roundName: find(".pp-mock-round"),
        prompt: find(".pp-mock-prompt"),
        remaining: find(".pp-mock-remaining"),
        total: find(".pp-mock-total"),
        phase: find(".pp-mock-phase"),
        hint: find(".pp-mock-hint"),
        phases: find(".pp-mock-phases"),
        pause: find(".pp-mock-pause"),
        assess: find(".pp-mock-assess"),
        summary: find(".pp-mock-summary"),
        form: find(".pp-mock-form"),
        outline: find(".pp-mock-outline"),
        history: find(".pp-mock-history-list"),
        empty: find(".pp-mock-history-empty"),
      };
      this.timer = null;
      this.audio = null;
      this.renderChoices();
      this.bind();
      this.renderHistory();
      this.resume();
    }

    bind() {
      const on = (selector, handler) => this.root.querySelectorAll(selector).forEach((node) => node.addEventListener("click", handler));
      on(".pp-mock-start", () => this.start());
      on(".pp-mock-pause", () => this.togglePause());
      on(".pp-mock-next", () => this.nextPhase());
      on(".pp-mock-end", () => this.finish());
      on(".pp-mock-discard", () => this.discard());
      this.el.sound.checked = Study.read("mock-sound") === "1";
      this.el.sound.addEventListener("change", () => {
        Study.write("mock-sound", this.el.sound.checked ? "1" : "0");
        if (this.el.sound.checked) this.beep();
      });
      this.el.form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.save();
      });
      document.addEventListener("visibilitychange", () => this.tick());
      document.addEventListener("pp-imported", () => this.renderHistory());
    }

    renderChoices() {
      const box = this.el.choices;
      box.textContent = "";
      let loopBox = null;
      this.rounds.forEach((round, index) => {
        if (!loopBox || loopBox.dataset.loop !== round.loop) {
          loopBox = element("fieldset", "pp-role");
          loopBox.dataset.loop = round.loop;
          loopBox.appendChild(element("legend", "", round.loop));
          loopBox.appendChild(element("div", "pp-round-list"));
          box.appendChild(loopBox);
        }
        const label = element("label", "pp-round");
        const input = document.createElement("input");
        input.type = "radio";
        input.name = "pp-mock-round";
        input.value = round.id;
        input.checked = index === 0;
        label.append(input, " ", element("span", "pp-round-name", round.name), " ",
          element("span", "pp-round-count", round.minutes + " min, " + Study.plural(round.phases.length, "phase", "phases")));
        loopBox.querySelector(".pp-round-list").appendChild(label);
      });
    }

    round(id) {
      return this.rounds.find((round) => round.id === id) || null;
    }

    state() {
      return Study.readJSON("mock-current", null);
    }

    saveState(state) {
      Study.writeJSON("mock-current", state);
    }

    show(stage) {
      this.root.dataset.state = stage;
      this.el.setup.hidden = stage !== "setup";
      this.el.run.hidden = stage !== "run";
      this.el.assess.hidden = stage !== "assess";
    }

    resume() {
      const state = this.state();
      if (state && this.round(state.round)) {
        this.renderRun(state);
        if (state.stage === "assess") {
          this.showAssessment(state);
        } else {
          this.show("run");
          this.startTicking();
        }
        return;
      }
      this.show("setup");
    }

    start() {
      const chosen = this.el.choices.querySelector("input:checked");
      const round = chosen && this.round(chosen.value);
      if (!round) {
        this.el.message.textContent = "Choose a round.";
        return;
      }
      this.unlockAudio();
      const now = Date.now();
      const state = {
        id: "mock-" + now.toString(36) + "-" + Math.floor(Math.random() * 1e6).toString(36),
        round: round.id,
        prompt: Math.floor(Math.random() * round.prompts.length),
        started: now,
        paused: 0,
        pausedAt: null,
        skipped: 0,
        cued: 0,
        stage: "run",
      };
      this.saveState(state);
      this.renderRun(state);
      this.show("run");
      this.startTicking();
      this.el.pause.focus({ preventScroll: true });
      const top = this.el.run.getBoundingClientRect().top;
      if (top < 0 || top > window.innerHeight / 3) this.el.run.scrollIntoView({ block: "start" });
    }

    /** Milliseconds of the interview so far: wall-clock time since the start, less pauses, plus skips. */
    elapsed(state, now) {
      const pausing = state.pausedAt !== null ? now - state.pausedAt : 0;
      return now - state.started - state.paused - pausing + state.skipped;
    }

    /** Which phase an elapsed time falls in, with its start and end; index = phases.length once over. */
    phaseAt(round, elapsed) {
      let start = 0;
      for (let index = 0; index < round.phases.length; index += 1) {
        const end = start + round.phases[index].minutes * MINUTE;
        if (elapsed < end) return { index: index, start: start, end: end };
        start = end;
      }
      return { index: round.phases.length, start: start, end: start };
    }

    renderRun(state) {
      const round = this.round(state.round);
      const prompt = round.prompts[state.prompt] || round.prompts[0];
      this.el.roundName.textContent = round.loop + " \u00b7 " + round.name + " \u00b7 " + round.minutes + " min";
      this.el.prompt.textContent = prompt.title;
      const list = this.el.phases;
      list.textContent = "";
      round.phases.forEach((phase) => {
        const item = element("li", "", phase.name + " (" + phase.minutes + " min)");
        list.appendChild(item);
      });
      this.el.pause.textContent = state.pausedAt !== null ? "Resume" : "Pause";
      this.tick();
    }

    startTicking() {
      if (this.timer === null) this.timer = window.setInterval(() => this.tick(), 250);
      this.tick();
    }

    stopTicking() {
      if (this.timer !== null) window.clearInterval(this.timer);
      this.timer = null;
    }

    tick() {
      const state = this.state();
      if (!state || state.stage !== "run") return;
      const round = this.round(state.round);
      if (!round) return;
      const elapsed = this.elapsed(state, Date.now());
      const phase = this.phaseAt(round, elapsed);
      if (phase.index >= round.phases.length) {
        this.finish();
        return;
      }
      const current = round.phases[phase.index];
      this.el.remaining.textContent = clock(phase.end - elapsed);
      this.el.total.textContent = clock(elapsed) + " of " + round.minutes + ":00";
      this.el.phases.querySelectorAll("li").forEach((item, index) => {
        if (index === phase.index) item.setAttribute("aria-current", "step");
        else item.removeAttribute("aria-current");
        item.classList.toggle("pp-mock-past", index < phase.index);
      });
      const label = "Phase " + (phase.index + 1) + " of " + round.phases.length + ": " + current.name;
      if (this.el.phase.textContent !== label) {
        this.el.phase.textContent = label;
        this.el.hint.textContent = current.hint || "";
      }
      this.root.dataset.phase = String(phase.index);
      if (phase.index > state.cued) {
        state.cued = phase.index;
        this.saveState(state);
        this.cue();
      }
    }

    /** The visible (and, if chosen, audible) cue that a new phase has begun. */
    cue() {
      const box = this.el.phase.parentElement;
      box.classList.remove("pp-mock-cue");
      void box.offsetWidth; // restart the animation
      box.classList.add("pp-mock-cue");
      if (navigator.vibrate) {
        try {
          navigator.vibrate(200);
        } catch (error) {
          /* not allowed */
        }
      }
      if (this.el.sound.checked) this.beep();
    }

    unlockAudio() {
      const Context = window.AudioContext || window.webkitAudioContext;
      if (!this.audio && Context && this.el.sound.checked) {
        try {
          this.audio = new Context();
        } catch (error) {
          this.audio = null;
        }
      }
    }

    beep() {
      this.unlockAudio();
      const audio = this.audio;
      if (!audio) return;
      try {
        if (audio.state === "suspended") audio.resume();
        const tone = audio.createOscillator();
        const gain = audio.createGain();
        tone.frequency.value = 880;
        gain.gain.setValueAtTime(0.2, audio.currentTime);
        gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
        tone.connect(gain).connect(audio.destination);
        tone.start();
        tone.stop(audio.currentTime + 0.4);
      } catch (error) {
        /* no sound: the visible cue is still there */
      }
    }

    togglePause() {
      const state = this.state();
      if (!state || state.stage !== "run") return;
      const now = Date.now();
      if (state.pausedAt !== null) {
        state.paused += now - state.pausedAt;
        state.pausedAt = null;
      } else {
        state.pausedAt = now;
      }
      this.saveState(state);
      this.el.pause.textContent = state.pausedAt !== null ? "Resume" : "Pause";
      this.root.dataset.paused = state.pausedAt !== null ? "true" : "false";
      this.tick();
    }

    nextPhase() {
      const state = this.state();
      if (!state || state.stage !== "run") return;
      const round = this.round(state.round);
      const phase = this.phaseAt(round, this.elapsed(state, Date.now()));
      state.skipped += phase.end - this.elapsed(state, Date.now());
      this.saveState(state);
      this.tick();
    }

    finish() {
      const state = this.state();
      if (!state || state.stage !== "run") return;
      const now = Date.now();
      const round = this.round(state.round);
      state.seconds = Math.round(Math.min(this.elapsed(state, now), round.minutes * MINUTE) / 1000);
      state.stage = "assess";
      this.saveState(state);
      this.stopTicking();
      this.cue();
      this.showAssessment(state);
    }

    discard() {
      Study.remove("mock-current");
      this.stopTicking();
      this.show("setup");
    }

    showAssessment(state) {
      const round = this.round(state.round);
      const prompt = round.prompts[state.prompt] || round.prompts[0];
      this.el.summary.textContent = round.name + ": \u201c" + prompt.title + "\u201d, " + clock(state.seconds * 1000) +
        " of " + round.minutes + " minutes.";
      const form = this.el.form;
      form.querySelectorAll(".pp-mock-criteria").forEach((node) => node.remove());
      const looks = element("fieldset", "pp-mock-criteria pp-role");
      looks.appendChild(element("legend", "", "What interviewers look for: did you show it?"));
      round.look_for.forEach((item, index) => {
        const row = element("div", "pp-mock-criterion");
        row.setAttribute("role", "radiogroup");
        const name = element("span", "pp-mock-criterion-name", item);
        name.id = "pp-mock-look-" + index;
        row.setAttribute("aria-labelledby", name.id);
        row.appendChild(name);
        const choices = element("span", "pp-mock-choices");
        SCORES.forEach(([value, text]) => {
          const label = element("label", "");
          const input = document.createElement("input");
          input.type = "radio";
          input.name = "look-" + index;
          input.value = value;
          input.required = true;
          label.append(input, " " + text);
          choices.appendChild(label);
        });
        row.appendChild(choices);
        looks.appendChild(row);
      });
      const flags = element("fieldset", "pp-mock-criteria pp-role");
      flags.appendChild(element("legend", "", "Reasons candidates are rejected: tick any that happened"));
      round.rejected.forEach((item, index) => {
        const label = element("label", "pp-mock-flag");
        const input = document.createElement("input");
        input.type = "checkbox";
        input.name = "rejected-" + index;
        label.append(input, " " + item);
        flags.appendChild(label);
      });
      form.insertBefore(flags, form.firstChild);
      form.insertBefore(looks, form.firstChild);
      form.querySelector(".pp-mock-notes").value = "";
      this.renderOutline(round, prompt);
      this.show("assess");
      const heading = this.el.assess.querySelector("h2");
      if (heading) heading.focus({ preventScroll: false });
    }

    renderOutline(round, prompt) {
      const box = this.el.outline;
      box.textContent = "";
      if (prompt.outline.length) {
        box.appendChild(element("p", "", "The model answer covers, in order:"));
        const list = element("ol", "pp-mock-outline-steps");
        prompt.outline.forEach((step) => list.appendChild(element("li", "", step)));
        box.appendChild(list);
      }
      const cards = prompt.cards.map((id) => this.cards.get(id)).filter(Boolean);
      if (cards.length) {
        box.appendChild(element("p", "", "Check yourself against its cards:"));
        const list = element("ul", "pp-mock-cards");
        cards.forEach((card) => {
          const item = element("li");
          const details = element("details", "pp-mock-card");
          const summary = element("summary");
          summary.innerHTML = card.front; // sanitised HTML written by the build
          const answer = element("div", "pp-mock-card-answer");
          answer.innerHTML = card.back;
          details.append(summary, answer);
          item.appendChild(details);
          list.appendChild(item);
        });
        box.appendChild(list);
      }
      const more = element("p");
      const link = element("a", "", "Read the model answer: " + prompt.title);
      link.href = new URL(prompt.url, Study.siteRoot()).href;
      more.appendChild(link);
      box.appendChild(more);
    }

    save() {
      const state = this.state();
      if (!state || state.stage !== "assess") return;
      const round = this.round(state.round);
      const prompt = round.prompts[state.prompt] || round.prompts[0];
      const form = this.el.form;
      const scores = round.look_for.map((item, index) => {
        const picked = form.querySelector("input[name='look-" + index + "']:checked");
        return { item: item, score: picked ? Number(picked.value) : 0 };
      });
      const flagged = round.rejected.filter((item, index) => form.querySelector("input[name='rejected-" + index + "']").checked);
      const entry = {
        id: state.id,
        round: round.id,
        roundName: round.loop + " \u00b7 " + round.name,
        prompt: prompt.title,
        url: prompt.url,
        started: new Date(state.started).toISOString(),
        seconds: state.seconds,
        minutes: round.minutes,
        scores: scores,
        score: scores.reduce((sum, entry) => sum + entry.score, 0),
        outOf: scores.length * 2,
        flagged: flagged,
        notes: form.querySelector(".pp-mock-notes").value.trim(),
      };
      const history = Study.readJSON("mock-history", []);
      history.push(entry);
      Study.writeJSON("mock-history", history);
      Study.remove("mock-current");
      this.renderHistory();
      this.show("setup");
      this.el.message.textContent = "Saved to your history below: " + entry.score + " of " + entry.outOf + ".";
      const latest = this.el.history.querySelector("li");
      if (latest) latest.focus();
    }

    renderHistory() {
      const history = Study.readJSON("mock-history", []);
      const list = this.el.history;
      list.textContent = "";
      this.el.empty.hidden = history.length > 0;
      history.slice().reverse().forEach((entry) => {
        const item = element("li", "pp-mock-entry");
        item.tabIndex = -1;
        const when = new Date(entry.started);
        const title = element("p", "pp-mock-entry-title");
        title.append(element("strong", "", entry.roundName || entry.round), " \u00b7 " + (entry.prompt || ""));
        item.appendChild(title);
        item.appendChild(element("p", "pp-mock-entry-meta", Study.longDate(when) + " \u00b7 " +
          clock((entry.seconds || 0) * 1000) + " of " + (entry.minutes || "?") + " min \u00b7 " +
          "self-assessed " + entry.score + " of " + entry.outOf));
        const details = element("details");
        details.appendChild(element("summary", "", "Details"));
        const scores = element("ul");
        (entry.scores || []).forEach((score) => {
          scores.appendChild(element("li", "", score.item + ": " + (["No", "Partly", "Yes"][score.score] || score.score)));
        });
        details.appendChild(scores);
        if (entry.flagged && entry.flagged.length) {
          details.appendChild(element("p", "", "Rejection risks you ticked: " + entry.flagged.join("; ") + "."));
        }
        if (entry.notes) details.appendChild(element("p", "pp-mock-notes-text", "Notes: " + entry.notes));
        item.appendChild(details);
        list.appendChild(item);
      });
    }
  }

  function init() {
    const root = document.getElementById("pp-mock");
    if (!root || root.ppMock) return;
    Study = window.PelotonPrepStudy;
    const data = window.PELOTON_PREP_MOCK;
    if (!Study || !data) return;
    const loading = root.querySelector(".pp-loading");
    if (loading) loading.remove();
    root.ppMock = new Mock(root, data, window.PELOTON_PREP_CARDS);
    const progress = document.querySelector(".pp-progress-controls");
    if (progress && !progress.childElementCount) progress.append(Study.progressPanel());
  }

  window.PelotonPrepMock = { init: init };
  init();
})();
