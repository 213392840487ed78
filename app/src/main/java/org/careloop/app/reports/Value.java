package org.careloop.app.reports;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.careloop.app.reports.Metric.Kind;
import org.careloop.app.reports.Metric.Sample;

/** A figure's value for one period: its samples, and what they add up to by the figure's kind. */
public record Value(Kind kind, List<Sample> samples) {
  public Value {
    samples = List.copyOf(samples);
  }

  /** How many samples there are (a share's "of"). */
  public int of() {
    return samples.size();
  }

  /** How many count. */
  public int counted() {
    return (int) samples.stream().filter(Sample::counted).count();
  }

  /** The sum of the counted amounts. */
  public long sum() {
    return samples.stream().filter(Sample::counted).mapToLong(Sample::amount).sum();
  }

  /** The share counted, when there is anything to share. */
  public Optional<Double> share() {
    return samples.isEmpty() ? Optional.empty() : Optional.of((double) counted() / of());
  }

  /**
   * The {@code p}-th percentile (0 to 1) of the counted amounts by nearest rank: the smallest
   * amount at least that share of them do not exceed.
   */
  public Optional<Duration> percentile(double p) {
    var sorted =
        samples.stream().filter(Sample::counted).mapToLong(Sample::amount).sorted().toArray();
    if (sorted.length == 0) return Optional.empty();
    int rank = (int) Math.ceil(p * sorted.length);
    return Optional.of(Duration.ofSeconds(sorted[Math.max(rank, 1) - 1]));
  }

  public Optional<Duration> median() {
    return percentile(0.5);
  }

  public Optional<Duration> p90() {
    return percentile(0.9);
  }

  /**
   * The figure as one number, for charts, CSV and comparing periods: a share in percent, a
   * duration's median in hours, a count, a sum in dollars or hours; empty with nothing to count.
   */
  public Optional<Double> number(Period period) {
    return switch (kind) {
      case SHARE -> share().map(s -> 100 * s);
      case DURATION -> median().map(d -> d.toSeconds() / 3600.0);
      case COUNT -> Optional.of((double) counted());
      case MONEY -> Optional.of(sum() / 100.0);
      case HOURS -> Optional.of(sum() / 60.0);
      case HOURS_PER_WEEK -> Optional.of(sum() / 60.0 / period.weeks());
    };
  }

  /** The samples by group, groups in name order. */
  public Map<String, Value> byGroup() {
    var groups = new TreeMap<String, List<Sample>>();
    for (var s : samples)
      groups.computeIfAbsent(s.group(), g -> new java.util.ArrayList<>()).add(s);
    var out = new LinkedHashMap<String, Value>();
    groups.forEach((g, list) -> out.put(g, new Value(kind, list)));
    return out;
  }
}
