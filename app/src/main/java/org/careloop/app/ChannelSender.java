package org.careloop.app;

/** Delivers rendered messages on one channel (SMS, EMAIL, EHR_NOTE, EHR_INBOX). */
public interface ChannelSender {

  /**
   * Delivers the message, inside the dispatcher's transaction where the channel is local.
   *
   * @throws PermanentFailure when retrying cannot help (invalid number, bounced address)
   * @throws RuntimeException for a failure worth retrying
   */
  void send(Store.Tx tx, Message message);

  /** A failure no retry can fix. */
  final class PermanentFailure extends RuntimeException {
    public PermanentFailure(String message) {
      super(message);
    }
  }
}
