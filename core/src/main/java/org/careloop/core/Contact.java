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
 */
public record Contact(
    Reach reach,
    Set<Channel> optedOut,
    List<Instant> recentOutreach,
    boolean marketingConsent,
    SendRules rules) {

  public Contact {
    optedOut = Set.copyOf(optedOut);
    recentOutreach = List.copyOf(recentOutreach);
  }

  /** Whether an automated message may go out on {@code channel}. */
  public boolean canUse(Channel channel) {
    return reach.has(channel) && !optedOut.contains(channel);
  }
}
