package org.careloop.app.casework;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.app.CaseNote;
import org.careloop.app.Limits;
import org.careloop.app.Store;
import org.careloop.app.engine.CaseWrites;
import org.careloop.app.engine.Engine;
import org.careloop.core.PlanEvent;
import org.careloop.core.TimelineEntry;

/**
 * A provider's decision on a case in the review queue, recorded in its own field and audited. A
 * decision that leaves nothing for staff to do ends the provider's case; one that asks staff to act
 * (see the patient sooner, refer, change the order) sends the case to the practice's coordinators
 * with the decision on it, so it cannot lapse in the provider's queue. "Not needed" also ends the
 * plan: no message goes out for it any more and its other open cases close with it; "continue the
 * plan" lets its automated messages go on when a patient's reply had held them.
 */
public final class ProviderDecisions {
  /** What a provider may decide. */
  public static final List<String> DECISIONS =
      List.of(
          "continue the plan as it is",
          "see the patient sooner",
          "refer to a specialist",
          "change the order",
          "stop following up: not needed",
          "other (see the note)");

  /** The decisions staff must carry out. */
  static final List<String> FOR_STAFF =
      List.of("see the patient sooner", "refer to a specialist", "change the order");

  /** The decision that lets the plan's messages go on. */
  static final String CONTINUE = "continue the plan as it is";

  /** The decision that ends the plan. */
  static final String NOT_NEEDED = "stop following up: not needed";

  /** The role a decision for staff goes to. */
  static final String STAFF_ROLE = "coordinator";

  private final Store store;
  private final Engine engine;

  public ProviderDecisions(Store store, Engine engine) {
    this.store = store;
    this.engine = engine;
  }

  /** Records a provider's decision on an open case of their practice. */
  public void record(
      Casework.Actor by, long taskId, String decision, Optional<String> note, Instant now) {
    if (!by.role().equals("provider"))
      throw new IllegalArgumentException("a decision on a case is a provider's to record");
    if (!DECISIONS.contains(decision))
      throw new IllegalArgumentException("decision '" + decision + "' is not one of " + DECISIONS);
    note.ifPresent(n -> Limits.check(n, Limits.NOTE, "decision note"));
    if (decision.equals("other (see the note)") && note.filter(n -> !n.isBlank()).isEmpty())
      throw new IllegalArgumentException("'other' needs the decision written in the note");
    store.inTransaction(tx -> {
      var c = Casework.ownCase(tx, by, taskId);
      tx.addCaseNote(
          taskId,
          new CaseNote(
              now,
              by.id(),
              "decision",
              Optional.of("provider decision"),
              Optional.empty(),
              Optional.empty(),
              note.filter(n -> !n.isBlank()),
              Optional.empty(),
              false,
              Optional.empty(),
              Optional.of(decision)));
      String words = "provider decision by " + by.displayName() + ": " + decision;
      if (FOR_STAFF.contains(decision)) {
        tx.escalateTask(taskId, STAFF_ROLE, words, now);
        tx.firstInRole(by.practiceId(), STAFF_ROLE, by.id())
            .ifPresent(owner -> tx.assignCase(taskId, owner, Optional.empty()));
      } else {
        tx.closeCase(taskId, "completed", now);
        CaseWrites.changed(tx, taskId, "closed", now);
      }
      tx.appendTimeline(
          c.planId(),
          List.of(
              new TimelineEntry(
                  now,
                  "decision",
                  "case "
                      + taskId
                      + ": "
                      + words
                      + (FOR_STAFF.contains(decision)
                          ? "; the case goes to the coordinators"
                          : decision.equals(NOT_NEEDED)
                              ? "; the case is closed and the plan ends"
                              : "; the case is closed"))));
      // "Continue" answers what paused the plan's messages (a reply a person had to read).
      if (decision.equals(CONTINUE)
          && tx.lockPlan(c.planId()).filter(p -> p.state().pause().isPresent()).isPresent())
        engine.apply(tx, c.planId(), new PlanEvent.SequenceResumed(by.displayName(), now), now);
      if (decision.equals(NOT_NEEDED))
        engine.apply(
            tx,
            c.planId(),
            new PlanEvent.FollowUpStopped(by.displayName(), "not needed (provider decision)", now),
            now);
      tx.audit(by.username(), by.practiceId(), "case.decision", "task " + taskId, decision, now);
      return null;
    });
  }
}
