package org.careloop.app.messaging;

import java.util.Optional;
import org.careloop.app.Store;

/**
 * Delivers rendered messages on one channel (SMS, EMAIL, EHR_NOTE, EHR_INBOX, EHR_FLAG, EHR_TASK).
 */
public interface ChannelSender {

  /**
   * Delivers the message, inside the dispatcher's transaction where the channel is local.
   *
   * @return the channel's own id for the message (Twilio's MessageSid), when it gives one, so that
   *     later delivery reports find the message
   * @throws PermanentFailure when retrying cannot help (invalid number, bounced address)
   * @throws RuntimeException for a failure worth retrying
   */
  Optional<String> send(Store.Tx tx, Message message);

  /**
   * After a crash: whether a message whose attempt began at {@code attemptedAt} reached the
   * channel. A channel that cannot tell answers {@link Lookup.Unknown}, and the message is not sent
   * again.
   */
  default Lookup lookUp(Message message, java.time.Instant attemptedAt) {
    return new Lookup.Unknown();
  }

  /** What the channel knows of an attempt careloop did not see the end of. */
  sealed interface Lookup {
    /** It went out (with the channel's id for it, when it has one). */
    record Sent(Optional<String> providerId) implements Lookup {}

    /** It never reached the channel: safe to send. */
    record NotSent() implements Lookup {}

    /** The channel cannot tell. */
    record Unknown() implements Lookup {}
  }

  /**
   * A failure no retry can fix: {@code code} is the channel's error code (e.g. Twilio's 21211);
   * {@code contactPointDead} says the number or address itself is unusable (invalid, not a mobile,
   * bounced), so the patient's other channels take over.
   */
  final class PermanentFailure extends RuntimeException {
    private final Optional<String> code;
    private final boolean contactPointDead;

    public PermanentFailure(String message) {
      this(message, Optional.empty(), false);
    }

    public PermanentFailure(String message, Optional<String> code, boolean contactPointDead) {
      super(message);
      this.code = code;
      this.contactPointDead = contactPointDead;
    }

    public Optional<String> code() {
      return code;
    }

    public boolean contactPointDead() {
      return contactPointDead;
    }
  }
}
