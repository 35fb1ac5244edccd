/* Study tools on every page: progress storage, export and import, tickable task lists and the
 * interview date. Practice mode (practice.js) and mock interviews (mock.js) build on it.
 *
 * Plain ES2017, no modules, no network: it also runs from file://. Loaded deferred on every page
 * (mkdocs.yml extra_javascript), so it runs after a page's own deferred scripts; they wait for
 * DOMContentLoaded before using window.PelotonPrepStudy.
 *
 * localStorage, every key starting "peloton-prep:":
 *   srs:<card id>        a card's FSRS state (practice.js)
 *   tasks:<page>         {<item key>: {"done": bool, "at": ISO time}}; the item key hashes the item's text
 *   interview-date       {"date": "YYYY-MM-DD", "at": ISO time}, or absent
 *   mock-history         [{id, round, prompt, started, seconds, ratings, notes, ...}] (mock.js)
 *   practice, rounds, new-today, session, mock-current: settings and the session in progress
 */
(function () {
  "use strict";

  if (window.PelotonPrepStudy) return;

  const PREFIX = "peloton-prep:";
  const FORMAT = "peloton-prep-progress";
  const VERSION = 1;
  const SCRIPT_SRC = document.currentScript ? document.currentScript.src : "";
  const DAY = 86400000;
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

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
    if (!storage) return memory.has(PREFIX + key) ? memory.get(PREFIX + key) : null;
    try {
      return storage.getItem(PREFIX + key);
    } catch (error) {
      return null;
    }
  }

  function write(key, value) {
    if (storage) {
      try {
        storage.setItem(PREFIX + key, value);
        return;
      } catch (error) {
        /* full or refused: keep it for this visit */
      }
    }
    memory.set(PREFIX + key, value);
  }

  function remove(key) {
    memory.delete(PREFIX + key);
    if (storage) {
      try {
        storage.removeItem(PREFIX + key);
      } catch (error) {
        /* nothing to remove */
      }
    }
  }

  /** Every stored key (without the prefix) that starts with `start`. */
  function keys(start) {
    const all = storage ? [] : Array.from(memory.keys());
    if (storage) {
      for (let i = 0; i < storage.length; i += 1) {
        const key = storage.key(i);
        if (key !== null) all.push(key);
      }
    }
    return all.filter((key) => key.indexOf(PREFIX + (start || "")) === 0).map((key) => key.slice(PREFIX.length));
  }

  function readJSON(key, fallback) {
    const raw = read(key);
    if (raw === null) return fallback;
    try {
      const value = JSON.parse(raw);
      return value === null || value === undefined ? fallback : value;
    } catch (error) {
      return fallback;
    }
  }

  function writeJSON(key, value) {
    write(key, JSON.stringify(value));
  }

  /* Where the site is: paths are relative to the folder above this script. */

  function siteRoot() {
    const own = /assets\/study\.js(?:[?#].*)?$/;
    if (SCRIPT_SRC && own.test(SCRIPT_SRC)) return SCRIPT_SRC.replace(own, "");
    return new URL("./", document.baseURI).href;
  }

  /** This page's path from the site root, the same online (de/study-plan/) and offline (de/study-plan.html). */
  function pageKey() {
    let path = window.location.href.split(/[?#]/)[0];
    const root = siteRoot();
    if (path.indexOf(root) === 0) path = path.slice(root.length);
    path = path.replace(/\.html$/, "").replace(/\/$/, "").replace(/(^|\/)index$/, "");
    return path || "index";
  }

  /* Dates, as local calendar days "YYYY-MM-DD". */

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function dayString(date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }

  function parseDay(text) {
    const match = /^(\d{4})-(\d\d)-(\d\d)$/.exec(String(text || ""));
    if (!match) return null;
    const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    return dayString(date) === text ? date : null;
  }

  function addDays(date, days) {
    return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
  }

  /** Whole calendar days from a to b (b later is positive). */
  function daysBetween(a, b) {
    const start = Date.UTC(a.getFullYear(), a.getMonth(), a.getDate());
    const end = Date.UTC(b.getFullYear(), b.getMonth(), b.getDate());
    return Math.round((end - start) / DAY);
  }

  function shortDate(date) {
    return date.getDate() + " " + MONTHS[date.getMonth()];
  }

  function longDate(date) {
    return shortDate(date) + " " + date.getFullYear();
  }

  /* The interview date, shared by the study plan and practice mode. */

  const listeners = [];

  function interviewDate() {
    const value = readJSON("interview-date", null);
    return value && parseDay(value.date) ? parseDay(value.date) : null;
  }

  function setInterviewDate(text) {
    if (text && parseDay(text)) {
      writeJSON("interview-date", { date: text, at: new Date().toISOString() });
    } else {
      writeJSON("interview-date", { date: "", at: new Date().toISOString() });
    }
    listeners.forEach((listener) => listener());
  }

  function onChange(listener) {
    listeners.push(listener);
  }

  /** A date field bound to the interview date, for any page that wants one. */
  function dateField(labelText) {
    const wrap = document.createElement("p");
    wrap.className = "pp-date-field";
    const label = document.createElement("label");
    label.textContent = labelText + " ";
    const input = document.createElement("input");
    input.type = "date";
    input.className = "pp-interview-date";
    const date = interviewDate();
    input.value = date ? dayString(date) : "";
    input.addEventListener("change", () => setInterviewDate(input.value));
    onChange(() => {
      const now = interviewDate();
      const text = now ? dayString(now) : "";
      if (input.value !== text) input.value = text;
    });
    label.appendChild(input);
    wrap.appendChild(label);
    return wrap;
  }

  /* Task lists: every checklist on the site can be ticked. */

  function hash(text) {
    let value = 0x811c9dc5;
    for (let i = 0; i < text.length; i += 1) {
      value ^= text.charCodeAt(i);
      value = Math.imul(value, 0x01000193) >>> 0;
    }
    return value.toString(36);
  }

  function itemText(item) {
    const copy = item.cloneNode(true);
    copy.querySelectorAll("ul, ol, .task-list-control").forEach((node) => node.remove());
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function plural(count, one, many) {
    return count + " " + (count === 1 ? one : many);
  }

  function setupTasks() {
    const article = document.querySelector(".md-content .md-typeset") || document.body;
    const nodes = article.querySelectorAll("h1, h2, h3, li.task-list-item");
    const page = pageKey();
    const saved = readJSON("tasks:" + page, {});
    const groups = [];
    let heading = null;
    let group = null;
    const seen = new Map();
    nodes.forEach((node) => {
      if (node.tagName !== "LI") {
        heading = node;
        group = null;
        return;
      }
      const input = node.querySelector("input[type=checkbox]");
      if (!input) return;
      if (!group) {
        group = { heading: heading, boxes: [] };
        groups.push(group);
      }
      const text = itemText(node);
      let key = hash(text);
      // Two items with the same text on one page are told apart by their order.
      const repeat = seen.get(key) || 0;
      seen.set(key, repeat + 1);
      if (repeat) key += "-" + repeat;
      input.disabled = false;
      input.removeAttribute("disabled");
      input.setAttribute("aria-label", text);
      input.dataset.task = key;
      input.checked = Boolean(saved[key] && saved[key].done);
      group.boxes.push(input);
    });
    if (!groups.length) return;
    const counters = [];
    const addCounter = (node, where, boxes, suffix) => {
      const counter = document.createElement("p");
      counter.className = "pp-task-count";
      node.insertAdjacentElement(where, counter);
      counters.push({ node: counter, boxes: boxes, suffix: suffix });
    };
    const allBoxes = [];
    groups.forEach((entry) => {
      allBoxes.push.apply(allBoxes, entry.boxes);
      const list = entry.boxes[0].closest("ul, ol");
      const anchor = entry.heading && entry.heading.tagName !== "H1" ? entry.heading : null;
      if (anchor) {
        addCounter(anchor, "afterend", entry.boxes, "");
      } else if (list) {
        addCounter(list, "beforebegin", entry.boxes, "");
      }
    });
    const plan = Boolean(document.getElementById("week-1"));
    const h1 = article.querySelector("h1");
    if (h1 && groups.length > 1) addCounter(h1, "afterend", allBoxes, plan ? " in the whole plan" : " on this page");
    const render = () => {
      counters.forEach((counter) => {
        const done = counter.boxes.filter((box) => box.checked).length;
        counter.node.textContent = done + " of " + counter.boxes.length + " done" + counter.suffix;
        counter.node.dataset.done = String(done);
        counter.node.dataset.total = String(counter.boxes.length);
      });
    };
    article.addEventListener("change", (event) => {
      const box = event.target;
      if (!(box instanceof HTMLInputElement) || !box.dataset.task) return;
      const current = readJSON("tasks:" + page, {});
      current[box.dataset.task] = { done: box.checked, at: new Date().toISOString() };
      writeJSON("tasks:" + page, current);
      render();
    });
    render();
  }

  /* The study plan's weeks as dates counted back from the interview. */

  function setupPlanDates() {
    const first = document.getElementById("week-1");
    if (!first) return;
    const weeks = [];
    for (let week = 1; week <= 12; week += 1) {
      const heading = document.getElementById("week-" + week);
      if (!heading) break;
      const span = document.createElement("span");
      span.className = "pp-week-dates";
      const link = heading.querySelector(".headerlink");
      heading.insertBefore(span, link);
      weeks.push(span);
    }
    // The box is in the page from the build (site/studytools.py), so the plan does not move.
    const box = document.querySelector("[data-pp-plan-date]");
    if (!box) return;
    const note = box.querySelector(".pp-plan-date-note");
    box.querySelector(".pp-date-field").replaceWith(dateField("Your interview date:"));
    const render = () => {
      const date = interviewDate();
      const today = new Date();
      weeks.forEach((span, index) => {
        if (!date) {
          span.textContent = "";
          return;
        }
        const start = addDays(date, -(weeks.length - index) * 7);
        span.textContent = ": " + shortDate(start) + " \u2013 " + shortDate(addDays(start, 6));
      });
      if (!date) {
        note.textContent = "Set the date and each week below shows its dates, counted back so that week " +
          weeks.length + " ends the day before your interview.";
        return;
      }
      const start = addDays(date, -weeks.length * 7);
      const left = daysBetween(today, date);
      if (left < 0) {
        note.textContent = "That date has passed. Set your next interview's date.";
      } else if (daysBetween(today, start) >= 0) {
        note.textContent = "Your interview is on " + longDate(date) + ", in " + plural(left, "day", "days") +
          ". Week 1 starts on " + longDate(start) + ".";
      } else {
        note.textContent = "Your interview is on " + longDate(date) + ", in " + plural(left, "day", "days") +
          ": less than the plan's " + weeks.length + " weeks, so week 1 began on " + longDate(start) +
          ". Squeeze the weeks already past into the time you have.";
      }
    };
    onChange(render);
    render();
  }

  /* Export and import of all progress, as one versioned JSON file. */

  function collect() {
    const cards = {};
    keys("srs:").forEach((key) => {
      const value = readJSON(key, null);
      if (value) cards[key.slice(4)] = value;
    });
    const tasks = {};
    keys("tasks:").forEach((key) => {
      const value = readJSON(key, null);
      if (value) tasks[key.slice(6)] = value;
    });
    const date = readJSON("interview-date", null);
    return {
      format: FORMAT,
      version: VERSION,
      exported: new Date().toISOString(),
      cards: cards,
      tasks: tasks,
      mocks: readJSON("mock-history", []),
      interviewDate: date,
      settings: {
        practice: readJSON("practice", null),
        rounds: readJSON("rounds", null),
      },
    };
  }

  function exportFile() {
    const data = collect();
    const blob = new Blob([JSON.stringify(data, null, 1)], { type: "application/json" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "peloton-prep-progress-" + dayString(new Date()) + ".json";
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    return data;
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function isTime(value) {
    return typeof value === "string" && !Number.isNaN(Date.parse(value));
  }

  function fail(message) {
    const error = new Error(message);
    error.peloton = true;
    throw error;
  }

  /** Check a parsed file; throws with a reader-facing message on the first problem. */
  function validate(data) {
    if (!isObject(data) || data.format !== FORMAT) {
      fail("This is not a peloton-prep progress file (it has no \u201cformat\u201d: \u201c" + FORMAT + "\u201d).");
    }
    if (!Number.isInteger(data.version) || data.version < 1) fail("The file has no valid version number.");
    if (data.version > VERSION) {
      fail("The file was made by a newer version of this site (format version " + data.version +
        "); this page reads version " + VERSION + ". Open the newer site to import it.");
    }
    const cards = data.cards === undefined ? {} : data.cards;
    if (!isObject(cards)) fail("The file's \u201ccards\u201d is not a list of card progress.");
    Object.keys(cards).forEach((id) => {
      const card = cards[id];
      if (!isObject(card) || !isTime(card.due) || typeof card.stability !== "number" ||
          typeof card.difficulty !== "number" || ![0, 1, 2, 3].includes(card.state) || typeof card.reps !== "number") {
        fail("The progress for card \u201c" + id + "\u201d is damaged.");
      }
    });
    const tasks = data.tasks === undefined ? {} : data.tasks;
    if (!isObject(tasks)) fail("The file's \u201ctasks\u201d is not a list of checklists.");
    Object.keys(tasks).forEach((page) => {
      if (!isObject(tasks[page])) fail("The checklist for \u201c" + page + "\u201d is damaged.");
      Object.keys(tasks[page]).forEach((item) => {
        const entry = tasks[page][item];
        if (!isObject(entry) || typeof entry.done !== "boolean" || !isTime(entry.at)) {
          fail("An item in the checklist for \u201c" + page + "\u201d is damaged.");
        }
      });
    });
    const mocks = data.mocks === undefined ? [] : data.mocks;
    if (!Array.isArray(mocks)) fail("The file's \u201cmocks\u201d is not a list of mock interviews.");
    mocks.forEach((mock) => {
      if (!isObject(mock) || typeof mock.id !== "string" || typeof mock.round !== "string" || !isTime(mock.started)) {
        fail("A mock interview in the file is damaged.");
      }
    });
    const date = data.interviewDate;
    if (date !== undefined && date !== null &&
        (!isObject(date) || (date.date !== "" && !parseDay(date.date)) || !isTime(date.at))) {
      fail("The file's interview date is damaged.");
    }
    return { cards: cards, tasks: tasks, mocks: mocks, date: date || null, settings: isObject(data.settings) ? data.settings : {} };
  }

  function newer(a, b) {
    return Date.parse(a) > Date.parse(b);
  }

  /** Merge a progress file's text into this browser. Returns a summary; nothing changes if it throws. */
  function importText(text) {
    let data;
    try {
      data = JSON.parse(text);
    } catch (error) {
      fail("This file is not JSON, so it cannot be a progress file. Nothing was changed.");
    }
    let checked;
    try {
      checked = validate(data);
    } catch (error) {
      if (error.peloton) fail(error.message + " Nothing was changed.");
      throw error;
    }
    // Work out every write first, then make them all.
    const writes = [];
    let cardsTaken = 0;
    Object.keys(checked.cards).forEach((id) => {
      const theirs = checked.cards[id];
      const ours = readJSON("srs:" + id, null);
      const theirTime = theirs.last_review || "";
      const ourTime = ours && ours.last_review ? ours.last_review : "";
      if (!ours || (theirTime && (!ourTime || newer(theirTime, ourTime)))) {
        writes.push(["srs:" + id, theirs]);
        cardsTaken += 1;
      }
    });
    let itemsTaken = 0;
    Object.keys(checked.tasks).forEach((page) => {
      const ours = readJSON("tasks:" + page, {});
      let changed = false;
      Object.keys(checked.tasks[page]).forEach((item) => {
        const theirs = checked.tasks[page][item];
        if (!ours[item] || newer(theirs.at, ours[item].at)) {
          ours[item] = theirs;
          changed = true;
          itemsTaken += 1;
        }
      });
      if (changed) writes.push(["tasks:" + page, ours]);
    });
    const history = readJSON("mock-history", []);
    const known = new Set(history.map((mock) => mock.id));
    const added = checked.mocks.filter((mock) => !known.has(mock.id));
    if (added.length) {
      writes.push(["mock-history", history.concat(added).sort((a, b) => Date.parse(a.started) - Date.parse(b.started))]);
    }
    let dateTaken = false;
    const ourDate = readJSON("interview-date", null);
    if (checked.date && (!ourDate || !isTime(ourDate.at) || newer(checked.date.at, ourDate.at))) {
      writes.push(["interview-date", checked.date]);
      dateTaken = true;
    }
    ["practice", "rounds"].forEach((key) => {
      if (checked.settings[key] !== undefined && checked.settings[key] !== null && read(key) === null) {
        writes.push([key, checked.settings[key]]);
      }
    });
    writes.forEach((entry) => writeJSON(entry[0], entry[1]));
    if (dateTaken) listeners.forEach((listener) => listener());
    const parts = [
      plural(cardsTaken, "card's progress", "cards' progress"),
      plural(itemsTaken, "checklist item", "checklist items"),
      plural(added.length, "mock interview", "mock interviews"),
    ];
    if (dateTaken) parts.push("the interview date");
    return {
      cards: cardsTaken, items: itemsTaken, mocks: added.length, date: dateTaken,
      message: "Imported " + parts.join(", ") + ". Anything newer in this browser was kept.",
    };
  }

  /** The export and import buttons with their messages, for a page to place. */
  function progressPanel() {
    const box = document.createElement("div");
    box.className = "pp-progress-panel";
    const actions = document.createElement("div");
    actions.className = "pp-actions";
    const exportButton = document.createElement("button");
    exportButton.type = "button";
    exportButton.className = "pp-button pp-export";
    exportButton.textContent = "Export progress";
    const importLabel = document.createElement("label");
    importLabel.className = "pp-button pp-import";
    importLabel.textContent = "Import progress";
    const input = document.createElement("input");
    input.type = "file";
    input.accept = ".json,application/json";
    input.className = "pp-import-file pp-visually-hidden";
    importLabel.appendChild(input);
    actions.append(exportButton, importLabel);
    const message = document.createElement("p");
    message.className = "pp-message pp-progress-message";
    message.setAttribute("role", "status");
    box.append(actions, message);
    exportButton.addEventListener("click", () => {
      const data = exportFile();
      message.textContent = "Saved " + plural(Object.keys(data.cards).length, "card", "cards") + ", " +
        plural(Object.keys(data.tasks).length, "checklist", "checklists") + " and " +
        plural(data.mocks.length, "mock interview", "mock interviews") + " to your downloads.";
    });
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      if (!file) return;
      const reader = new FileReader();
      reader.onload = () => {
        try {
          message.textContent = importText(String(reader.result)).message;
          message.dataset.result = "ok";
          box.dispatchEvent(new CustomEvent("pp-imported", { bubbles: true }));
        } catch (error) {
          message.textContent = error.peloton ? error.message : "The file could not be read. Nothing was changed.";
          message.dataset.result = "error";
        }
        input.value = "";
      };
      reader.onerror = () => {
        message.textContent = "The file could not be read. Nothing was changed.";
        message.dataset.result = "error";
      };
      reader.readAsText(file);
    });
    return box;
  }

  /** Load a page's scripts named in data-pp-scripts, in order, from this script's folder. */
  function loadPageScripts() {
    document.querySelectorAll("[data-pp-scripts]").forEach((node) => {
      if (node.ppLoaded) return;
      node.ppLoaded = true;
      const base = siteRoot() + "assets/";
      node.dataset.ppScripts.split(/\s+/).filter(Boolean).forEach((name) => {
        const script = document.createElement("script");
        script.src = base + name;
        script.async = false;
        script.addEventListener("error", () => node.dispatchEvent(new CustomEvent("pp-script-error")));
        document.body.appendChild(script);
      });
    });
  }

  window.PelotonPrepStudy = {
    read: read,
    write: write,
    remove: remove,
    keys: keys,
    readJSON: readJSON,
    writeJSON: writeJSON,
    siteRoot: siteRoot,
    pageKey: pageKey,
    dayString: dayString,
    parseDay: parseDay,
    addDays: addDays,
    daysBetween: daysBetween,
    longDate: longDate,
    plural: plural,
    interviewDate: interviewDate,
    setInterviewDate: setInterviewDate,
    onChange: onChange,
    dateField: dateField,
    collect: collect,
    importText: importText,
    progressPanel: progressPanel,
  };

  function init() {
    setupTasks();
    setupPlanDates();
    loadPageScripts();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
