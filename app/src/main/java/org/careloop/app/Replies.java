package org.careloop.app;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.core.Channel;
import org.careloop.core.PlanEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A patient's text message, handled in one transaction: stored (encrypted), classified, and acted
 * on. STOP opts the number out in the ledger and confirms once; START opts back in; HELP answers
 * with the practice's name and phone; BOOK answers with the booking link and pauses the plan's
 * messages; free text goes to a coordinator and pauses the plan until they act.
 */
public final class Replies {
  private static final Logger log = LoggerFactory.getLogger(Replies.class);
  private final Store store;
  private final Engine engine;
  private final String defaultPracticeId;

  public Replies(Store store, Engine engine, String defaultPracticeId) {
    this.store = store;
    this.engine = engine;
    this.defaultPracticeId = defaultPracticeId;
  }

  /**
   * What came of a message.
   *
   * @param duplicate the provider sent this message before; nothing was done again
   */
  public record Outcome(
      ReplyWords.Meaning meaning,
      boolean duplicate,
      Optional<String> planId,
      Optional<String> answer) {}

  /**
   * Handles a text from {@code from} (E.164).
   *
   * @param providerId the channel's id of the message (Twilio's MessageSid)
   */
  public Outcome smsReceived(String from, String body, String providerId, Instant now) {
    var meaning = ReplyWords.classify(body);
    return store.inTransaction(tx -> {
      String key = tx.addressKey(Channel.SMS, from);
      var patients = tx.patientsByAddressKey(Channel.SMS, key);
      var patient = patients.stream().findFirst();
      Optional<String> planId =
          meaning == ReplyWords.Meaning.BOOK || meaning == ReplyWords.Meaning.FREE_TEXT
              ? tx.lastPlanMessaged(patients, Channel.SMS)
                  .or(() ->
                      patients.stream()
                          .flatMap(p -> tx.activePlanOfPatient(p).stream())
                          .findFirst())
              : Optional.empty();
      boolean fresh =
          tx.recordInbound(
              new InboundMessage(
                  providerId, Channel.SMS, key, patient, planId, body, meaning.name(), now));
      if (!fresh) return new Outcome(meaning, true, planId, Optional.empty());
      var practice =
          tx.practice(
              patient
                  .flatMap(tx::patient)
                  .map(PatientRecord::practiceId)
                  .orElse(defaultPracticeId));
      Optional<String> answer =
          switch (meaning) {
            case STOP ->
                tx.setOptOut(Channel.SMS, key, true, "SMS reply", now)
                    ? Optional.of(
                        practice.name()
                            + ": you will get no more text messages from us. Reply START to"
                            + " resubscribe.")
                    : Optional.empty();
            case START ->
                tx.setOptOut(Channel.SMS, key, false, "SMS reply", now)
                    ? Optional.of(
                        practice.name()
                            + ": you are resubscribed to text messages. Reply STOP to opt out.")
                    : Optional.empty();
            case HELP ->
                Optional.of(
                    practice.name()
                        + " care plan reminders."
                        + practice.phone().map(p -> " Questions? Call " + p + ".").orElse("")
                        + " Reply STOP to opt out.");
            case BOOK ->
                tx.optedOut(Channel.SMS, key)
                    ? Optional.empty()
                    : Optional.of(
                        practice.name()
                            + ": "
                            + practice
                                .bookingUrl()
                                .map(u -> "book here: " + u)
                                .or(() -> practice.phone().map(p -> "call " + p + " to book."))
                                .orElse("we will call you to book."));
            case FREE_TEXT -> Optional.empty();
          };
      planId.ifPresent(plan ->
          engine.apply(
              tx,
              plan,
              new PlanEvent.ReplyReceived(
                  Channel.SMS,
                  meaning == ReplyWords.Meaning.BOOK
                      ? PlanEvent.ReplyKind.POSITIVE
                      : PlanEvent.ReplyKind.FREE_TEXT,
                  meaning == ReplyWords.Meaning.FREE_TEXT ? Optional.of(body) : Optional.empty(),
                  now),
              now));
      answer.ifPresent(text ->
          tx.enqueue(
              List.of(OutboxItem.reply("reply:" + providerId, patient, "SMS", from, text, now))));
      // The message id and its meaning only: the number and the words stay out of the log.
      log.info(
          "SMS {} from a {} number: {}",
          providerId,
          patients.isEmpty() ? "unknown" : "known",
          meaning);
      return new Outcome(meaning, false, planId, answer);
    });
  }

  /** A click on a tracked link: recorded, and a booking click counts as a positive reply. */
  public Optional<String> linkClicked(String code, Instant now) {
    return store.inTransaction(tx -> {
      var link = tx.clickLink(code, now);
      link.filter(l -> l.firstClick() && l.purpose().equals("BOOKING"))
          .flatMap(TrackedLink::planId)
          .ifPresent(plan ->
              engine.apply(
                  tx,
                  plan,
                  new PlanEvent.ReplyReceived(
                      link.get().outboxKey().endsWith(":EMAIL") ? Channel.EMAIL : Channel.SMS,
                      PlanEvent.ReplyKind.POSITIVE,
                      Optional.empty(),
                      now),
                  now));
      return link.map(TrackedLink::target);
    });
  }

  /** A signed one-click unsubscribe: the address leaves email. */
  public boolean emailUnsubscribe(String token, Instant now) {
    return store.inTransaction(tx -> {
      var data = tx.verifiedToken(token).filter(d -> d.startsWith("EMAIL."));
      data.ifPresent(d ->
          tx.setOptOut(
              Channel.EMAIL, d.substring("EMAIL.".length()), true, "email unsubscribe link", now));
      return data.isPresent();
    });
  }
}
