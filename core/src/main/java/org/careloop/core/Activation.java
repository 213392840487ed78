package org.careloop.core;

import static org.careloop.core.Narration.day;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A new plan starts: its steps become milestones due at the ordered times (or at the protocol's
 * default interval after the previous one), an old order counts from its import, a flagged plan
 * gets a person's attention at once.
 */
final class Activation {

  private Activation() {}

  static DecisionDraft start(PlanOrder order, Instant now, Protocol protocol, Contact contact) {
    Instant oldest = now.minus(protocol.lateImportWindow());
    Instant anchor = order.orderedAt().isBefore(oldest) ? now : order.orderedAt();
    var milestones = new ArrayList<Milestone>();
    Instant previous = anchor;
    int seq = 0;
    for (var step : order.steps()) {
      // A visit of a series counts from the previous one where the protocol says so; else a step
      // with a date of its own is due on it.
      boolean fromPrevious =
          step.dueAt().isEmpty()
              || (step.interval().isPresent()
                  && protocol.series() == Protocol.Series.AFTER_PREVIOUS);
      Optional<Duration> interval =
          fromPrevious
              ? Optional.of(step.interval().orElse(protocol.defaultStepInterval()))
              : Optional.empty();
      Instant base = previous;
      Instant due = fromPrevious ? base.plus(interval.orElseThrow()) : step.dueAt().orElseThrow();
      milestones.add(
          Milestone.ordered(
              step.key(),
              seq++,
              step.kind(),
              step.description(),
              due,
              interval,
              step.completedAt(),
              now));
      previous = step.completedAt().orElse(due);
    }
    var state =
        new PlanState(
            order.planId(),
            order.practiceId(),
            order.patientId(),
            protocol.id(),
            protocol.version(),
            PlanStatus.ACTIVE,
            now,
            anchor,
            order.flags(),
            contact.reach(),
            milestones,
            0,
            false,
            new TreeSet<>(),
            Optional.empty(),
            Optional.empty(),
            order.valueCents(),
            Optional.empty());
    var d = new DecisionDraft(state, now, protocol, contact);
    d.note(
        now,
        "event",
        "plan ordered with "
            + order.steps().size()
            + " step(s), protocol "
            + protocol.id()
            + " v"
            + protocol.version());
    if (!anchor.equals(order.orderedAt())) {
      d.note(
          now,
          "decision",
          "plan started "
              + day(order.orderedAt())
              + ", older than "
              + protocol.lateImportWindow().toDays()
              + " days: step intervals count from import");
    }
    var next = state.current();
    d.effects.add(
        new Effect.PostToBoard(
            "board:start",
            next.map(m ->
                    "Plan started; next step " + m.kind().patientWords() + " due " + day(m.dueAt()))
                .orElse("Plan started with every step already completed")));
    if (order.flags().any() && next.isPresent()) {
      d.effects.add(
          new Effect.CreateTask(
              "activation-alert",
              Effect.Need.FLAGGED_START,
              Lane.MONITORING,
              Priority.HIGH,
              "Flagged plan started (" + order.flags().describe() + ")",
              "Review the plan and reach the patient personally. First step: "
                  + next.get().kind().patientWords()
                  + " due "
                  + day(next.get().dueAt())
                  + ".",
              now.plus(Duration.ofDays(1)),
              next.get().key()));
    }
    return d;
  }
}
