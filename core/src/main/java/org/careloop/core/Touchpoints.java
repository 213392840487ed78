package org.careloop.core;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Sending one touchpoint: the patient's preferred channel, SMS ⇄ email fallback, a phone-call task
 * when neither works, the per-step cap and opt-outs handed to a person, marketing only with
 * consent. Also the protocol's between-steps rules: a check-in message or a task.
 */
final class Touchpoints {

  private Touchpoints() {}

  private static String unusable(DecisionDraft d, Channel channel) {
    return d.contact.optedOut().contains(channel)
        ? "patient opted out of " + channel
        : "no " + channel + " on file";
  }

  private static List<Channel> channelsOf(Protocol.Touch rule) {
    return rule.channels().stream().sorted().toList();
  }

  /** A monitoring task for a person, at most once per {@code mark}. */
  private static void taskOnce(
      DecisionDraft d,
      Mark mark,
      Priority priority,
      String title,
      String detail,
      Duration respondWithin,
      Milestone m) {
    if (d.isDone(mark)) return;
    d.mark(mark);
    if (!Cycles.allowHuman(d, m, mark.key())) return;
    d.effects.add(
        new Effect.CreateTask(
            "task:" + mark.key(),
            Effect.Need.CALL_PATIENT,
            Lane.MONITORING,
            priority,
            title,
            detail,
            d.now.plus(respondWithin),
            m.key()));
  }

  /**
   * Sends on the wanted channels the patient can receive, falling back SMS ⇄ email, and to a
   * phone-call task when neither works. The per-step cap hands the case to a person.
   */
  static void touch(
      DecisionDraft d,
      Agenda.Item item,
      Milestone m,
      List<Channel> wanted,
      Effect.Template template,
      String why) {
    touch(d, item, m, wanted, template, why, List.of());
  }

  /** As {@link #touch}, the message naming {@code alsoNamed} beside the step's own kind. */
  static void touch(
      DecisionDraft d,
      Agenda.Item item,
      Milestone m,
      List<Channel> wanted,
      Effect.Template template,
      String why,
      List<StepKind> alsoNamed) {
    var cycleCapped = Cycles.capped(d, m, false);
    if (cycleCapped.isPresent()) {
      d.note(d.now, "skipped", item.key() + ": not sent, " + cycleCapped.get());
      return;
    }
    if (m.automatedTouches() >= d.protocol.touchCap()) {
      d.note(
          d.now,
          "skipped",
          item.key()
              + ": automated message cap of "
              + d.protocol.touchCap()
              + " reached for this step");
      taskOnce(
          d,
          new Mark.CapReached(m.key()),
          Priority.HIGH,
          "Automated outreach exhausted: call the patient",
          d.protocol.touchCap()
              + " automated messages for the "
              + m.kind().patientWords()
              + " brought no result.",
          Duration.ofDays(1),
          m);
      return;
    }
    if (template.purpose() == Effect.Purpose.MARKETING && !d.contact.marketingConsent()) {
      d.note(
          d.now,
          "skipped",
          item.key()
              + ": not sent, "
              + template.name().toLowerCase(Locale.ROOT)
              + " is marketing and the patient has no marketing consent on file");
      return;
    }
    var reach = d.state.reach();
    // The patient's own choice of SMS or email comes before the protocol's channel.
    var preferred = reach.preferred().filter(c -> c != Channel.VOICE && d.contact.canUse(c));
    if (preferred.isPresent() && !wanted.equals(List.of(preferred.get()))) {
      d.note(
          d.now,
          "decision",
          item.key() + ": sent by " + preferred.get() + ", the patient's preferred channel");
      wanted = List.of(preferred.get());
    }
    var channels = new TreeSet<Channel>();
    for (var channel : wanted) {
      if (d.contact.canUse(channel)) {
        channels.add(channel);
      } else {
        var other = channel == Channel.SMS ? Channel.EMAIL : Channel.SMS;
        if (d.contact.canUse(other)) {
          channels.add(other);
          d.note(
              d.now, "decision", item.key() + ": " + unusable(d, channel) + ", sent by " + other);
        }
      }
    }
    // A touchpoint tried again after a failed delivery never repeats a channel it reached.
    channels.removeIf(c -> d.isDone(new Mark.Reached(item.key(), c)));
    var optedOut =
        List.of(Channel.SMS, Channel.EMAIL).stream()
            .filter(c -> reach.has(c) && d.contact.optedOut().contains(c))
            .toList();
    if (channels.isEmpty() && !optedOut.isEmpty()) {
      d.note(d.now, "skipped", item.key() + ": not sent, the patient opted out of " + optedOut);
      taskOnce(
          d,
          new Mark.OptedOut(m.key()),
          Priority.ROUTINE,
          "Patient opted out of automated messages: reach them personally",
          "The patient opted out of "
              + optedOut
              + "; the "
              + m.kind().patientWords()
              + " still needs them.",
          Duration.ofDays(3),
          m);
      return;
    }
    if (channels.isEmpty()) {
      if (!Cycles.allowHuman(d, m, item.key())) return;
      d.effects.add(
          new Effect.CreateTask(
              "task:call:" + item.key(),
              Effect.Need.CALL_PATIENT,
              Lane.MONITORING,
              Priority.ROUTINE,
              "Call the patient: no mobile number or email on file",
              "Automated "
                  + template.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                  + " message could not be sent ("
                  + why
                  + ").",
              d.now.plus(Duration.ofDays(1)),
              m.key()));
      d.note(
          d.now,
          "decision",
          item.key() + ": no mobile number or email on file, phone-call task instead");
      return;
    }
    for (var channel : channels) {
      d.mark(new Mark.Reached(item.key(), channel));
      d.effects.add(
          new Effect.SendTouchpoint(
              item.key() + ":" + channel, channel, template, m.key(), m.kind(), alsoNamed));
    }
    Cycles.count(d, m, false, item.key());
    d.outreach.add(d.now);
    d.gate = null;
    d.outreachKeys.add(item.key());
    d.replace(m.touched(d.now));
    if (d.state.firstMessageAt().isEmpty()) d.state = d.state.withFirstMessageAt(d.now);
    d.note(
        d.now,
        "effect",
        template.name().toLowerCase(Locale.ROOT).replace('_', '-')
            + " message by "
            + channels
            + ": "
            + why);
  }

  /**
   * A between-steps rule comes due with the next step still not booked: a task for a person, or the
   * first of its message variants whose condition the plan meets.
   */
  static void betweenSteps(DecisionDraft d, Agenda.Item item, Milestone m) {
    var rule = item.touch().orElseThrow();
    var unmet =
        rule.when()
            .flatMap(w ->
                w.unmetBy(d.state.valueCents(), d.contact.marketingConsent())
                    .or(() -> w.unmetByTiming(Duration.between(d.state.anchorAt(), m.dueAt()))));
    if (unmet.isPresent()) {
      d.note(d.now, "skipped", item.key() + ": not for this plan, " + unmet.get());
      return;
    }
    if (rule.task().isPresent()) {
      if (!Cycles.allowHuman(d, m, item.key())) return;
      var task = rule.task().get();
      d.note(
          item.at(),
          "decision",
          item.key() + ": " + rule.offsetWords() + " mark without a booking: a task for a person");
      d.effects.add(
          new Effect.CreateTask(
              "task:" + item.key(),
              Effect.Need.NOT_BOOKED,
              task.lane(),
              task.priority(),
              task.title(),
              "The "
                  + m.kind().patientWords()
                  + " is still not booked "
                  + rule.after().toHours()
                  + " h after the last progress.",
              d.now.plus(task.respondWithin()),
              m.key()));
      return;
    }
    var template =
        rule.variants().stream()
            .filter(
                v -> v.when().unmetBy(d.state.valueCents(), d.contact.marketingConsent()).isEmpty())
            .map(Protocol.Variant::template)
            .findFirst()
            .orElse(rule.template().orElseThrow());
    var also = Cadence.alsoNamed(d, item, m.kind());
    Touchpoints.touch(
        d,
        item,
        m,
        channelsOf(rule),
        template,
        rule.offsetWords()
            + " "
            + template.name().toLowerCase(Locale.ROOT).replace('_', '-')
            + ": next step still not booked"
            + alsoWords(also),
        also);
  }

  /** For the timeline: the other steps started with the plan that a message names, if any. */
  private static String alsoWords(List<StepKind> also) {
    return also.isEmpty()
        ? ""
        : "; also names the "
            + String.join(", ", also.stream().map(StepKind::patientWords).toList())
            + " started with it";
  }

  /** The plan's first message: confirmed, and what comes next. */
  static void intake(DecisionDraft d, Agenda.Item item, Milestone m) {
    var intake = d.protocol.intake().orElseThrow();
    var also = Cadence.alsoNamed(d, item, m.kind());
    touch(
        d,
        item,
        m,
        intake.channels().stream().sorted().toList(),
        intake.template(),
        "intake: plan confirmed, next step " + m.kind().patientWords() + alsoWords(also),
        also);
  }
}
