package org.careloop.app;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * One documented entry on a case.
 *
 * @param author the person's id when written, their display name when read back
 * @param decision a provider's decision on the case, one of the review queue's choices
 */
public record CaseNote(
    Instant at,
    String author,
    String kind,
    Optional<String> caseStatus,
    Optional<String> barrier,
    Optional<String> understood,
    Optional<String> nextAction,
    Optional<LocalDate> targetDate,
    boolean escalationNeeded,
    Optional<String> outcome,
    Optional<String> decision) {

  /** An entry that records no provider decision. */
  public CaseNote(
      Instant at,
      String author,
      String kind,
      Optional<String> caseStatus,
      Optional<String> barrier,
      Optional<String> understood,
      Optional<String> nextAction,
      Optional<LocalDate> targetDate,
      boolean escalationNeeded,
      Optional<String> outcome) {
    this(
        at,
        author,
        kind,
        caseStatus,
        barrier,
        understood,
        nextAction,
        targetDate,
        escalationNeeded,
        outcome,
        Optional.empty());
  }
}
