package org.careloop.core;

import static org.careloop.core.Narration.describe;

import java.time.Duration;
import java.util.TreeSet;

/**
 * A message that failed for good: repeated failures are escalated to a person at once, and a
 * touchpoint whose channel is gone is tried again on the patient's other channels.
 */
final class DeliveryFallback {

  private DeliveryFallback() {}

  /** Failed deliveries on one plan after which a person is asked, escalated at once. */
  static final int REPEATED_FAILURES = 2;

  static void deliveryFailed(DecisionDraft d, PlanEvent.DeliveryFailed e) {
    d.note(d.now, "event", describe(e));
    d.mark(new Mark.Failed(e.effectKey()));
    var keys = new TreeSet<>(d.state.done());
    keys.addAll(d.done);
    long failures = Mark.failures(keys);
    if (failures >= REPEATED_FAILURES && !d.isDone(new Mark.EscalatedFailedContact())) {
      d.mark(new Mark.EscalatedFailedContact());
      var m = d.state.current();
      d.effects.add(
          new Effect.CreateTask(
              "task:failed-contact",
              Effect.Need.FAILED_CONTACT,
              Lane.MONITORING,
              Priority.HIGH,
              "Repeated failed contact: reach the patient another way",
              failures
                  + " messages to the patient could not be delivered; the last: "
                  + e.reason()
                  + ". Check the contact details with the patient or their family.",
              d.now.plus(Duration.ofDays(1)),
              m.map(Milestone::key).orElse(""),
              Effect.Escalation.REPEATED_FAILED_CONTACT));
      d.note(
          d.now,
          "decision",
          failures + " failed deliveries: a task for a person, escalated at once");
    }
    String suffix = ":" + e.channel();
    if (!e.effectKey().endsWith(suffix)) {
      d.note(d.now, "decision", "not a message careloop knows; nothing resent");
      return;
    }
    String itemKey = e.effectKey().substring(0, e.effectKey().length() - suffix.length());
    var sent = new Mark.Fired(itemKey);
    if (!d.isDone(sent)) {
      d.note(d.now, "decision", "no touchpoint " + itemKey + " was sent; nothing resent");
      return;
    }
    var reached =
        java.util.Arrays.stream(Channel.values())
            .filter(c -> c != e.channel() && d.isDone(new Mark.Reached(itemKey, c)))
            .toList();
    if (!reached.isEmpty()) {
      d.note(d.now, "decision", itemKey + " also went by " + reached + ": nothing resent");
      return;
    }
    if (d.contact.canUse(e.channel())) {
      d.note(d.now, "decision", e.channel() + " is still on file for the patient: nothing resent");
      return;
    }
    d.unmark(sent);
    d.note(d.now, "decision", itemKey + ": tried again on the patient's other channels");
  }
}
