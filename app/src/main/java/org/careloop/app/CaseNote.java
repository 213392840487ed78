package org.careloop.app;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * One documented entry on a case.
 *
 * @param author the person's id when written, their display name when read back
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
    Optional<String> outcome) {}
