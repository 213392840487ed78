package org.careloop.core;

import java.util.Optional;

/**
 * Fires every agenda item due by now, earliest first: skipped, held back by the sending rules,
 * paused, or handed to the rule it belongs to.
 */
final class AgendaFiring {

  private AgendaFiring() {}

  private static void fire(DecisionDraft d, Agenda.Item item) {
    var m = d.state.milestone(item.milestoneKey()).orElseThrow();
    switch (item.kind()) {
      case INTAKE -> Touchpoints.intake(d, item, m);
      case EXPIRE -> PlanProgress.expire(d, item);
      case BETWEEN_STEPS -> Touchpoints.betweenSteps(d, item, m);
      case MISSED_OUTREACH ->
          Touchpoints.touch(
              d,
              item,
              m,
              d.protocol.missedAppointment().outreachChannels(),
              m.cancelledAt().isPresent()
                  ? Effect.Template.CANCELLED_REBOOK
                  : Effect.Template.MISSED_APPOINTMENT,
              m.cancelledAt().isPresent()
                  ? "outreach after a cancelled appointment not rebooked"
                  : "same-day outreach after a missed appointment");
      case MISSED_NO_REPLY -> Appointments.missedNoReply(d, item, m);
      case REBOOK_CHECK -> Appointments.notRebooked(d, item, m);
      case OUTCOME_CHECK -> Appointments.outcomeUnknown(d, item, m);
      case GAP_TIER -> CareGapTiers.gapTier(d, item, m);
    }
  }

  /** Every message held back says why and until when, once per hold. */
  private static void noteDeferrals(DecisionDraft d) {
    var held =
        Agenda.of(d.state, d.protocol, d.contact.rules()).stream()
            .filter(
                i -> !d.isDone(new Mark.Fired(i.key())) && !i.at().isAfter(d.now) && d.deferred(i))
            .toList();
    if (held.isEmpty()) return;
    var open = d.openAt();
    for (var item : held) {
      var mark = new Mark.Held(item.key(), open.at());
      if (d.isDone(mark)) continue;
      d.mark(mark);
      d.note(
          d.now,
          "deferred",
          item.key()
              + ": not sent now, "
              + open.why().orElse("sending rules")
              + "; deferred to "
              + open.at());
    }
  }

  /** Fires every agenda item due by now, earliest first, recomputing after each. */
  static void fireDue(DecisionDraft d) {
    if (d.state.pause().isPresent() && !d.paused()) {
      d.note(
          d.now,
          "decision",
          "pause ended (" + d.state.pause().get().reason() + "): messages resume");
      d.state = d.state.withPause(Optional.empty());
    }
    while (true) {
      var due =
          Agenda.of(d.state, d.protocol, d.contact.rules()).stream()
              .filter(i ->
                  !d.isDone(new Mark.Fired(i.key())) && !i.at().isAfter(d.now) && !d.deferred(i))
              .findFirst();
      if (due.isEmpty()) break;
      var item = due.get();
      d.mark(new Mark.Fired(item.key()));
      if (item.skip().isPresent()) {
        d.note(item.at(), "skipped", item.key() + ": " + item.skip().get());
        continue;
      }
      var covered = Cadence.coveredBy(d, item);
      if (covered.isPresent()) {
        d.note(
            d.now,
            "skipped",
            item.key()
                + ": one message for the steps started together, sent by plan "
                + covered.get().planId());
        continue;
      }
      if ((item.sendsMessage(d.protocol) || item.kind() == Agenda.Kind.BETWEEN_STEPS)
          && d.paused()) {
        d.note(
            d.now,
            "skipped",
            item.key()
                + ": not sent, automated messages paused ("
                + d.state.pause().get().reason()
                + ")");
        continue;
      }
      fire(d, item);
    }
    noteDeferrals(d);
  }
}
