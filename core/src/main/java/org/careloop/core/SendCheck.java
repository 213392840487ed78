package org.careloop.core;

import java.time.Instant;
import java.util.Optional;

/**
 * The rules looked at again just before a decided message goes out: a message decided before a
 * STOP, a pause, the end of the plan or the end of the allowed hours must not go out after it (on a
 * retry, or after a crash).
 */
public final class SendCheck {
  private SendCheck() {}

  /** What the re-check says of one message. */
  public sealed interface Verdict {
    /** Send it now. */
    record Send() implements Verdict {}

    /** Never send it: the reason goes on the timeline. */
    record Withhold(String reason) implements Verdict {}

    /** Not now: the next minute the rules allow. */
    record Hold(Instant until, String reason) implements Verdict {}
  }

  /**
   * The verdict on one message right before it goes out.
   *
   * @param automated false for a person's one-off message, which the plan's pause (kept for that
   *     person) and the automated frequency caps and send window do not hold back; the allowed
   *     hours hold for every message of a plan
   * @param sentOutreach when other automated outreaches actually went to the patient, from any
   *     plan, in the last week: the frequency caps count what was sent, not what was planned
   */
  public static Verdict atSend(
      PlanState plan,
      Protocol protocol,
      Contact contact,
      Channel channel,
      boolean automated,
      java.util.List<Instant> sentOutreach,
      Instant now) {
    if (contact.optedOut().contains(channel))
      return new Verdict.Withhold("the patient opted out of " + channel.name() + " since");
    if (!contact.reach().has(channel))
      return new Verdict.Withhold("no working " + channel.name() + " contact point on file now");
    if (plan.status() != PlanStatus.ACTIVE)
      return new Verdict.Withhold(
          "the plan is " + plan.status().name().toLowerCase(java.util.Locale.ROOT) + " now");
    Optional<PlanState.Pause> pause = plan.pause().filter(p -> p.holds(now));
    if (automated && pause.isPresent())
      return new Verdict.Withhold("the plan is paused (" + pause.get().reason() + ")");
    var hours = protocol.allowedHours().in(contact.reach().region());
    Instant allowed = hours.nextAllowed(now, contact.reach().zone());
    if (!allowed.equals(now))
      return new Verdict.Hold(
          allowed, "outside the allowed hours (" + hours.from() + "–" + hours.until() + ")");
    var date = now.atZone(contact.rules().zone()).toLocalDate();
    if (contact.rules().holidays().contains(date))
      return new Verdict.Hold(
          date.plusDays(1).atStartOfDay(contact.rules().zone()).toInstant(),
          "practice holiday " + date);
    if (automated) {
      // The protocol's send window and the frequency caps, over what was really sent.
      var open = SendGate.next(now, protocol, contact, sentOutreach);
      if (!open.at().equals(now))
        return new Verdict.Hold(open.at(), open.why().orElse("outside the send rules"));
    }
    return new Verdict.Send();
  }
}
