package org.careloop.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A step in a care gap: past due and not done, or booked with no outcome from the source once the
 * outcome check has asked a person. The tier is the one the plan's own protocol puts it in; the
 * report, the review queue and the decider read it from here.
 *
 * @param step the step
 * @param daysOverdue whole days past its due date
 * @param tier its care-gap tier, 1 for the first
 * @param outcomeUnknown whether it is booked and its visit's outcome never came
 */
public record CareGap(Milestone step, long daysOverdue, int tier, boolean outcomeUnknown) {

  /** The care gaps of an active plan at {@code now}, in its steps' order. */
  public static List<CareGap> of(PlanState plan, Protocol protocol, Instant now) {
    var out = new ArrayList<CareGap>();
    if (plan.status() != PlanStatus.ACTIVE) return out;
    for (var m : plan.milestones()) {
      if (m.status().isClosed()) continue;
      boolean booked = m.status() == MilestoneStatus.SCHEDULED;
      boolean unknown = booked && plan.done().contains(new Mark.Fired(Agenda.outcomeKey(m)).key());
      if (booked && !unknown) continue;
      long days = m.daysOverdue(now);
      int tier = protocol.gapTierOn(days);
      if (tier > 0) out.add(new CareGap(m, days, tier, unknown));
    }
    return out;
  }
}
