package org.careloop.core;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What is true of the patient across all their plans at the moment a plan decides: how they can be
 * reached now, which channels they opted out of, the automated outreach they already got, their
 * consent, and the practice's sending rules. The application reads it fresh for every decision.
 *
 * @param recentOutreach when automated outreaches went to this patient from any plan, at least the
 *     last 7 days' worth
 * @param activePlans the patient's active plans when they have more than one (a plan may find its
 *     own, older state here): plans of one visit share one cadence ({@link Cadence})
 */
public record Contact(
    Reach reach,
    Set<Channel> optedOut,
    List<Instant> recentOutreach,
    boolean marketingConsent,
    SendRules rules,
    List<PlanState> activePlans) {

  public Contact {
    optedOut = Set.copyOf(optedOut);
    recentOutreach = List.copyOf(recentOutreach);
    activePlans = List.copyOf(activePlans);
  }

  /** A patient whose only active plan (if any) is the one deciding. */
  public Contact(
      Reach reach,
      Set<Channel> optedOut,
      List<Instant> recentOutreach,
      boolean marketingConsent,
      SendRules rules) {
    this(reach, optedOut, recentOutreach, marketingConsent, rules, List.of());
  }

  /** This contact with {@code plan}'s newest state among the patient's active plans. */
  public Contact withPlan(PlanState plan) {
    if (activePlans.isEmpty()) return this;
    var plans = new java.util.ArrayList<PlanState>();
    for (var p : activePlans) if (!p.planId().equals(plan.planId())) plans.add(p);
    if (plan.status() == PlanStatus.ACTIVE) plans.add(plan);
    return new Contact(reach, optedOut, recentOutreach, marketingConsent, rules, plans);
  }

  /** Whether an automated message may go out on {@code channel}. */
  public boolean canUse(Channel channel) {
    return reach.has(channel) && !optedOut.contains(channel);
  }
}
