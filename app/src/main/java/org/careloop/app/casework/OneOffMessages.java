package org.careloop.app.casework;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.careloop.app.OutboxItem;
import org.careloop.app.Store;
import org.careloop.app.engine.Engine;
import org.careloop.core.Channel;
import org.careloop.core.Milestone;
import org.careloop.core.SendCheck;
import org.careloop.core.TimelineEntry;

/**
 * One message a person sends from a case: a one-off template or their own words, queued under the
 * messaging rules the outbox checks again at send, and refused now, worded for the person, when
 * those rules would hold it back.
 */
public final class OneOffMessages {
  private final Store store;

  /**
   * The most one-off messages people may send one patient in any 24 hours, all staff and plans
   * together: a second click or a second coordinator does not text the patient again and again.
   * (The automated frequency caps do not hold a person's message back: a reply to the patient's
   * question goes the day a reminder went.)
   */
  static final int A_DAY = 3;

  private final Engine engine;

  public OneOffMessages(Store store, Engine engine) {
    this.store = store;
    this.engine = engine;
  }

  /**
   * A person sends the patient one message now, within the messaging rules: not on a channel the
   * patient opted out of or has no contact point for, and only inside the allowed hours of the
   * plan's protocol, in the patient's zone. It is not automated, so the frequency caps do not hold
   * it back; it is counted against them.
   */
  public void sendMessage(
      Casework.Actor by, long taskId, String channel, String template, Instant now) {
    if (!CaseChoices.ONE_OFF_TEMPLATES.contains(template))
      throw new IllegalArgumentException(
          "template '" + template + "' is not one of " + CaseChoices.ONE_OFF_TEMPLATES);
    send(by, taskId, channel, template, Optional.empty(), now);
  }

  /**
   * A one-off message in the person's own words, under the same rules, once {@link
   * org.careloop.app.messaging.OwnWords} finds nothing in it that must stay out of a message.
   */
  public void sendOwnWords(
      Casework.Actor by, long taskId, String channel, String text, Instant now) {
    send(by, taskId, channel, org.careloop.app.messaging.OwnWords.TEMPLATE, Optional.of(text), now);
  }

  private void send(
      Casework.Actor by,
      long taskId,
      String channel,
      String template,
      Optional<String> words,
      Instant now) {
    var ch = Channel.valueOf(channel);
    if (ch != Channel.SMS && ch != Channel.EMAIL)
      throw new IllegalArgumentException("a message goes by SMS or EMAIL");
    store.inTransaction(tx -> {
      var c = Casework.ownCase(tx, by, taskId);
      var state = tx.lockPlan(c.planId()).orElseThrow().state();
      var contact = tx.contacts(List.of(state.patientId()), now).get(state.patientId());
      if (contact == null) throw new IllegalArgumentException("the patient is not on file");
      var protocol = engine.protocols().of(state);
      // The rules the outbox checks again at send, worded for the person sending.
      SendCheck.firstStop(state, protocol, contact, ch, false, List.of(), now)
          .ifPresent(stop -> {
            throw new IllegalArgumentException(refusal(stop));
          });
      var recent = tx.personMessages(state.patientId(), now.minus(java.time.Duration.ofDays(1)));
      if (recent.size() >= A_DAY)
        throw new IllegalArgumentException(
            A_DAY
                + " messages from staff went to the patient in the last 24 hours: not sent; the"
                + " next can go from "
                + recent.stream()
                    .sorted()
                    .skip(recent.size() - A_DAY)
                    .findFirst()
                    .orElseThrow()
                    .plus(java.time.Duration.ofDays(1))
                    .atZone(contact.rules().zone())
                    .toLocalDateTime()
                    .truncatedTo(java.time.temporal.ChronoUnit.MINUTES));
      if (words.isPresent()) {
        var patient = tx.patient(state.patientId()).orElseThrow();
        var steps = state.milestones().stream().map(Milestone::description).toList();
        org.careloop.app.messaging.OwnWords.problem(words.get(), patient, steps)
            .ifPresent(p -> {
              throw new org.careloop.app.InputRejected("message", p + ": not sent");
            });
      }
      var step = state.current().map(m -> m.kind().name()).orElse("OTHER");
      String key = c.planId() + ":oneoff:" + taskId + ":" + now.toEpochMilli() + ":" + ch;
      var message =
          OutboxItem.message(key, c.planId(), state.patientId(), ch.name(), template, step, now);
      tx.enqueue(List.of(words.map(w -> message.withBody(w.strip())).orElse(message)));
      tx.recordOutreach(
          List.of(
              new Store.Outreach(
                  state.patientId(),
                  c.planId(),
                  "oneoff:" + taskId + ":" + now.toEpochMilli(),
                  now)));
      tx.appendTimeline(
          c.planId(),
          List.of(
              new TimelineEntry(
                  now,
                  "effect",
                  template.toLowerCase(Locale.ROOT).replace('_', '-')
                      + " message by ["
                      + ch
                      + "]: sent by "
                      + by.displayName()
                      + " from the workspace")));
      tx.audit(
          by.username(),
          by.practiceId(),
          "case.message",
          "task " + taskId,
          template + " by " + ch,
          now);
      return null;
    });
  }

  /** Why a person's one-off message cannot go now, in the workspace's words. */
  private static String refusal(SendCheck.Stop stop) {
    return switch (stop) {
      case SendCheck.Stop.OptedOut o -> "the patient opted out of " + o.channel() + ": not sent";
      case SendCheck.Stop.NoContactPoint n ->
          "no usable " + n.channel() + " on file for the patient: not sent";
      case SendCheck.Stop.PlanNotActive p ->
          "the plan is " + p.status().name().toLowerCase(Locale.ROOT) + ": not sent";
      case SendCheck.Stop.OutsideHours h ->
          "outside the patient's allowed hours: not sent; it can go from "
              + h.from().atZone(h.zone()).toLocalDateTime();
      case SendCheck.Stop.Holiday h ->
          "a practice holiday (" + h.date() + "): not sent; it can go from the next day";
      // A person's one-off message is not held by a pause, the send window or the caps.
      case SendCheck.Stop.Paused p -> throw new IllegalStateException(p.toString());
      case SendCheck.Stop.SendRules r -> throw new IllegalStateException(r.toString());
    };
  }
}
