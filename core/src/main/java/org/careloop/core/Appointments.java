package org.careloop.core;

import static org.careloop.core.Narration.day;
import static org.careloop.core.Narration.describe;

import java.time.Instant;
import java.util.Optional;

/**
 * Appointments kept, missed and cancelled: which step one belongs to, a miss counted (and a
 * provider review after repeated misses), a cancellation not rebooked in time counted as a miss,
 * and a coordinator asked when the patient does not answer the outreach after a miss.
 */
final class Appointments {

  private Appointments() {}

  /** The step an appointment belongs to: the one that holds it, the named one, or the current. */
  private static Optional<Milestone> target(
      DecisionDraft d, String appointmentId, Optional<String> milestoneKey) {
    var holding =
        d.state.milestones().stream()
            .filter(m -> m.appointmentId().filter(appointmentId::equals).isPresent())
            .findFirst();
    if (holding.isPresent()) return holding;
    if (milestoneKey.isPresent()) return d.state.milestone(milestoneKey.get());
    return d.state.current();
  }

  private static void countMiss(DecisionDraft d, Milestone m, Instant at) {
    countMiss(d, m, m.missed(at));
  }

  private static void countMiss(DecisionDraft d, Milestone m, Milestone missed) {
    d.replace(missed);
    int misses = d.state.consecutiveMisses() + 1;
    boolean flag =
        misses >= d.protocol.missedAppointment().providerReviewAfterMisses()
            && !d.state.providerReviewFlagged();
    d.state =
        d.state
            .withConsecutiveMisses(misses)
            .withProviderReviewFlagged(d.state.providerReviewFlagged() || flag);
    if (flag) {
      d.effects.add(
          new Effect.FlagForProviderReview(
              "provider-review:" + m.key() + ":" + m.misses(),
              misses + " consecutive missed steps"));
      d.note(
          d.now,
          "decision",
          misses + " consecutive missed steps: patient flagged for provider review");
    }
  }

  static void missedNoReply(DecisionDraft d, Agenda.Item item, Milestone m) {
    Instant missedAt = m.missedAt().orElseThrow();
    if (d.state.lastReplyAt().filter(r -> !r.isBefore(missedAt)).isPresent()) {
      d.note(
          item.at(),
          "decision",
          "patient replied after the missed appointment: no coordinator task");
      return;
    }
    String attempts =
        m.lastTouchAt()
            .map(t ->
                m.automatedTouches() + " automated message(s) for this step, the last on " + day(t))
            .orElse("no message could be sent");
    var task = d.protocol.missedAppointment().noReplyTask();
    d.effects.add(
        new Effect.CreateTask(
            "task:" + item.key(),
            Effect.Need.MISSED_APPOINTMENT,
            task.lane(),
            task.priority(),
            task.title(),
            m.kind().patientWords()
                + " appointment missed "
                + day(missedAt)
                + ". Attempts: "
                + attempts
                + ". No reply within "
                + d.protocol.missedAppointment().replyWindow().toHours()
                + " h.",
            item.at().plus(task.respondWithin()),
            m.key()));
    d.note(
        item.at(),
        "decision",
        "no reply within "
            + d.protocol.missedAppointment().replyWindow().toHours()
            + " h after the missed appointment: coordinator task");
  }

  static void booked(DecisionDraft d, PlanEvent.AppointmentBooked e) {
    var m = target(d, e.appointmentId(), e.milestoneKey());
    if (m.isEmpty() || m.get().status().isClosed()) {
      d.note(d.now, "event", describe(e) + ": no open step to attach it to");
      return;
    }
    d.replace(m.get().booked(e.appointmentId(), e.start(), d.now));
    d.note(
        d.now,
        "event",
        describe(e) + "; step " + m.get().key() + " is scheduled, its reminders stop");
  }

  static void cancelled(DecisionDraft d, PlanEvent.AppointmentCancelled e) {
    var m = target(d, e.appointmentId(), e.milestoneKey());
    if (m.isEmpty() || m.get().status().isClosed()) {
      d.note(d.now, "event", describe(e) + ": no open step to attach it to");
      return;
    }
    if (m.get().appointmentId().filter(id -> !id.equals(e.appointmentId())).isPresent()) {
      d.note(
          d.now,
          "event",
          describe(e) + ": step " + m.get().key() + " holds another appointment, nothing changes");
      return;
    }
    d.replace(m.get().cancelledAppointment(e.at()));
    d.note(
        d.now,
        "event",
        describe(e)
            + " for step "
            + m.get().key()
            + "; counts as missed unless rebooked within "
            + d.protocol.missedAppointment().rebookGrace().toMinutes()
            + " min");
  }

  /**
   * A booked visit's time passed the protocol's grace in business days ago and no outcome came from
   * the source: a person confirms whether the patient came. Still unknown, the step enters the
   * care-gap tiers.
   */
  static void outcomeUnknown(DecisionDraft d, Agenda.Item item, Milestone m) {
    String when = m.appointmentStart().map(Narration::day).orElse("its day");
    d.note(
        item.at(),
        "decision",
        "no outcome for the "
            + m.kind().patientWords()
            + " visit of "
            + when
            + ": a person confirms it");
    var task = d.protocol.outcomeCheck().task();
    d.effects.add(
        new Effect.CreateTask(
            "task:" + item.key(),
            Effect.Need.CONFIRM_OUTCOME,
            task.lane(),
            task.priority(),
            task.title(),
            "The "
                + m.kind().patientWords()
                + " visit booked for "
                + when
                + " has no outcome from the EHR. Record whether the patient came; until then"
                + " the step counts as a care gap.",
            d.now.plus(task.respondWithin()),
            m.key()));
  }

  /** An appointment entered in error: the step it held is open again, nothing counted or sent. */
  static void withdrawn(DecisionDraft d, PlanEvent.AppointmentWithdrawn e) {
    var held =
        d.state.milestones().stream()
            .filter(m -> m.appointmentId().filter(e.appointmentId()::equals).isPresent())
            .findFirst();
    if (held.isEmpty() || held.get().status() != MilestoneStatus.SCHEDULED) {
      d.note(d.now, "event", describe(e) + ": no booking of it to undo");
      return;
    }
    d.replace(held.get().withdrawnAppointment());
    d.note(d.now, "event", describe(e) + "; step " + held.get().key() + " is open again");
  }

  static void kept(
      DecisionDraft d, String appointmentId, Optional<String> milestoneKey, Instant at) {
    var m = target(d, appointmentId, milestoneKey);
    if (m.isEmpty() || m.get().status().isClosed()) {
      d.note(
          d.now, "event", "appointment " + appointmentId + " kept: no open step to attach it to");
      return;
    }
    PlanProgress.complete(d, m.get(), at, "appointment " + appointmentId + " kept");
  }

  static void missed(DecisionDraft d, PlanEvent.AppointmentMissed e) {
    var m = target(d, e.appointmentId(), e.milestoneKey());
    if (m.isEmpty() || m.get().status().isClosed()) {
      d.note(d.now, "event", describe(e) + ": no open step to attach it to");
      return;
    }
    d.note(d.now, "event", describe(e) + " for step " + m.get().key());
    countMiss(d, m.get(), e.at());
  }

  /** A cancelled appointment not rebooked within the protocol's grace counts as missed. */
  static void notRebooked(DecisionDraft d, Agenda.Item item, Milestone m) {
    d.note(
        item.at(),
        "decision",
        "appointment cancelled and not rebooked within "
            + d.protocol.missedAppointment().rebookGrace().toMinutes()
            + " min: counts as missed");
    countMiss(d, m, m.missedAfterCancel(item.at()));
  }
}
