package org.careloop.app;

import java.time.Instant;
import java.util.List;

/** Where a practice's open appointment times come from, so a BOOK reply can offer some. */
public interface SlotSource {

  /** A free appointment time. */
  record Slot(Instant start, Instant end) {}

  /**
   * The first free slots at or after {@code from}, soonest first.
   *
   * @param search the practice's configured search (for FHIR, a Slot search URL)
   * @throws RuntimeException when the source cannot be reached or answers with something unusable
   */
  List<Slot> free(String search, Instant from, int limit);

  /** No slot source: BOOK replies carry the booking link only. */
  SlotSource NONE = (search, from, limit) -> List.of();
}
