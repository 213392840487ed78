package org.careloop.app;

import java.time.Instant;
import java.util.Optional;

/**
 * One effect waiting to be carried out outside: a message, an EHR note or an EHR inbox message.
 *
 * @param idempotencyKey plan id + effect key: the same effect is never stored or sent twice
 */
public record OutboxItem(
    long id,
    String idempotencyKey,
    String planId,
    String patientId,
    Kind kind,
    Optional<String> channel,
    Optional<String> template,
    Optional<String> stepKind,
    Optional<String> text,
    Status status,
    int attempts,
    Instant createdAt,
    Instant nextAttemptAt,
    Optional<String> lastError) {

  /** What the item does. */
  public enum Kind {
    MESSAGE,
    EHR_NOTE,
    EHR_INBOX
  }

  /** Where delivery stands. */
  public enum Status {
    PENDING,
    SENT,
    DEAD
  }
}
