/* The practice page's scheduler: a thin wrapper around ts-fsrs (assets/practice-fsrs.js, window.FSRS).
 *
 * A card's progress is stored as plain JSON: the FSRS card with its dates as ISO strings, plus
 * `seenDays` (on how many calendar days it was answered) and `lastDay` (the last of them).
 * FSRS runs with its default parameters (FSRS-6, 90 % retention, learning steps 1 and 10 minutes,
 * relearning 10 minutes) and without fuzz, so the same answers always give the same dates.
 */
(function () {
  "use strict";

  if (window.PelotonPrepScheduler || !window.FSRS) return;

  const F = window.FSRS;
  const scheduler = F.fsrs(F.generatorParameters({ enable_fuzz: false }));
  const RATINGS = { again: F.Rating.Again, hard: F.Rating.Hard, good: F.Rating.Good, easy: F.Rating.Easy };
  const MINUTE = 60000;
  const DAY = 86400000;

  function localDay(date) {
    const pad = (n) => (n < 10 ? "0" : "") + n;
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }

  /** The ts-fsrs card for a stored record (null: a new card). */
  function toCard(record, now) {
    if (!record) return F.createEmptyCard(now);
    return {
      due: new Date(record.due),
      stability: record.stability,
      difficulty: record.difficulty,
      elapsed_days: record.elapsed_days || 0,
      scheduled_days: record.scheduled_days || 0,
      learning_steps: record.learning_steps || 0,
      reps: record.reps,
      lapses: record.lapses || 0,
      state: record.state,
      last_review: record.last_review ? new Date(record.last_review) : undefined,
    };
  }

  function toRecord(card, previous, now) {
    const today = localDay(now);
    const seenDays = (previous && previous.seenDays) || 0;
    return {
      due: card.due.toISOString(),
      stability: card.stability,
      difficulty: card.difficulty,
      elapsed_days: card.elapsed_days,
      scheduled_days: card.scheduled_days,
      learning_steps: card.learning_steps,
      reps: card.reps,
      lapses: card.lapses,
      state: card.state,
      last_review: card.last_review ? card.last_review.toISOString() : now.toISOString(),
      seenDays: previous && previous.lastDay === today ? seenDays : seenDays + 1,
      lastDay: today,
    };
  }

  /**
   * The record after answering. `deadline` (a Date, the interview day, optional): a card seen on
   * fewer than two days is brought back no later than the day before it.
   */
  function answer(record, rating, now, deadline) {
    const result = scheduler.next(toCard(record, now), now, RATINGS[rating]);
    const next = toRecord(result.card, record, now);
    if (deadline && next.seenDays < 2) {
      const eve = new Date(deadline.getFullYear(), deadline.getMonth(), deadline.getDate() - 1);
      if (new Date(next.due) > eve && eve > now) next.due = eve.toISOString();
    }
    return next;
  }

  /** For each rating, how long until the card comes back: {again: ms, hard: ms, good: ms, easy: ms}. */
  function preview(record, now, deadline) {
    const result = {};
    Object.keys(RATINGS).forEach((rating) => {
      result[rating] = new Date(answer(record, rating, now, deadline).due) - now;
    });
    return result;
  }

  /** A short interval, as Anki shows it on its buttons: 1m, 10m, 3h, 2d, 1.5mo, 2y. */
  function label(ms) {
    if (ms < MINUTE) return "<1m";
    if (ms < 60 * MINUTE) return Math.round(ms / MINUTE) + "m";
    if (ms < DAY) return Math.round(ms / (60 * MINUTE)) + "h";
    const days = ms / DAY;
    if (days < 30) return Math.round(days) + "d";
    if (days < 365) return (Math.round(days / 3) / 10).toString().replace(/\.0$/, "") + "mo";
    return (Math.round(days / 36.5) / 10).toString().replace(/\.0$/, "") + "y";
  }

  /** When a card can be shown: learning steps at their minute, review cards all day on their day. */
  function availableAt(record) {
    const due = new Date(record.due);
    if (record.state === F.State.Review) return new Date(due.getFullYear(), due.getMonth(), due.getDate());
    return due;
  }

  window.PelotonPrepScheduler = {
    answer: answer,
    preview: preview,
    label: label,
    availableAt: availableAt,
    isLearning: (record) => record.state === F.State.Learning || record.state === F.State.Relearning,
  };
})();
