package org.careloop.app.intake;

import java.util.Optional;
import org.careloop.app.Store;
import org.careloop.core.MilestoneStatus;
import org.careloop.core.PlanStatus;

/**
 * The follow-up ordered at a visit (a ServiceRequest whose {@code encounter} is the visit) that
 * arrives after the visit started its post-visit plan: one plan tracks it, whichever came first.
 * Where the post-visit step is booked already, the order is followed there; else the order's own
 * plan (its name, kind and date) takes over and the post-visit plan ends, saying which plan goes
 * on.
 */
final class VisitFollowUps {
  /** The post-visit plan's one step: the next step after the visit. */
  static final String STEP = "next-step";

  private VisitFollowUps() {}

  /**
   * An active post-visit plan of the visit an order was written at, and whether its step is booked.
   */
  record PostVisit(String planId, boolean booked) {}

  /** The open post-visit (or discharge) plan of the visit {@code plan}'s order was written at. */
  static Optional<PostVisit> of(Store.Tx tx, String practice, ImportBatch.IncomingPlan plan) {
    String suffix = ImportBatch.followUpOf("");
    for (String key : plan.orders().keySet()) {
      if (!key.endsWith(suffix) || key.equals(plan.sourceKey())) continue;
      String visit = key.substring(0, key.length() - suffix.length());
      for (String kind : new String[] {":post-visit", ":discharge"}) {
        var stored =
            tx.planIdBySource(practice, visit + kind)
                .flatMap(tx::lockPlan)
                .filter(p -> p.state().status() == PlanStatus.ACTIVE);
        var step = stored.flatMap(p -> p.state().milestone(STEP));
        if (step.isPresent() && !step.get().status().isClosed())
          return Optional.of(
              new PostVisit(
                  stored.get().state().planId(), step.get().status() == MilestoneStatus.SCHEDULED));
      }
    }
    return Optional.empty();
  }
}
