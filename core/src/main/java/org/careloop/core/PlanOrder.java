package org.careloop.core;

import java.time.Instant;
import java.util.List;

/**
 * A new plan as the source documented it: the input that activates a plan.
 *
 * @param orderedAt when the clinician started the plan (the source's start date)
 */
public record PlanOrder(
    String planId,
    String practiceId,
    String patientId,
    Instant orderedAt,
    List<OrderedStep> steps,
    PlanFlags flags,
    Reach reach) {

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
