package org.careloop.app.messaging;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.careloop.app.InboundMessage;
import org.careloop.app.OutboxItem;
import org.careloop.app.PatientRecord;
import org.careloop.app.Practice;
import org.careloop.app.SlotSource;
import org.careloop.app.Store;
import org.careloop.app.TrackedLink;
import org.careloop.app.engine.Engine;
import org.careloop.core.Channel;
import org.careloop.core.PlanEvent;
import org.careloop.core.TimelineEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A patient's text message, handled in one transaction: stored (encrypted), classified, and acted
 * on. STOP opts the number out in the ledger and confirms once; START opts back in; HELP answers
 * with the practice's name and phone; BOOK answers with open times (when the practice has a slot
 * source) and the booking link, and pauses the plan's messages; free text goes to a coordinator and
 * pauses the plan until they act.
 */
public final class Replies {
  private static final Logger log = LoggerFactory.getLogger(Replies.class);
  private final Store store;
  private final Engine engine;
  private final String defaultPracticeId;
  private final SlotSource slots;

  /** How many open times a BOOK reply offers. */
  static final int SLOTS_OFFERED = 3;

  private static final DateTimeFormatter SLOT_TIME =
      DateTimeFormatter.ofPattern("EEE MMM d, h:mm a", Locale.US);

  /**
   * @param slots where open times come from for practices that configured a slot search
   */
  public Replies(Store store, Engine engine, String defaultPracticeId, SlotSource slots) {
    this.store = store;
    this.engine = engine;
    this.defaultPracticeId = defaultPracticeId;
    this.slots = slots;
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
    return smsReceived(from, Optional.empty(), Optional.empty(), body, providerId, now);
  }

  /**
   * Handles a text from {@code from} (E.164) to {@code to}, the number (or {@code service}, the
   * Messaging Service) the patient wrote to: that names the practice, so a number shared by
   * patients of two practices is answered, and acted on, in the right practice's name.
   */
  public Outcome smsReceived(
      String from,
      Optional<String> to,
      Optional<String> service,
      String body,
      String providerId,
      Instant now) {
    var meaning = ReplyWords.classify(body);
    // Asked before the transaction: no database connection waits on the EHR.
    List<SlotSource.Slot> open =
        meaning == ReplyWords.Meaning.BOOK ? openSlots(from, to, service, now) : List.of();
    return store.inTransaction(tx -> {
      String key = tx.addressKey(Channel.SMS, from);
      // YES from a number that opted out opts back in, as the carrier takes it; from anyone else
      // it is a yes to the message's question: booking intent.
      var means =
          meaning == ReplyWords.Meaning.BOOK
                  && ReplyWords.optsBackIn(body)
                  && tx.optedOut(Channel.SMS, key)
              ? ReplyWords.Meaning.START
              : meaning;
      var practices = to.map(t -> tx.practicesSendingFrom(t, service));
      var patients = patientsWriting(tx, key, practices);
      var patient = patients.stream().findFirst();
      Optional<String> planId =
          means == ReplyWords.Meaning.BOOK
                  || means == ReplyWords.Meaning.FREE_TEXT
                  || means == ReplyWords.Meaning.WORSE
              ? tx.lastPlanMessaged(patients, Channel.SMS)
                  .or(() ->
                      patients.stream()
                          .flatMap(p -> tx.activePlanOfPatient(p).stream())
                          .findFirst())
              : Optional.empty();
      boolean fresh =
          tx.recordInbound(
              new InboundMessage(
                  providerId, Channel.SMS, key, patient, planId, body, means.name(), now));
      if (!fresh) return new Outcome(means, true, planId, Optional.empty());
      var practice = practiceOf(tx, patient, practices);
      Optional<String> answer =
          switch (means) {
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
                    : Optional.of(bookingAnswer(practice, open));
            case FREE_TEXT -> Optional.empty();
            case WORSE ->
                Optional.of(
                    practice.name()
                        + ": we passed your message to your care team and will call you."
                        + " If this is an emergency, call 911.");
          };
      planId.ifPresent(plan ->
          engine.apply(
              tx,
              plan,
              new PlanEvent.ReplyReceived(
                  Channel.SMS,
                  switch (means) {
                    case BOOK -> PlanEvent.ReplyKind.POSITIVE;
                    case WORSE -> PlanEvent.ReplyKind.WORSE_SYMPTOMS;
                    default -> PlanEvent.ReplyKind.FREE_TEXT;
                  },
                  means == ReplyWords.Meaning.BOOK ? Optional.empty() : Optional.of(body),
                  now),
              now));
      answer.ifPresent(text ->
          tx.enqueue(
              List.of(OutboxItem.reply("reply:" + providerId, patient, "SMS", from, text, now))));
      // The message id and its means only: the number and the words stay out of the log.
      log.info(
          "SMS {} from a {} number: {}",
          providerId,
          patients.isEmpty() ? "unknown" : "known",
          means);
      return new Outcome(means, false, planId, answer);
    });
  }

  /** The patients with this number, of the practices the text reached (all, when not known). */
  private static List<String> patientsWriting(
      Store.Tx tx, String key, Optional<List<String>> practices) {
    var all = tx.patientsByAddressKey(Channel.SMS, key);
    if (practices.isEmpty()) return all;
    return all.stream()
        .filter(p ->
            tx.patient(p)
                .map(PatientRecord::practiceId)
                .filter(practices.get()::contains)
                .isPresent())
        .toList();
  }

  private Practice practiceOf(
      Store.Tx tx, Optional<String> patientId, Optional<List<String>> practices) {
    return tx.practice(
        patientId
            .flatMap(tx::patient)
            .map(PatientRecord::practiceId)
            .or(() -> practices.flatMap(p -> p.stream().findFirst()))
            .orElse(defaultPracticeId));
  }

  /** The next open times of the practice of whoever texts from {@code from}, if it has a source. */
  private List<SlotSource.Slot> openSlots(
      String from, Optional<String> to, Optional<String> service, Instant now) {
    var practice =
        store.inTransaction(tx -> {
          var practices = to.map(t -> tx.practicesSendingFrom(t, service));
          return practiceOf(
              tx,
              patientsWriting(tx, tx.addressKey(Channel.SMS, from), practices).stream().findFirst(),
              practices);
        });
    if (practice.slotSearch().isEmpty()) return List.of();
    try {
      return slots.free(practice.slotSearch().get(), now, SLOTS_OFFERED);
    } catch (RuntimeException e) {
      log.warn(
          "slot search of practice {} failed ({}); the BOOK reply carries the link only",
          practice.id(),
          e.getClass().getSimpleName());
      return List.of();
    }
  }

  /** The answer to BOOK: open times when there are some, then how to book. */
  static String bookingAnswer(Practice practice, List<SlotSource.Slot> open) {
    String times =
        open.isEmpty()
            ? ""
            : "open times "
                + String.join(
                    "; ",
                    open.stream()
                        .map(s -> SLOT_TIME.format(s.start().atZone(practice.zone())))
                        .toList())
                + ". ";
    return practice.name()
        + ": "
        + times
        + practice
            .bookingUrl()
            .map(u -> (times.isEmpty() ? "book here: " : "Book here: ") + u)
            .or(() ->
                practice.phone().map(p -> (times.isEmpty() ? "call " : "Call ") + p + " to book."))
            .orElse(times.isEmpty() ? "we will call you to book." : "We will call you to book.");
  }

  /** A click on a tracked link: recorded, and a booking click counts as a positive reply. */
  public Optional<String> linkClicked(String code, Instant now) {
    return store.inTransaction(tx -> {
      var link = tx.clickLink(code, false, now);
      link.filter(l -> l.firstClick() && l.purpose().equals(Links.BOOKING))
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

  /**
   * An email's open pixel was fetched: counted on its link, and the first open goes on the plan's
   * timeline. Opens say nothing about intent, so they neither pause nor advance the plan.
   *
   * @return whether the code is an open pixel
   */
  public boolean emailOpened(String code, Instant now) {
    return store.inTransaction(tx -> {
      var link = tx.clickLink(code, true, now);
      link.filter(TrackedLink::firstClick)
          .ifPresent(l ->
              l.planId()
                  .ifPresent(plan ->
                      tx.appendTimeline(
                          plan,
                          List.of(
                              new TimelineEntry(
                                  now, "opened", "email " + l.outboxKey() + " opened")))));
      return link.isPresent();
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

  /**
   * A coordinator lets a plan's automated messages go on after a pause (a free-text reply waits for
   * a person). Audited.
   */
  public void resume(String planId, String by, Instant now) {
    store.inTransaction(tx -> {
      var plan =
          tx.lockPlan(planId).orElseThrow(() -> new IllegalArgumentException("no plan " + planId));
      if (plan.state().pause().isEmpty())
        throw new IllegalArgumentException("plan " + planId + " is not paused");
      engine.apply(tx, planId, new PlanEvent.SequenceResumed(by, now), now);
      tx.audit(by, null, "plan.resume", "plan " + planId, null, now);
      return null;
    });
  }
}
