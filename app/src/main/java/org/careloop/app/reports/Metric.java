package org.careloop.app.reports;

import java.util.List;
import java.util.Optional;

/**
 * A dashboard figure: what it is called, what it counts (its definition, written once here and
 * shown on the page), and how it is counted from the practice's history.
 *
 * @param id the figure's name in links and CSV
 * @param program the program it belongs to, as the dashboard heads it
 * @param groupedBy what the figure is broken down by (channel, lane, touchpoint), when it is
 */
public record Metric(
    String id,
    String program,
    String title,
    Kind kind,
    String definition,
    Optional<String> groupedBy,
    Count count) {

  /** How a figure's samples add up. */
  public enum Kind {
    /** Counted samples of all samples. */
    SHARE,
    /** The median and 90th percentile of the counted samples' durations (seconds). */
    DURATION,
    /** The counted samples. */
    COUNT,
    /** The sum of the counted samples' amounts (cents). */
    MONEY,
    /** The sum of the counted samples' amounts (minutes), as hours. */
    HOURS,
    /** The sum of the counted samples' amounts (minutes), as hours a week. */
    HOURS_PER_WEEK
  }

  /**
   * One thing a figure counted: the plan it is about (a patient behind the figure), the group it
   * falls in (empty when the figure is not broken down), whether it counts toward the figure, and
   * its amount (seconds, cents or minutes, as the kind says; 0 where the kind has none).
   */
  public record Sample(String planId, String group, boolean counted, long amount) {
    static Sample of(String planId, boolean counted) {
      return new Sample(planId, "", counted, 0);
    }
  }

  /** How a figure is counted from a history, for a period. */
  @FunctionalInterface
  public interface Count {
    List<Sample> samples(History history, Period period);
  }

  /** A figure not broken down. */
  static Metric of(
      String id, String program, String title, Kind kind, String definition, Count count) {
    return new Metric(id, program, title, kind, definition, Optional.empty(), count);
  }

  /** A figure broken down by {@code groupedBy}. */
  static Metric by(
      String groupedBy,
      String id,
      String program,
      String title,
      Kind kind,
      String definition,
      Count count) {
    return new Metric(id, program, title, kind, definition, Optional.of(groupedBy), count);
  }
}
