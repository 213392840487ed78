package org.careloop.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One step as the clinician ordered it, before careloop tracks it.
 *
 * @param key stable within the plan (from the source: activity index, ServiceRequest id, CSV row)
 * @param description clinical words from the source; shown to staff, never sent to the patient
 * @param dueAt an explicit due time from the source, when it gave one
 * @param interval when there is no explicit due time: how long after the previous step (or the
 *     plan's start, for the first step) this one is due; for a later visit of a series (which has
 *     its date too), the gap after the previous visit its dates give, used where the protocol
 *     counts a series' visits from the previous one ({@link Protocol.Series#AFTER_PREVIOUS})
 * @param completedAt set when the source already reports the step done
 */
public record OrderedStep(
    String key,
    StepKind kind,
    String description,
    Optional<Instant> dueAt,
    Optional<Duration> interval,
    Optional<Instant> completedAt) {

  /**
   * The key of the {@code index}th (from 0) visit of an order that asks for several: the order's
   * own key, then {@code key#2}, {@code key#3}, …
   */
  public static String seriesKey(String key, int index) {
    return index == 0 ? key : key + "#" + (index + 1);
  }

  /** Whether {@code candidate} is a visit of the series whose first step is {@code key}. */
  public static boolean inSeries(String key, String candidate) {
    return candidate.equals(key)
        || candidate.matches(java.util.regex.Pattern.quote(key) + "#[0-9]+");
  }
}
