package org.careloop.app;

import java.time.Instant;
import java.util.Optional;

/**
 * One effect waiting to be carried out outside: a message, an EHR note or an EHR inbox message, or
 * an answer to a patient's text (which has no plan and carries its own recipient and body).
 *
 * @param idempotencyKey plan id + effect key: the same effect is never stored or sent twice
 * @param recipient for a {@link Kind#REPLY}: where it goes
 * @param body for a {@link Kind#REPLY}: what it says
 */
public record OutboxItem(
    long id,
    String idempotencyKey,
    Optional<String> planId,
    Optional<String> patientId,
    Kind kind,
    Optional<String> channel,
    Optional<String> template,
    Optional<String> stepKind,
    Optional<String> text,
    Status status,
    int attempts,
    Instant createdAt,
    Instant nextAttemptAt,
    Optional<String> lastError,
    Optional<String> recipient,
    Optional<String> body) {

  /** The plan's key of the effect: the idempotency key without the plan id in front. */
  public String effectKey() {
    return planId
        .filter(p -> idempotencyKey.startsWith(p + ":"))
        .map(p -> idempotencyKey.substring(p.length() + 1))
        .orElse(idempotencyKey);
  }

  /**
   * The agenda item a message is the touchpoint of (the effect key without its channel), which is
   * what the frequency caps count.
   */
  public String outreachKey() {
    String effect = effectKey();
    return channel
        .filter(c -> effect.endsWith(":" + c))
        .map(c -> effect.substring(0, effect.length() - c.length() - 1))
        .orElse(effect);
  }

  /** What the item does. */
  public enum Kind {
    MESSAGE,
    EHR_NOTE,
    EHR_INBOX,
    /** A provider review case's copy in the EHR: a FHIR Flag on the patient. */
    EHR_FLAG,
    /** A staff case's copy in the EHR's task list: a FHIR Task. */
    EHR_TASK,
    /** An answer to a patient's text: opt-out confirmation, help, booking link. Not automated. */
    REPLY
  }

  /** A message of a plan to its patient, due now. */
  public static OutboxItem message(
      String key,
      String planId,
      String patientId,
      String channel,
      String template,
      String stepKind,
      Instant now) {
    return new OutboxItem(
        0,
        key,
        Optional.of(planId),
        Optional.of(patientId),
        Kind.MESSAGE,
        Optional.of(channel),
        Optional.of(template),
        Optional.of(stepKind),
        Optional.empty(),
        Status.PENDING,
        0,
        now,
        now,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** The same item carrying its own words (a message a person wrote). */
  public OutboxItem withBody(String words) {
    return new OutboxItem(
        id,
        idempotencyKey,
        planId,
        patientId,
        kind,
        channel,
        template,
        stepKind,
        text,
        status,
        attempts,
        createdAt,
        nextAttemptAt,
        lastError,
        recipient,
        Optional.of(words));
  }

  /** An answer to a patient's text, due now. */
  public static OutboxItem reply(
      String key, Optional<String> patientId, String channel, String to, String body, Instant now) {
    return new OutboxItem(
        0,
        key,
        Optional.empty(),
        patientId,
        Kind.REPLY,
        Optional.of(channel),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Status.PENDING,
        0,
        now,
        now,
        Optional.empty(),
        Optional.of(to),
        Optional.of(body));
  }

  /** Where delivery stands. */
  public enum Status {
    PENDING,
    /** Committed as being handed to the channel: after a crash, reconciled before any resend. */
    SENDING,
    SENT,
    /** Stopped by the send-time re-check (opt-out, pause, plan ended, contact point gone). */
    WITHHELD,
    DEAD
  }
}
