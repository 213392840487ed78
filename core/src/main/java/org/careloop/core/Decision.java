package org.careloop.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@link PlanDecider} decided: the new state, what to do, when to wake up next, and why. The
 * application commits all of it in one transaction.
 */
public record Decision(
    PlanState state,
    List<Effect> effects,
    Optional<Instant> nextWakeupAt,
    List<TimelineEntry> timeline) {

  public Decision {
    effects = List.copyOf(effects);
    timeline = List.copyOf(timeline);
  }
}
