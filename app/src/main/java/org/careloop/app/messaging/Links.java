package org.careloop.app.messaging;

import java.time.Instant;
import java.util.Optional;
import org.careloop.app.OutboxItem;
import org.careloop.app.Practice;
import org.careloop.app.Store;
import org.careloop.core.Channel;

/**
 * The links a message carries. A booking link goes through a short careloop link that records the
 * click for that touchpoint and redirects; an email carries a signed one-click unsubscribe link.
 *
 * @param publicUrl where patients reach careloop, e.g. {@code https://careloop.example.org}
 */
public record Links(String publicUrl) {
  /** The purpose of a tracked link that is an email's open pixel. */
  public static final String OPEN = "OPEN";

  /** The purpose of a tracked booking link; its first click is a positive reply. */
  public static final String BOOKING = "BOOKING";

  public Links {
    while (publicUrl.endsWith("/")) publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
  }

  /** The links of one message: booking, email unsubscribe, and the email's open pixel. */
  public record ForMessage(
      Optional<String> booking, Optional<String> unsubscribe, Optional<String> openPixel) {
    public static final ForMessage NONE =
        new ForMessage(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Makes (or finds, on a retry) the links of an outbox message. */
  public ForMessage forMessage(Store.Tx tx, OutboxItem item, Practice practice, Instant now) {
    var booking =
        practice
            .bookingUrl()
            .map(url ->
                publicUrl
                    + "/l/"
                    + tx.trackedLink(item.idempotencyKey(), item.planId(), BOOKING, url, now));
    Optional<String> unsubscribe = Optional.empty();
    Optional<String> openPixel = Optional.empty();
    if (item.channel().filter("EMAIL"::equals).isPresent() && item.patientId().isPresent()) {
      unsubscribe =
          tx.patientAddressKey(item.patientId().get(), Channel.EMAIL)
              .map(key -> publicUrl + "/u/" + tx.signedToken("EMAIL." + key));
      if (practice.emailOpenPixel())
        openPixel =
            Optional.of(
                publicUrl
                    + "/o/"
                    + tx.trackedLink(item.idempotencyKey(), item.planId(), OPEN, "", now)
                    + ".gif");
    }
    return new ForMessage(booking, unsubscribe, openPixel);
  }
}
