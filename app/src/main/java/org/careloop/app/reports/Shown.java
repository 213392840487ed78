package org.careloop.app.reports;

import java.text.NumberFormat;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** A figure in words, as the dashboard, its CSV and its printed page say it. */
public final class Shown {
  private Shown() {}

  /** The figure: "67% (4 of 6)", "median 1 h, 90th percentile 2 d (2 of 3)", "$430.00". */
  public static String value(Value v, Period period) {
    if (v.of() == 0 && v.kind() != Metric.Kind.HOURS_PER_WEEK) return "none in the period";
    return switch (v.kind()) {
      case SHARE ->
          Math.round(100.0 * v.counted() / v.of()) + "% (" + v.counted() + " of " + v.of() + ")";
      case DURATION ->
          v.median()
              .map(m ->
                  "median "
                      + duration(m)
                      + ", 90th percentile "
                      + duration(v.p90().orElseThrow())
                      + " ("
                      + v.counted()
                      + " of "
                      + v.of()
                      + ")")
              .orElse("none yet (0 of " + v.of() + ")");
      case COUNT -> String.valueOf(v.counted());
      case MONEY -> money(v.sum());
      case HOURS -> hours(v.sum() / 60.0);
      case HOURS_PER_WEEK -> hours(v.sum() / 60.0 / period.weeks()) + " a week";
    };
  }

  /** How the period differs from the one before, in the figure's own unit. */
  public static String change(Dashboard.Figure f, Period period) {
    Optional<Double> now = f.now().number(period);
    Optional<Double> before = f.before().number(period.previous());
    if (now.isEmpty() || before.isEmpty()) return "no comparison";
    double d = now.get() - before.get();
    String sign = d > 0 ? "+" : d < 0 ? "−" : "±";
    double a = Math.abs(d);
    return switch (f.metric().kind()) {
      case SHARE -> sign + Math.round(a) + " points";
      case DURATION -> sign + duration(Duration.ofSeconds(Math.round(a * 3600))) + " median";
      case COUNT -> sign + Math.round(a);
      case MONEY -> sign + money(Math.round(a * 100));
      case HOURS, HOURS_PER_WEEK -> sign + hours(a);
    };
  }

  /** "under a minute", "45 min", "3 h 20 min", "2 d 4 h". */
  public static String duration(Duration d) {
    long minutes = d.toMinutes();
    if (minutes < 1) return "under a minute";
    if (minutes < 60) return minutes + " min";
    long hours = d.toHours();
    if (hours < 24) return hours + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
    return d.toDays() + " d" + (hours % 24 == 0 ? "" : " " + hours % 24 + " h");
  }

  /** Cents as dollars: "$1,240.00". */
  public static String money(long cents) {
    return NumberFormat.getCurrencyInstance(Locale.US).format(cents / 100.0);
  }

  static String hours(double h) {
    return String.format(Locale.ROOT, "%.1f h", h);
  }
}
