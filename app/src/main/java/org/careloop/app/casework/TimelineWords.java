package org.careloop.app.casework;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.careloop.app.Reads;

/**
 * A timeline line as a coordinator reads it: "Done", "Held back" instead of the engine's kinds, and
 * "day-7 check-in" instead of the agenda key {@code checkin:step-1:d7} it starts with. The stored
 * line is not changed; this is how the case page says it.
 */
public final class TimelineWords {
  private TimelineWords() {}

  /** A line in words. */
  public record Line(java.time.Instant at, String label, String text) {}

  static final Map<String, String> KINDS =
      Map.of(
          "event", "Happened",
          "decision", "Decided",
          "effect", "Done",
          "skipped", "Held back",
          "withheld", "Not sent",
          "escalated", "Escalated",
          "reconciled", "Checked after a restart");

  static final Map<String, String> ITEMS =
      Map.ofEntries(
          Map.entry("checkin", "check-in"),
          Map.entry("intake", "first message"),
          Map.entry("gap", "care-gap step"),
          Map.entry("missed-outreach", "outreach after a missed visit"),
          Map.entry("missed-no-reply", "no reply after a missed visit"),
          Map.entry("rebook-check", "rebooking check"),
          Map.entry("expire", "expiry"),
          Map.entry("task", "case"),
          Map.entry("provider-review", "provider review"),
          Map.entry("provider", "provider notice"),
          Map.entry("note", "chart note"),
          Map.entry("oneoff", "one-off message"),
          Map.entry("cycle", "recall cycle"),
          Map.entry("held", "held message"),
          Map.entry("cap", "message cap"),
          Map.entry("optout", "opt-out"),
          Map.entry("outcome", "visit outcome"),
          Map.entry("reengaged", "re-engaged"),
          Map.entry("notify", "notice"));

  /** An agenda key at the start of a line: its first word, its parts, then ": ". */
  private static final Pattern KEY = Pattern.compile("^([a-z][a-z-]*)((?::[A-Za-z0-9._#-]+)*): ");

  private static final Pattern DAY = Pattern.compile(":d(\\d+)(?=:|$)");

  /** The line in words. */
  public static Line of(Reads.TimelineRow row) {
    return new Line(
        row.at(), KINDS.getOrDefault(row.kind(), capitalised(row.kind())), text(row.text()));
  }

  /** The text with its leading agenda key, if any, in words. */
  static String text(String text) {
    var m = KEY.matcher(text);
    if (!m.find() || !ITEMS.containsKey(m.group(1))) return text;
    var day = DAY.matcher(m.group(2));
    String item = ITEMS.get(m.group(1));
    String words = day.find() ? "day-" + day.group(1) + " " + item : item;
    return capitalised(words) + ": " + text.substring(m.end());
  }

  private static String capitalised(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }
}
