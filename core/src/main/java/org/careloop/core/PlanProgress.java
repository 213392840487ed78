package org.careloop.core;

import static org.careloop.core.Narration.day;
import static org.careloop.core.Narration.describe;

import java.time.Instant;

/**
 * A step completed or moved at the source, and the plan's end: completed when every step is,
 * expired when the protocol's time is up, ended when the source ends it. A completed step starts
 * the next one that counts from it.
 */
final class PlanProgress {

  private PlanProgress() {}

  static void complete(DecisionDraft d, Milestone m, Instant at, String why) {
    long overdue = m.daysOverdue(at);
    boolean wasGap =
        m.status() == MilestoneStatus.OVERDUE || overdue >= d.protocol.gapTiers().get(0);
    d.replace(m.completed(at));
    d.state = d.state.withConsecutiveMisses(0);
    d.note(d.now, "event", why + ": step " + m.key() + " completed");
    if (wasGap)
      d.note(
          d.now,
          "decision",
          "care gap on step " + m.key() + " closed after " + overdue + " day(s)");
    // The next step that counts from this one starts now: its due time moves to match, and so
    // do the open steps after it that count from it in turn (one visit late moves the rest).
    Instant base = at;
    for (int seq = m.seq() + 1; ; seq++) {
      int s = seq;
      var next =
          d.state.milestones().stream()
              .filter(x -> x.seq() == s && !x.status().isClosed())
              .findFirst()
              .filter(n -> n.interval().isPresent());
      if (next.isEmpty()) break;
      var n = next.get();
      var due = base.plus(n.interval().orElseThrow());
      d.replace(n.withDueAt(due));
      d.note(
          d.now,
          "decision",
          (s == m.seq() + 1 ? "next step " + n.key() + " starts" : "step " + n.key() + " follows")
              + ": due "
              + day(due));
      base = due;
    }
    String nextText =
        d.state
            .current()
            .map(c -> " Next: " + c.kind().patientWords() + " due " + day(c.dueAt()) + ".")
            .orElse("");
    d.effects.add(
        new Effect.WriteBackNote(
            "note:completed:" + m.key(),
            m.key(),
            "careloop: " + m.description() + " completed " + day(at) + "." + nextText));
    completeIfAllClosed(d, at);
  }

  /** The protocol's time is up with the plan still open: it ends as expired. */
  static void expire(DecisionDraft d, Agenda.Item item) {
    d.state = d.state.withStatus(PlanStatus.ENDED);
    d.note(
        d.now,
        "decision",
        "expired: still open "
            + d.protocol.expireAfter().orElseThrow().toDays()
            + " days after the start; follow-up ends");
    d.effects.add(new Effect.PostToBoard("board:expired", "Plan expired " + day(item.at())));
  }

  static void completeIfAllClosed(DecisionDraft d, Instant at) {
    if (d.state.status() == PlanStatus.ACTIVE && d.state.current().isEmpty()) {
      d.state = d.state.withStatus(PlanStatus.COMPLETED);
      d.note(d.now, "decision", "every step is completed: plan completed, follow-up ends");
      d.effects.add(new Effect.PostToBoard("board:completed", "Plan completed " + day(at)));
    }
  }

  /** The step a protocol with {@code after-acceptance} watches an accepted treatment by. */
  static final String PROCEDURE = "procedure";

  /**
   * The patient said yes to a presented treatment plan: its open steps are done with and the chart
   * says how far it came (accepted, scheduled, completed; never "completed" for a mere yes).
   * Without {@code after-acceptance} the plan then completes; with it, the accepted treatment is a
   * procedure step, due to be scheduled within the protocol's time and watched until the practice
   * system says it is done.
   */
  static void accepted(DecisionDraft d, PlanEvent.TreatmentAccepted e) {
    if (d.state.status() != PlanStatus.ACTIVE) {
      d.note(d.now, "event", describe(e) + ": the plan is already closed");
      return;
    }
    var reached = d.state.acceptance();
    if (reached.isPresent() && reached.get().compareTo(e.how()) >= 0) {
      d.note(d.now, "event", describe(e) + ": the plan is already that far");
      return;
    }
    var open =
        d.state.milestones().stream()
            .filter(m -> !m.status().isClosed() && !m.key().equals(PROCEDURE))
            .toList();
    var described =
        open.stream()
            .findFirst()
            .or(() -> d.state.milestone(PROCEDURE))
            .or(() -> d.state.milestones().stream().findFirst())
            .orElseThrow();
    for (var m : open) d.replace(m.completed(e.at()));
    d.state = d.state.withConsecutiveMisses(0);
    var watch = d.protocol.afterAcceptance();
    // A watched treatment reported done gets the completed step's own chart note, not two.
    if (watch.isEmpty() || e.how() != PlanEvent.Acceptance.COMPLETED)
      d.effects.add(
          new Effect.WriteBackNote(
              "note:accepted:" + e.how().name().toLowerCase(java.util.Locale.ROOT),
              described.key(),
              "careloop: "
                  + described.description()
                  + " "
                  + e.how().words()
                  + " "
                  + day(e.at())
                  + "."));
    if (watch.isEmpty()) {
      d.note(d.now, "event", describe(e) + "; follow-up of the unaccepted plan ends");
      completeIfAllClosed(d, e.at());
      return;
    }
    if (d.state.milestone(PROCEDURE).isEmpty())
      d.state =
          d.state.withAddedMilestone(
              Milestone.ordered(
                  PROCEDURE,
                  d.state.milestones().stream().mapToInt(Milestone::seq).max().orElse(0) + 1,
                  StepKind.PROCEDURE,
                  described.description(),
                  e.at().plus(watch.get()),
                  java.util.Optional.empty(),
                  java.util.Optional.empty(),
                  e.at()));
    var procedure = d.state.milestone(PROCEDURE).orElseThrow();
    switch (e.how()) {
      case ACCEPTED ->
          d.note(
              d.now,
              "event",
              describe(e)
                  + "; the accepted treatment is watched until it is done: to be scheduled by "
                  + day(procedure.dueAt()));
      case SCHEDULED -> {
        if (procedure.status() != MilestoneStatus.SCHEDULED)
          d.replace(procedure.scheduledAtSource(e.at()));
        d.note(
            d.now,
            "event",
            describe(e) + "; the treatment is watched until the practice system says it is done");
      }
      case COMPLETED -> complete(d, procedure, e.at(), "treatment completed at the source");
    }
  }

  static void ended(DecisionDraft d, PlanEvent.PlanEnded e) {
    if (d.state.status() != PlanStatus.ACTIVE) {
      // A plan completed by its last step stays completed when the source then closes it.
      d.note(
          d.now,
          "event",
          describe(e)
              + ": the plan is already "
              + d.state.status().name().toLowerCase(java.util.Locale.ROOT));
      return;
    }
    d.state = d.state.withStatus(PlanStatus.ENDED);
    d.note(d.now, "event", describe(e) + "; follow-up ends");
  }

  static void stopped(DecisionDraft d, PlanEvent.FollowUpStopped e) {
    // Only an active plan reaches here (the decider notes events on a closed plan and returns).
    d.state = d.state.withStatus(PlanStatus.ENDED);
    d.note(d.now, "event", describe(e) + "; follow-up ends");
  }

  static void rescheduled(DecisionDraft d, PlanEvent.StepRescheduled e) {
    var m = d.state.milestone(e.milestoneKey());
    if (m.isEmpty() || m.get().status().isClosed()) {
      d.note(d.now, "event", describe(e) + ": already closed or unknown");
      return;
    }
    d.replace(m.get().withDueAt(e.dueAt()));
    d.note(d.now, "event", describe(e) + "; its reminders and care-gap tiers follow the new date");
  }

  static void stepCompleted(DecisionDraft d, PlanEvent.StepCompleted e) {
    var m = d.state.milestone(e.milestoneKey());
    if (m.isEmpty() || m.get().status().isClosed()) {
      d.note(d.now, "event", describe(e) + ": already closed or unknown");
      return;
    }
    complete(d, m.get(), e.at(), "step reported completed");
  }
}
