package org.careloop.app.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.careloop.app.OutboxItem;
import org.careloop.app.Store;
import org.careloop.app.engine.Runner;
import org.careloop.core.Channel;
import org.careloop.core.SendCheck;
import org.careloop.core.TimelineEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the outbox: renders each message, hands it to its channel, and on failure retries
 * with exponential backoff until a dead letter. Never logs bodies, contact points or a channel's
 * error text (which may quote a number); the error is kept on the outbox row.
 *
 * <p>Each message is sent once: it is claimed alone, the messaging rules are checked again, and it
 * is marked {@code SENDING} and committed before the channel is called; the channel's answer is
 * recorded in a transaction of its own. No row is locked during a network call. A row a crash left
 * {@code SENDING} is reconciled with the channel (did it go out?) before anything is sent again, so
 * at most the one message in flight is ever in doubt, and none is silently sent twice.
 */
public final class Dispatcher implements Runner.Dispatch {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** Attempts before an item becomes a dead letter. */
  public static final int MAX_ATTEMPTS = 8;

  /** How long an attempt may stay SENDING before it is taken for a crash and reconciled. */
  public static final Duration DEFAULT_SENDING_LEASE = Duration.ofMinutes(2);

  private final Map<String, ChannelSender> senders;
  private final Deliveries deliveries;
  private final Links links;
  private final Clock wall;
  private final Duration sendingLease;

  /**
   * @param senders by channel: SMS, EMAIL, EHR_NOTE, EHR_INBOX, EHR_FLAG, EHR_TASK
   * @param deliveries where a dead contact point starts the fallback
   * @param links makes the tracked links a message carries
   */
  public Dispatcher(Map<String, ChannelSender> senders, Deliveries deliveries, Links links) {
    this(senders, deliveries, links, Clock.systemUTC(), DEFAULT_SENDING_LEASE);
  }

  /**
   * @param wall the real clock, for the SENDING lease (a simulated plan clock does not move while a
   *     process is down)
   * @param sendingLease how long an attempt may take before it counts as cut off by a crash
   */
  public Dispatcher(
      Map<String, ChannelSender> senders,
      Deliveries deliveries,
      Links links,
      Clock wall,
      Duration sendingLease) {
    this.senders = Map.copyOf(senders);
    this.deliveries = deliveries;
    this.links = links;
    this.wall = wall;
    this.sendingLease = sendingLease;
  }

  /** Backoff after the n-th failed attempt: 30 s, 1 min, 2 min … at most 1 hour. */
  public static Duration backoff(int attempts) {
    long seconds = 30L << Math.min(Math.max(attempts - 1, 0), 10);
    return Duration.ofSeconds(Math.min(seconds, 3600));
  }

  /** A claimed item, and the message to hand over when the re-check let it go. */
  private record Claim(OutboxItem item, String channel, Optional<Message> message) {}

  /**
   * Reconciles attempts a crash cut off, then dispatches up to {@code limit} due items, each in its
   * own transactions; returns how many it handled.
   */
  @Override
  public int dispatchDue(Store store, Instant now, int limit) {
    int handled = 0;
    while (handled < limit && reconcileOne(store, now)) handled++;
    while (handled < limit) {
      var claim = store.inTransaction(tx -> claimOne(tx, now));
      if (claim.isEmpty()) break;
      handled++;
      var c = claim.get();
      c.message().ifPresent(m -> send(store, c, m, now));
    }
    return handled;
  }

  private String channelOf(OutboxItem item) {
    return item.kind() == OutboxItem.Kind.MESSAGE || item.kind() == OutboxItem.Kind.REPLY
        ? item.channel().orElseThrow()
        : item.kind().name();
  }

  /** Claims the next due item, checks the rules again, and marks it SENDING (or why not). */
  private Optional<Claim> claimOne(Store.Tx tx, Instant now) {
    var items = tx.claimDueOutbox(now, 1);
    if (items.isEmpty()) return Optional.empty();
    var item = items.get(0);
    String channel = channelOf(item);
    SendCheck.Verdict verdict;
    try {
      verdict = recheck(tx, item, now);
    } catch (RuntimeException unreadable) {
      // The plan or patient cannot be read (say, a value that does not decrypt): not sent blind,
      // tried again later like a failed send, and dead after the last attempt.
      retry(tx, item, unreadable, now);
      return Optional.of(new Claim(item, channel, Optional.empty()));
    }
    switch (verdict) {
      case SendCheck.Verdict.Withhold w -> {
        withhold(tx, item, w.reason(), now);
        return Optional.of(new Claim(item, channel, Optional.empty()));
      }
      case SendCheck.Verdict.Hold h -> {
        tx.markPending(item.id(), h.until(), Optional.of("held at send: " + h.reason()));
        item.planId()
            .ifPresent(plan ->
                tx.appendTimeline(
                    plan,
                    List.of(
                        new TimelineEntry(
                            now,
                            "held",
                            item.effectKey()
                                + " not sent now: "
                                + h.reason()
                                + "; at "
                                + h.until()))));
        return Optional.of(new Claim(item, channel, Optional.empty()));
      }
      case SendCheck.Verdict.Send s -> {}
    }
    try {
      senderFor(channel);
      var message = render(tx, item, channel, now);
      tx.markSending(item.id(), wall.instant());
      return Optional.of(new Claim(item, channel, Optional.of(message)));
    } catch (ChannelSender.PermanentFailure e) {
      dead(tx, item, e, now);
      return Optional.of(new Claim(item, channel, Optional.empty()));
    }
  }

  /**
   * The messaging rules as they stand now, for a plan's message: a STOP, a pause, the plan's end or
   * the end of the allowed hours since it was decided stop it. Answers to a patient's own text
   * (STOP's confirmation among them) and EHR write-backs are not outreach and go as decided.
   */
  private SendCheck.Verdict recheck(Store.Tx tx, OutboxItem item, Instant now) {
    if (item.kind() != OutboxItem.Kind.MESSAGE
        || item.planId().isEmpty()
        || item.patientId().isEmpty()) return new SendCheck.Verdict.Send();
    var plan = tx.lockPlan(item.planId().get());
    if (plan.isEmpty()) return new SendCheck.Verdict.Withhold("the plan is gone");
    var state = plan.get().state();
    var contact = tx.contacts(List.of(item.patientId().get()), now).get(item.patientId().get());
    if (contact == null) return new SendCheck.Verdict.Withhold("the patient is gone");
    var protocol = deliveries.engine().protocols().of(state);
    boolean automated = !item.idempotencyKey().contains(":oneoff:");
    String self = item.planId().get() + ":" + item.outreachKey();
    var sent =
        automated
            ? tx.sentOutreach(
                item.patientId().get(), self, now.minus(java.time.Duration.ofDays(8)), now)
            : List.<Instant>of();
    return SendCheck.atSend(
        state,
        protocol,
        contact,
        Channel.valueOf(item.channel().orElseThrow()),
        automated,
        sent,
        now);
  }

  private void withhold(Store.Tx tx, OutboxItem item, String reason, Instant now) {
    tx.markWithheld(item.id(), "withheld at send: " + reason);
    String planId = item.planId().orElseThrow();
    tx.forgetOutreach(planId, item.outreachKey());
    tx.appendTimeline(
        planId,
        List.of(
            new TimelineEntry(now, "withheld", item.effectKey() + " withheld at send: " + reason)));
    log.info("outbox {} withheld at send", item.idempotencyKey());
  }

  /** Thrown from inside the channel call, to tell it apart from a failure to record its answer. */
  private static final class ChannelFailed extends RuntimeException {
    final RuntimeException failure;

    ChannelFailed(RuntimeException failure) {
      super(failure);
      this.failure = failure;
    }
  }

  private ChannelSender senderFor(String channel) {
    var sender = senders.get(channel);
    if (sender == null)
      throw new ChannelSender.PermanentFailure("no sender configured for channel " + channel);
    return sender;
  }

  private void send(Store store, Claim claim, Message message, Instant now) {
    var item = claim.item();
    var sender = senderFor(claim.channel());
    try {
      // A local channel (the sandbox) records its copy in this same transaction; for a remote one
      // the transaction holds no lock while it waits.
      store.inTransaction(tx -> {
        Optional<String> providerId;
        try {
          providerId = sender.send(tx, message);
        } catch (RuntimeException e) {
          throw new ChannelFailed(e);
        }
        tx.markSent(item.id(), now, providerId);
        return null;
      });
    } catch (ChannelFailed failed) {
      var e = failed.failure;
      store.inTransaction(tx -> {
        if (e instanceof ChannelSender.PermanentFailure p) dead(tx, item, p, now);
        else retry(tx, item, e, now);
        return null;
      });
    } catch (RuntimeException recording) {
      // The channel may have taken it: the row stays SENDING and is reconciled, never resent blind.
      log.warn(
          "outbox {}: the channel's answer could not be recorded ({}); reconciled later",
          item.idempotencyKey(),
          recording.getClass().getSimpleName());
    }
  }

  private void dead(Store.Tx tx, OutboxItem item, ChannelSender.PermanentFailure e, Instant now) {
    log.warn("outbox {} dead: permanent failure (see careloop outbox)", item.idempotencyKey());
    String error = e.getMessage() + e.code().map(c -> " [" + c + "]").orElse("");
    tx.markDead(item.id(), item.attempts() + 1, error);
    deliveries.permanentFailure(tx, item, e, now);
  }

  private static void retry(Store.Tx tx, OutboxItem item, RuntimeException e, Instant now) {
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

  /** One attempt a crash cut off, taken over with a fresh lease. */
  private record Doubt(OutboxItem item, Instant attemptedAt, Message message) {}

  /**
   * Takes one attempt left SENDING past its lease and asks its channel whether it went out: sent
   * (recorded as sent), never arrived (sent now, normally), or the channel cannot tell (recorded as
   * sent and marked in doubt: a patient is never texted twice on a guess).
   *
   * @return whether there was one
   */
  boolean reconcileOne(Store store, Instant now) {
    var doubt =
        store.inTransaction(tx -> {
          for (var s : tx.staleSending(wall.instant().minus(sendingLease), 1)) {
            var item = s.item();
            tx.markSending(item.id(), wall.instant());
            try {
              return Optional.of(
                  new Doubt(item, s.attemptedAt(), render(tx, item, channelOf(item), now)));
            } catch (ChannelSender.PermanentFailure e) {
              dead(tx, item, e, now);
              return Optional.<Doubt>empty();
            }
          }
          return Optional.<Doubt>empty();
        });
    if (doubt.isEmpty()) return false;
    var d = doubt.get();
    var sender = senders.get(channelOf(d.item()));
    ChannelSender.Lookup found;
    try {
      found =
          sender == null
              ? new ChannelSender.Lookup.NotSent()
              : sender.lookUp(d.message(), d.attemptedAt());
    } catch (RuntimeException e) {
      // The channel cannot be asked now: the row stays SENDING and is asked again next lease.
      log.warn(
          "outbox {}: could not ask the channel whether it went out ({})",
          d.item().idempotencyKey(),
          e.getClass().getSimpleName());
      return true;
    }
    store.inTransaction(tx -> {
      var item = d.item();
      String note =
          switch (found) {
            case ChannelSender.Lookup.Sent sent -> {
              tx.markSent(item.id(), now, sent.providerId());
              yield "went out before a restart (confirmed by the channel)";
            }
            case ChannelSender.Lookup.NotSent n -> {
              tx.markPending(item.id(), now, Optional.of("cut off by a restart before sending"));
              yield "cut off by a restart before it went out; sending it now";
            }
            case ChannelSender.Lookup.Unknown u -> {
              tx.markSent(item.id(), now, Optional.empty());
              tx.recordDeliveryStatus(item.id(), "in-doubt", Optional.empty());
              yield "cut off by a restart; the channel cannot tell whether it went out, so it is"
                  + " not sent again (in doubt)";
            }
          };
      log.info("outbox {} reconciled after a restart: {}", item.idempotencyKey(), found);
      String text = item.effectKey() + ": " + note;
      item.planId()
          .ifPresent(
              plan -> tx.appendTimeline(plan, List.of(new TimelineEntry(now, "reconciled", text))));
      return null;
    });
    return true;
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
          EhrWriteBack.target(patient.practiceId(), patient.sourceKey()),
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
