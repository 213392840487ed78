package org.careloop.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A new plan as the source documented it: the input that activates a plan.
 *
 * @param orderedAt when the clinician started the plan (the source's start date)
 * @param valueCents the plan's value, for a priced treatment plan (a dental plan's total)
 */
public record PlanOrder(
    String planId,
    String practiceId,
    String patientId,
    Instant orderedAt,
    List<OrderedStep> steps,
    PlanFlags flags,
    Reach reach,
    Optional<Long> valueCents) {

  /** A plan with no value attached (anything but a priced treatment plan). */
  public PlanOrder(
      String planId,
      String practiceId,
      String patientId,
      Instant orderedAt,
      List<OrderedStep> steps,
      PlanFlags flags,
      Reach reach) {
    this(planId, practiceId, patientId, orderedAt, steps, flags, reach, Optional.empty());
  }

  public PlanOrder {
    steps = List.copyOf(steps);
    if (steps.isEmpty()) throw new IllegalArgumentException("a plan needs at least one step");
    var keys = new java.util.HashSet<String>();
    for (var step : steps) {
      if (!keys.add(step.key())) {
        throw new IllegalArgumentException(
            "step key '" + step.key() + "' appears twice in plan " + planId);
      }
    }
  }
}
