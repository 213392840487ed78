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
   * The first rule that stops a message now, if one does: one list of rules, worded by each caller
   * (the outbox's timeline through {@link Stop#verdict}, a person's refusal in the workspace).
   */
  public sealed interface Stop {
    /** What the outbox does with the message: withhold it for good, or hold it until a minute. */
    Verdict verdict();

    /** The patient opted out of the channel. */
    record OptedOut(Channel channel) implements Stop {
      @Override
      public Verdict verdict() {
        return new Verdict.Withhold("the patient opted out of " + channel.name() + " since");
      }
    }

    /** No working contact point on the channel. */
    record NoContactPoint(Channel channel) implements Stop {
      @Override
      public Verdict verdict() {
        return new Verdict.Withhold("no working " + channel.name() + " contact point on file now");
      }
    }

    /** The plan ended, completed or expired. */
    record PlanNotActive(PlanStatus status) implements Stop {
      @Override
      public Verdict verdict() {
        return new Verdict.Withhold(
            "the plan is " + status.name().toLowerCase(java.util.Locale.ROOT) + " now");
      }
    }

    /** The plan's messages are paused (automated messages only). */
    record Paused(String reason) implements Stop {
      @Override
      public Verdict verdict() {
        return new Verdict.Withhold("the plan is paused (" + reason + ")");
      }
    }

    /** Outside the patient's allowed hours; it can go at {@code from}. */
    record OutsideHours(Instant from, AllowedHours hours, java.time.ZoneId zone) implements Stop {
      @Override
      public Verdict verdict() {
        return new Verdict.Hold(
            from, "outside the allowed hours (" + hours.from() + "–" + hours.until() + ")");
      }
    }

    /** A practice holiday; it can go at {@code from}. */
    record Holiday(java.time.LocalDate date, Instant from) implements Stop {
      @Override
      public Verdict verdict() {
        return new Verdict.Hold(from, "practice holiday " + date);
      }
    }

    /** The protocol's send window or the frequency caps (automated messages only). */
    record SendRules(Instant from, String why) implements Stop {
      @Override
      public Verdict verdict() {
        return new Verdict.Hold(from, why);
      }
    }
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
    return firstStop(plan, protocol, contact, channel, automated, sentOutreach, now)
        .map(Stop::verdict)
        .orElseGet(Verdict.Send::new);
  }

  /** The first rule that stops the message now (see {@link #atSend} for the parameters). */
  public static Optional<Stop> firstStop(
      PlanState plan,
      Protocol protocol,
      Contact contact,
      Channel channel,
      boolean automated,
      java.util.List<Instant> sentOutreach,
      Instant now) {
    if (contact.optedOut().contains(channel)) return Optional.of(new Stop.OptedOut(channel));
    if (!contact.reach().has(channel)) return Optional.of(new Stop.NoContactPoint(channel));
    if (plan.status() != PlanStatus.ACTIVE)
      return Optional.of(new Stop.PlanNotActive(plan.status()));
    Optional<PlanState.Pause> pause = plan.pause().filter(p -> p.holds(now));
    if (automated && pause.isPresent()) return Optional.of(new Stop.Paused(pause.get().reason()));
    var zone = contact.reach().zone();
    var hours = protocol.allowedHours().in(contact.reach().region());
    Instant allowed = hours.nextAllowed(now, zone);
    if (!allowed.equals(now)) return Optional.of(new Stop.OutsideHours(allowed, hours, zone));
    var date = now.atZone(contact.rules().zone()).toLocalDate();
    if (contact.rules().holidays().contains(date))
      return Optional.of(
          new Stop.Holiday(
              date, date.plusDays(1).atStartOfDay(contact.rules().zone()).toInstant()));
    if (automated) {
      // The protocol's send window and the frequency caps, over what was really sent.
      var open = SendGate.next(now, protocol, contact, sentOutreach);
      if (!open.at().equals(now))
        return Optional.of(
            new Stop.SendRules(open.at(), open.why().orElse("outside the send rules")));
    }
    return Optional.empty();
  }
}
