package org.careloop.app.casework;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.app.CaseNote;
import org.careloop.app.Limits;
import org.careloop.app.Store;
import org.careloop.core.TimelineEntry;

/**
 * A provider's decision on a case in the review queue, recorded in its own field and audited. A
 * decision that leaves nothing for staff to do ends the provider's case; one that asks staff to act
 * (see the patient sooner, refer, change the order) sends the case to the practice's coordinators
 * with the decision on it, so it cannot lapse in the provider's queue.
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

  /** The role a decision for staff goes to. */
  static final String STAFF_ROLE = "coordinator";

  private final Store store;

  public ProviderDecisions(Store store) {
    this.store = store;
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
                          : "; the case is closed"))));
      tx.audit(by.username(), by.practiceId(), "case.decision", "task " + taskId, decision, now);
      return null;
    });
  }
}
