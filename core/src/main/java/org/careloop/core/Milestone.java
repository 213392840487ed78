package org.careloop.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One tracked step of a plan.
 *
 * @param dueAt when the step should be done; past it without completion the step is a care gap
 * @param interval for a step that depends on the previous one: its due time is re-anchored at the
 *     previous step's completion
 * @param attentionSince the moment the step last needed the patient's action (plan activation, a
 *     missed or cancelled appointment); gap tiers older than this are superseded, not replayed
 * @param misses how many appointments for this step were missed
 * @param automatedTouches automated messages sent for this step, against the protocol's cap
 * @param bookedAt when careloop learned the step was booked (for "booked within 7 days")
 */
public record Milestone(
    String key,
    int seq,
    StepKind kind,
    String description,
    Instant dueAt,
    Optional<Duration> interval,
    MilestoneStatus status,
    Optional<String> appointmentId,
    Optional<Instant> appointmentStart,
    Optional<Instant> completedAt,
    Optional<Instant> missedAt,
    Optional<Instant> cancelledAt,
    Instant attentionSince,
    int misses,
    int automatedTouches,
    Optional<Instant> lastTouchAt,
    Optional<Instant> bookedAt) {

  /** A step as the plan orders it: pending, or completed when the source says it already is. */
  static Milestone ordered(
      String key,
      int seq,
      StepKind kind,
      String description,
      Instant dueAt,
      Optional<Duration> interval,
      Optional<Instant> completedAt,
      Instant since) {
    return new Milestone(
        key,
        seq,
        kind,
        description,
        dueAt,
        interval,
        completedAt.isPresent() ? MilestoneStatus.COMPLETED : MilestoneStatus.PENDING,
        Optional.empty(),
        Optional.empty(),
        completedAt,
        Optional.empty(),
        Optional.empty(),
        since,
        0,
        0,
        Optional.empty(),
        Optional.empty());
  }

  Milestone withStatus(MilestoneStatus newStatus) {
    return edit(b -> b.status = newStatus);
  }

  Milestone withDueAt(Instant newDue) {
    return edit(b -> b.dueAt = newDue);
  }

  Milestone booked(String appointment, Instant start, Instant at) {
    return edit(b -> {
      b.status = MilestoneStatus.SCHEDULED;
      b.appointmentId = Optional.of(appointment);
      b.appointmentStart = Optional.of(start);
      b.cancelledAt = Optional.empty();
      b.bookedAt = bookedAt.or(() -> Optional.of(at));
    });
  }

  /** Scheduled at the source, which did not say when (a practice system's "scheduled"). */
  Milestone scheduledAtSource(Instant at) {
    return edit(b -> {
      b.status = MilestoneStatus.SCHEDULED;
      b.cancelledAt = Optional.empty();
      b.bookedAt = bookedAt.or(() -> Optional.of(at));
    });
  }

  Milestone completed(Instant at) {
    return edit(b -> {
      b.status = MilestoneStatus.COMPLETED;
      b.completedAt = Optional.of(at);
      b.cancelledAt = Optional.empty();
    });
  }

  Milestone missed(Instant at) {
    return edit(b -> {
      b.status = MilestoneStatus.MISSED;
      b.missedAt = Optional.of(at);
      b.cancelledAt = Optional.empty();
      b.attentionSince = at;
      b.misses = misses + 1;
    });
  }

  /** A cancelled appointment not rebooked in time: missed, and it still says it was cancelled. */
  Milestone missedAfterCancel(Instant at) {
    var cancelled = cancelledAt;
    return missed(at).edit(b -> b.cancelledAt = cancelled);
  }

  Milestone cancelledAppointment(Instant at) {
    return edit(b -> {
      b.status = MilestoneStatus.PENDING;
      b.cancelledAt = Optional.of(at);
    });
  }

  /** The booking it held never was (entered in error): open again, as before it was booked. */
  Milestone withdrawnAppointment() {
    return edit(b -> {
      b.status = MilestoneStatus.PENDING;
      b.appointmentId = Optional.empty();
      b.appointmentStart = Optional.empty();
      b.bookedAt = Optional.empty();
    });
  }

  Milestone touched(Instant at) {
    return edit(b -> {
      b.automatedTouches = automatedTouches + 1;
      b.lastTouchAt = Optional.of(at);
    });
  }

  /** A copy with what {@code change} sets; the step's identity (key, order, kind) stays. */
  private Milestone edit(Consumer<Changes> change) {
    var b = new Changes(this);
    change.accept(b);
    return new Milestone(
        key,
        seq,
        kind,
        description,
        b.dueAt,
        interval,
        b.status,
        b.appointmentId,
        b.appointmentStart,
        b.completedAt,
        b.missedAt,
        b.cancelledAt,
        b.attentionSince,
        b.misses,
        b.automatedTouches,
        b.lastTouchAt,
        b.bookedAt);
  }

  /** The parts of a step that change as the plan goes on. */
  private static final class Changes {
    Instant dueAt;
    MilestoneStatus status;
    Optional<String> appointmentId;
    Optional<Instant> appointmentStart;
    Optional<Instant> completedAt;
    Optional<Instant> missedAt;
    Optional<Instant> cancelledAt;
    Instant attentionSince;
    int misses;
    int automatedTouches;
    Optional<Instant> lastTouchAt;
    Optional<Instant> bookedAt;

    Changes(Milestone m) {
      dueAt = m.dueAt;
      status = m.status;
      appointmentId = m.appointmentId;
      appointmentStart = m.appointmentStart;
      completedAt = m.completedAt;
      missedAt = m.missedAt;
      cancelledAt = m.cancelledAt;
      attentionSince = m.attentionSince;
      misses = m.misses;
      automatedTouches = m.automatedTouches;
      lastTouchAt = m.lastTouchAt;
      bookedAt = m.bookedAt;
    }
  }

  /** Whole days this step is past due at {@code now}; zero or less when it is not. */
  public long daysOverdue(Instant now) {
    if (status.isClosed() || !now.isAfter(dueAt)) return 0;
    return Duration.between(dueAt, now).toDays();
  }
}
