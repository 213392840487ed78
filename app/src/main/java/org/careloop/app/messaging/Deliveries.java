package org.careloop.app.messaging;

import java.time.Instant;
import java.util.Optional;
import org.careloop.app.OutboxItem;
import org.careloop.app.Store;
import org.careloop.app.engine.Engine;
import org.careloop.core.Channel;
import org.careloop.core.PlanEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens after a message left: the channel's delivery reports, and the fallback when a
 * contact point turns out dead. A dead number is marked on the patient, the failed outreach leaves
 * the frequency caps, and the plan tries the touchpoint again on what is left (email, then a
 * phone-call task).
 */
public final class Deliveries {
  private static final Logger log = LoggerFactory.getLogger(Deliveries.class);
  private final Engine engine;

  public Deliveries(Engine engine) {
    this.engine = engine;
  }

  Engine engine() {
    return engine;
  }

  /** A send failed for good: fall back when the contact point is dead, opt out on 21610. */
  public void permanentFailure(
      Store.Tx tx, OutboxItem item, ChannelSender.PermanentFailure failure, Instant now) {
    String error = failure.getMessage() + failure.code().map(c -> " [" + c + "]").orElse("");
    if (failure.contactPointDead()) contactPointFailed(tx, item, error, now);
    if (failure.code().filter("21610"::equals).isPresent()) carrierOptOut(tx, item, now);
  }

  private static void carrierOptOut(Store.Tx tx, OutboxItem item, Instant now) {
    item.patientId()
        .flatMap(p -> tx.patientAddressKey(p, Channel.SMS))
        .or(() -> item.recipient().map(r -> tx.addressKey(Channel.SMS, r)))
        .ifPresent(key -> tx.setOptOut(Channel.SMS, key, true, "carrier opt-out (21610)", now));
  }

  /** A message's contact point is unusable: fall back, inside the caller's transaction. */
  public void contactPointFailed(Store.Tx tx, OutboxItem item, String reason, Instant now) {
    if (item.kind() != OutboxItem.Kind.MESSAGE
        || item.planId().isEmpty()
        || item.patientId().isEmpty()) return;
    var channel = Channel.valueOf(item.channel().orElseThrow());
    tx.markContactPointDead(item.patientId().get(), channel, reason, now);
    String planId = item.planId().get();
    tx.forgetOutreach(planId, item.outreachKey());
    engine.apply(
        tx, planId, new PlanEvent.DeliveryFailed(item.effectKey(), channel, reason, now), now);
  }

  /**
   * A delivery report from the channel (Twilio's status callback): records the status on the
   * message; a failure that names a dead number starts the fallback.
   *
   * @return false when no message has that provider id
   */
  public boolean statusReported(
      Store store, String providerId, String status, Optional<String> errorCode, Instant now) {
    return store.inTransaction(tx -> {
      var item = tx.outboxByProviderId(providerId);
      if (item.isEmpty()) return false;
      tx.recordDeliveryStatus(item.get().id(), status, errorCode);
      if ((status.equals("failed") || status.equals("undelivered"))
          && errorCode.filter(TwilioErrors::deadNumber).isPresent()) {
        log.info(
            "outbox {} undeliverable (error {}): falling back",
            item.get().idempotencyKey(),
            errorCode.get());
        contactPointFailed(
            tx, item.get(), "delivery failed: " + TwilioErrors.describe(errorCode.get()), now);
      } else if (errorCode.filter("21610"::equals).isPresent()) {
        carrierOptOut(tx, item.get(), now);
      }
      return true;
    });
  }

  /**
   * A mail server's report that an email bounced (read from the return-path mailbox after the
   * send). A permanent failure that says the address is bad (status 5.1.x, or 5.2.1 disabled) marks
   * the address dead and the touchpoint falls back; others are recorded only.
   *
   * @param reportId the report's id: a report read twice is handled once
   * @param messageId the Message-ID of the email that bounced
   * @return false when the report was seen before or names no email careloop sent
   */
  public boolean bounceReported(
      Store store, String reportId, String messageId, String action, String status, Instant now) {
    return store.inTransaction(tx -> {
      var item = tx.outboxByProviderId(messageId);
      if (!tx.recordBounce(reportId, item.map(OutboxItem::id), status, now) || item.isEmpty())
        return false;
      boolean failed = action.equalsIgnoreCase("failed");
      tx.recordDeliveryStatus(
          item.get().id(),
          failed ? "bounced" : action.toLowerCase(java.util.Locale.ROOT),
          Optional.of(status));
      if (failed && deadAddress(status)) {
        log.info("outbox {} bounced ({}): falling back", item.get().idempotencyKey(), status);
        contactPointFailed(
            tx, item.get(), "email bounced: " + status + " (address not usable)", now);
      }
      return true;
    });
  }

  /** RFC 3463: 5.1.x is a bad destination address, 5.2.1 a disabled mailbox. */
  static boolean deadAddress(String status) {
    return status.startsWith("5.1.") || status.equals("5.2.1");
  }
}
