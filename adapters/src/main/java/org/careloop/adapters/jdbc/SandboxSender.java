package org.careloop.adapters.jdbc;

import java.time.Clock;
import java.util.Optional;
import org.careloop.app.Store;
import org.careloop.app.messaging.ChannelSender;
import org.careloop.app.messaging.Message;

/**
 * The {@code sandbox} channel mode: each rendered message is stored as delivered to the sandbox, in
 * the dispatcher's transaction, instead of leaving the building. Practices use it to try careloop
 * before connecting Twilio or SMTP; it is the default.
 */
public final class SandboxSender implements ChannelSender {
  private final Clock clock;

  public SandboxSender(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Optional<String> send(Store.Tx tx, Message m) {
    var jtx = (JdbcStore.JdbcTx) tx;
    var cipher = jtx.cipher();
    jtx.update(
        "insert into sandbox_message (idempotency_key, channel, recipient, subject, body, delivered_at) values (?, ?, ?, ?, ?, ?)",
        m.idempotencyKey(),
        m.channel(),
        cipher.encrypt("sandbox_message.recipient", m.to()),
        cipher.encrypt("sandbox_message.subject", m.subject().orElse(null)),
        cipher.encrypt("sandbox_message.body", JdbcStore.truncate(m.body(), 4000)),
        clock.instant());
    return Optional.empty();
  }

  /**
   * The sandbox's copy is written in the same transaction that marks the message sent, so a message
   * still SENDING after a crash never reached it.
   */
  @Override
  public Lookup lookUp(Message message, java.time.Instant attemptedAt) {
    return new Lookup.NotSent();
  }
}
