package org.careloop.app;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The audit trail as people read it: who did what with which data, page by page, and whether its
 * hash chain still holds.
 */
public interface AuditTrail {
  /** One audit event. */
  record Event(
      long seq,
      Instant at,
      String actor,
      Optional<String> practiceId,
      Optional<String> patientId,
      String action,
      String subject,
      Optional<String> detail) {}

  /**
   * What to list: one practice's events (every practice's, for an operator's command line),
   * narrowed by person, patient and dates (inclusive, in {@code zone}).
   */
  record Query(
      Optional<String> practiceId,
      Optional<String> actor,
      Optional<String> patientId,
      Optional<LocalDate> from,
      Optional<LocalDate> to,
      ZoneId zone) {}

  /** One page of events, newest first, and how many there are in all. */
  record Page(List<Event> events, long total, int page, int size) {
    public int pages() {
      return (int) Math.max(1, (total + size - 1) / size);
    }
  }

  /** The outcome of {@link #verify}: the events checked, and the first broken link, if any. */
  record Verification(long checked, Optional<String> firstBroken) {}

  /** One page of the events {@code q} selects, newest first. */
  Page page(Query q, int page, int size);

  /**
   * Hands every event {@code q} selects, newest first, to {@code each}.
   *
   * @return how many there were
   */
  long forEach(Query q, Consumer<Event> each);

  /** Walks the chain from the first event: the events checked and the first broken link. */
  Verification verify();
}
