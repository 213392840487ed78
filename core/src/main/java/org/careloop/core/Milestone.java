package org.careloop.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

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

  Milestone withStatus(MilestoneStatus newStatus) {
    return new Milestone(
        key,
        seq,
        kind,
        description,
        dueAt,
        interval,
        newStatus,
        appointmentId,
        appointmentStart,
        completedAt,
        missedAt,
        cancelledAt,
        attentionSince,
        misses,
        automatedTouches,
        lastTouchAt,
        bookedAt);
  }

  Milestone withDueAt(Instant newDue) {
    return new Milestone(
        key,
        seq,
        kind,
        description,
        newDue,
        interval,
        status,
        appointmentId,
        appointmentStart,
        completedAt,
        missedAt,
        cancelledAt,
        attentionSince,
        misses,
        automatedTouches,
        lastTouchAt,
        bookedAt);
  }

  Milestone booked(String appointment, Instant start, Instant at) {
    return new Milestone(
        key,
        seq,
        kind,
        description,
        dueAt,
        interval,
        MilestoneStatus.SCHEDULED,
        Optional.of(appointment),
        Optional.of(start),
        completedAt,
        missedAt,
        Optional.empty(),
        attentionSince,
        misses,
        automatedTouches,
        lastTouchAt,
        bookedAt.or(() -> Optional.of(at)));
  }

  Milestone completed(Instant at) {
    return new Milestone(
        key,
        seq,
        kind,
        description,
        dueAt,
        interval,
        MilestoneStatus.COMPLETED,
        appointmentId,
        appointmentStart,
        Optional.of(at),
        missedAt,
        Optional.empty(),
        attentionSince,
        misses,
        automatedTouches,
        lastTouchAt,
        bookedAt);
  }

  Milestone missed(Instant at) {
    return new Milestone(
        key,
        seq,
        kind,
        description,
        dueAt,
        interval,
        MilestoneStatus.MISSED,
        appointmentId,
        appointmentStart,
        completedAt,
        Optional.of(at),
        Optional.empty(),
        at,
        misses + 1,
        automatedTouches,
        lastTouchAt,
        bookedAt);
  }

  Milestone cancelledAppointment(Instant at) {
    return new Milestone(
        key,
        seq,
        kind,
        description,
        dueAt,
        interval,
        MilestoneStatus.PENDING,
        appointmentId,
        appointmentStart,
        completedAt,
        missedAt,
        Optional.of(at),
        attentionSince,
        misses,
        automatedTouches,
        lastTouchAt,
        bookedAt);
  }

  Milestone touched(Instant at) {
    return new Milestone(
        key,
        seq,
        kind,
        description,
        dueAt,
        interval,
        status,
        appointmentId,
        appointmentStart,
        completedAt,
        missedAt,
        cancelledAt,
        attentionSince,
        misses,
        automatedTouches + 1,
        Optional.of(at),
        bookedAt);
  }

  /** Whole days this step is past due at {@code now}; zero or less when it is not. */
  public long daysOverdue(Instant now) {
    if (status.isClosed() || !now.isAfter(dueAt)) return 0;
    return Duration.between(dueAt, now).toDays();
  }
}
