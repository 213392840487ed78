package org.careloop.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@link PlanDecider} decided: the new state, what to do, when to wake up next, and why. The
 * application commits all of it in one transaction.
 *
 * @param outreach the automated outreaches this decision made, by agenda key (one per touchpoint,
 *     which may go on SMS and email at once): they count against the patient's frequency caps
 */
public record Decision(
    PlanState state,
    List<Effect> effects,
    Optional<Instant> nextWakeupAt,
    List<TimelineEntry> timeline,
    List<String> outreach) {

  public Decision {
    effects = List.copyOf(effects);
    timeline = List.copyOf(timeline);
    outreach = List.copyOf(outreach);
  }
}
