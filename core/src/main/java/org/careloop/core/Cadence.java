package org.careloop.core;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One patient, one cadence: the plans of one patient and one protocol started by the same visit
 * (anchored on the same day in the patient's zone) are one conversation. The first of them, by the
 * due date of its next step, sends the intake and the check-ins, naming the others' next steps too;
 * the rest skip theirs. A plan whose next step is booked, done or past due stops leading, and the
 * next one takes over, on its own schedule.
 */
final class Cadence {

  private Cadence() {}

  /** The day of the visit (or import) that started the plan, in the patient's zone. */
  private static LocalDate visitDay(PlanState p, java.time.ZoneId zone) {
    return p.anchorAt().atZone(zone).toLocalDate();
  }

  /** The patient's other active plans of the same protocol started by the same visit. */
  private static List<PlanState> mates(DecisionDraft d) {
    var self = d.state;
    var zone = self.reach().zone();
    var day = visitDay(self, zone);
    var mates = new ArrayList<PlanState>();
    for (var p : d.contact.activePlans())
      if (!p.planId().equals(self.planId())
          && p.status() == PlanStatus.ACTIVE
          && p.patientId().equals(self.patientId())
          && p.protocolId().equals(self.protocolId())
          && visitDay(p, zone).equals(day)
          && p.current().isPresent()) mates.add(p);
    return mates;
  }

  /** Which plan leads: the earlier next step, then the plan id, so every plan agrees. */
  private static final Comparator<PlanState> LEAD =
      Comparator.comparing((PlanState p) -> p.current().orElseThrow().dueAt())
          .thenComparing(PlanState::planId);

  /** A next step still to book and not yet due: the check-ins are about it. */
  private static boolean toBook(PlanState p, java.time.Instant now) {
    return p.current()
        .filter(c ->
            c.status() == MilestoneStatus.PENDING
                && c.cancelledAt().isEmpty()
                && c.dueAt().isAfter(now))
        .isPresent();
  }

  /**
   * The plan whose message stands in for this plan's {@code item}, when one does: for the intake, a
   * plan of the same visit ahead of this one that has not sent its own yet; for a check-in, one
   * ahead of this one whose next step is also still to book.
   */
  static Optional<PlanState> coveredBy(DecisionDraft d, Agenda.Item item) {
    if (d.contact.activePlans().isEmpty()) return Optional.empty();
    boolean intake = item.kind() == Agenda.Kind.INTAKE;
    boolean checkIn =
        item.kind() == Agenda.Kind.BETWEEN_STEPS
            && item.touch().map(Protocol.Touch::sendsMessage).orElse(false);
    if (!intake && !checkIn) return Optional.empty();
    if (d.state.current().isEmpty()) return Optional.empty();
    return mates(d).stream()
        .filter(p -> intake ? introduces(p, d.state) : toBook(p, d.now))
        .filter(p -> LEAD.compare(p, d.state) < 0)
        .min(LEAD);
  }

  /**
   * Whether {@code mate}'s intake names {@code plan}'s step: it is still to go out, or the two were
   * started together (one visit's batch), so it went out knowing both.
   */
  private static boolean introduces(PlanState mate, PlanState plan) {
    return !mate.fired("intake") || mate.activatedAt().equals(plan.activatedAt());
  }

  /**
   * The other next steps this plan's intake or check-in names beside its own: those of the plans of
   * the same visit that it stands in for (not yet introduced, for the intake; still to book, for a
   * check-in), each kind once and not the plan's own.
   */
  static List<StepKind> alsoNamed(DecisionDraft d, Agenda.Item item, StepKind own) {
    if (d.contact.activePlans().isEmpty()) return List.of();
    boolean intake = item.kind() == Agenda.Kind.INTAKE;
    var kinds = new ArrayList<StepKind>();
    mates(d).stream()
        .filter(p -> intake ? introduces(d.state, p) : toBook(p, d.now))
        .sorted(LEAD)
        .map(p -> p.current().orElseThrow().kind())
        .filter(k -> k != own && !kinds.contains(k))
        .forEach(kinds::add);
    return kinds;
  }
}
