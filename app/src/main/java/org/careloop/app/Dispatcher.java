package org.careloop.app;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the outbox: renders each message, hands it to its channel, and on failure retries
 * with exponential backoff until a dead letter. Never logs bodies, contact points or a channel's
 * error text (which may quote a number); the error is kept on the outbox row.
 */
public final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** Attempts before an item becomes a dead letter. */
  public static final int MAX_ATTEMPTS = 8;

  private final Map<String, ChannelSender> senders;
  private final Deliveries deliveries;
  private final Links links;

  /**
   * @param senders by channel: SMS, EMAIL, EHR_NOTE, EHR_INBOX
   * @param deliveries where a dead contact point starts the fallback
   * @param links makes the tracked links a message carries
   */
  public Dispatcher(Map<String, ChannelSender> senders, Deliveries deliveries, Links links) {
    this.senders = Map.copyOf(senders);
    this.deliveries = deliveries;
    this.links = links;
  }

  /** Backoff after the n-th failed attempt: 30 s, 1 min, 2 min … at most 1 hour. */
  public static Duration backoff(int attempts) {
    long seconds = 30L << Math.min(Math.max(attempts - 1, 0), 10);
    return Duration.ofSeconds(Math.min(seconds, 3600));
  }

  /** Dispatches up to {@code limit} due items in one transaction; returns how many it handled. */
  public int dispatchDue(Store store, Instant now, int limit) {
    return store.inTransaction(tx -> {
      var items = tx.claimDueOutbox(now, limit);
      for (var item : items) dispatch(tx, item, now);
      return items.size();
    });
  }

  private void dispatch(Store.Tx tx, OutboxItem item, Instant now) {
    String channel =
        item.kind() == OutboxItem.Kind.MESSAGE || item.kind() == OutboxItem.Kind.REPLY
            ? item.channel().orElseThrow()
            : item.kind().name();
    var sender = senders.get(channel);
    try {
      if (sender == null)
        throw new ChannelSender.PermanentFailure("no sender configured for channel " + channel);
      var providerId = sender.send(tx, render(tx, item, channel, now));
      tx.markSent(item.id(), now, providerId);
    } catch (ChannelSender.PermanentFailure e) {
      log.warn("outbox {} dead: permanent failure (see careloop outbox)", item.idempotencyKey());
      String error = e.getMessage() + e.code().map(c -> " [" + c + "]").orElse("");
      tx.markDead(item.id(), item.attempts() + 1, error);
      deliveries.permanentFailure(tx, item, e, now);
    } catch (RuntimeException e) {
      int attempts = item.attempts() + 1;
      String error =
          e.getClass().getSimpleName() + ": " + Optional.ofNullable(e.getMessage()).orElse("");
      if (attempts >= MAX_ATTEMPTS) {
        log.warn(
            "outbox {} dead after {} attempts (see careloop outbox)",
            item.idempotencyKey(),
            attempts);
        tx.markDead(item.id(), attempts, error);
      } else {
        log.info("outbox {} attempt {} failed; retrying", item.idempotencyKey(), attempts);
        tx.markRetry(item.id(), attempts, now.plus(backoff(attempts)), error);
      }
    }
  }

  private Message render(Store.Tx tx, OutboxItem item, String channel, Instant now) {
    if (item.kind() == OutboxItem.Kind.REPLY) {
      return new Message(
          item.idempotencyKey(),
          channel,
          item.recipient()
              .orElseThrow(() -> new ChannelSender.PermanentFailure("reply without recipient")),
          Optional.empty(),
          item.body().orElseThrow(() -> new ChannelSender.PermanentFailure("reply without body")),
          Optional.empty(),
          item.patientId()
              .flatMap(tx::patient)
              .flatMap(p -> tx.practice(p.practiceId()).smsSender()),
          Optional.empty());
    }
    String patientId =
        item.patientId()
            .orElseThrow(() -> new ChannelSender.PermanentFailure("message without a patient"));
    var patient =
        tx.patient(patientId)
            .orElseThrow(
                () -> new ChannelSender.PermanentFailure("patient " + patientId + " is gone"));
    if (item.kind() != OutboxItem.Kind.MESSAGE) {
      return new Message(
          item.idempotencyKey(),
          channel,
          "ehr:" + patient.sourceKey(),
          Optional.empty(),
          item.text().orElse(""),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());
    }
    var practice = tx.practice(patient.practiceId());
    String to =
        switch (channel) {
          case "SMS" ->
              patient
                  .mobile()
                  .orElseThrow(
                      () -> new ChannelSender.PermanentFailure("no mobile number on file"));
          case "EMAIL" ->
              patient
                  .email()
                  .orElseThrow(() -> new ChannelSender.PermanentFailure("no email on file"));
          default -> throw new ChannelSender.PermanentFailure("unknown channel " + channel);
        };
    return Templates.render(
        item,
        patient,
        practice,
        to,
        links.forMessage(tx, item, practice, now),
        () -> item.planId().flatMap(tx::planValueCents));
  }
}
