package org.careloop.core;

import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The protocol's cycle cap ({@link Protocol#cycleCap()}): in one cycle of a step, at most so many
 * automated messages and so many touches by people. A cycle starts when the step needs the
 * patient's action (the plan's start, a missed or cancelled appointment), when it is booked, or
 * when a recall sequence before its due date begins; past the cap the step waits on the care-gap
 * report.
 */
final class Cycles {

  private Cycles() {}

  /**
   * When the step's current cycle began: when it last needed the patient's action or was booked;
   * for a protocol with a recall sequence before the due date, when that sequence began.
   */
  static Instant start(DecisionDraft d, Milestone m) {
    Instant start =
        m.bookedAt().filter(b -> b.isAfter(m.attentionSince())).orElse(m.attentionSince());
    var recall =
        d.protocol.betweenSteps().stream()
            .filter(Protocol.Touch::beforeDue)
            .map(t -> m.dueAt().minus(t.after()))
            .min(Instant::compareTo);
    if (recall.isPresent() && recall.get().isAfter(start) && !d.now.isBefore(recall.get()))
      start = recall.get();
    return start;
  }

  /**
   * Why one more automated message ({@code human} false) or person's touch ({@code human} true) for
   * {@code m} would break the protocol's cycle cap, if it would.
   */
  static Optional<String> capped(DecisionDraft d, Milestone m, boolean human) {
    if (d.protocol.cycleCap().isEmpty()) return Optional.empty();
    var cap = d.protocol.cycleCap().get();
    String prefix = Mark.CycleTouch.prefix(m.key(), start(d, m), human);
    long used =
        Stream.concat(d.state.done().stream(), d.done.stream())
            .filter(k -> k.startsWith(prefix))
            .count();
    if (used < (human ? cap.human() : cap.automated())) return Optional.empty();
    return Optional.of(
        "this step's cycle already had "
            + (human
                ? cap.human() + " touch(es) by people"
                : cap.automated() + " automated message(s)")
            + ", the protocol's cap (cycle-cap "
            + cap.automated()
            + " automated, "
            + cap.human()
            + " human); the step waits on the care-gap report");
  }

  /** Counts a touch made for {@code m} by agenda item {@code itemKey} against the cycle cap. */
  static void count(DecisionDraft d, Milestone m, boolean human, String itemKey) {
    if (d.protocol.cycleCap().isPresent())
      d.mark(new Mark.CycleTouch(m.key(), start(d, m), human, itemKey));
  }

  /**
   * Whether a person's touch for {@code m} may be made now; if not, says why on the timeline. When
   * it may, it is counted.
   */
  static boolean allowHuman(DecisionDraft d, Milestone m, String itemKey) {
    var why = capped(d, m, true);
    if (why.isPresent()) {
      d.note(d.now, "skipped", itemKey + ": no task, " + why.get());
      return false;
    }
    count(d, m, true, itemKey);
    return true;
  }
}
