package org.careloop.adapters.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import org.careloop.adapters.DateOnly;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Timing;
import org.hl7.fhir.r4.model.Type;
import org.jspecify.annotations.Nullable;

/**
 * FHIR's dates as instants. A {@code date} or a {@code dateTime} written without a time ( {@code
 * 2026-04-15}, {@code 2026-04}) names a day where the patient lives, not midnight UTC: a deadline
 * on it is due at the end of that business day, something that happened on it, at noon.
 */
final class FhirDates {
  private FhirDates() {}

  /** When a step with this date as its deadline is due. */
  static Optional<Instant> due(@Nullable BaseDateTimeType t, ZoneId zone) {
    return dayOf(t).map(d -> DateOnly.due(d, zone)).or(() -> exact(t));
  }

  /** When something dated so (an order written, a plan started) happened. */
  static Optional<Instant> happened(@Nullable BaseDateTimeType t, ZoneId zone) {
    return dayOf(t).map(d -> DateOnly.happened(d, zone)).or(() -> exact(t));
  }

  /** The due time and, for a window, its end: from a dateTime, a Period or a Timing. */
  record Window(Optional<Instant> due, Optional<Instant> end) {
    static final Window NONE = new Window(Optional.empty(), Optional.empty());
  }

  /**
   * An {@code occurrence[x]} or {@code scheduled[x]}: a dateTime is the due time; a Period is due
   * from its start and ends at its end; a Timing is due at its first event, or at the start of its
   * repeat's bounds.
   */
  static Window window(@Nullable Type value, ZoneId zone) {
    if (value instanceof DateTimeType dt) return new Window(due(dt, zone), Optional.empty());
    if (value instanceof Period p) return period(p, zone);
    if (value instanceof Timing t) {
      if (t.hasEvent()) {
        var events = t.getEvent();
        return new Window(
            due(events.get(0), zone),
            events.size() > 1 ? due(events.get(events.size() - 1), zone) : Optional.empty());
      }
      if (t.hasRepeat() && t.getRepeat().hasBoundsPeriod())
        return period(t.getRepeat().getBoundsPeriod(), zone);
    }
    return Window.NONE;
  }

  /** The most dates one order may ask for: a year of weekly sessions. */
  static final int MAX_SERIES = 52;

  /**
   * The dates of a Timing that asks for several visits: its events, in order; or its repeat, {@code
   * count} times every {@code period} (divided by {@code frequency}) from the start of its bounds
   * (or its one event). Fewer than two dates (a dateTime, a Period, a Timing of one date, a repeat
   * in hours) gives an empty list: one step, dated by {@link #window}.
   *
   * @param where the element's path, for the error when it asks for more than {@value #MAX_SERIES}
   *     dates
   */
  static java.util.List<Instant> series(@Nullable Type value, ZoneId zone, String where) {
    if (!(value instanceof Timing t)) return java.util.List.of();
    var out = new java.util.ArrayList<Instant>();
    if (t.getEvent().size() > 1) {
      if (t.getEvent().size() > MAX_SERIES)
        throw new org.careloop.app.InputRejected(
            where + ".event",
            t.getEvent().size() + " dates; careloop follows at most " + MAX_SERIES + " a step");
      for (var e : t.getEvent()) due(e, zone).ifPresent(out::add);
      out.sort(null);
      return out.size() > 1 ? out : java.util.List.of();
    }
    if (!t.hasRepeat()) return java.util.List.of();
    var r = t.getRepeat();
    if (!r.hasCount() || r.getCount() < 2 || !r.hasPeriod() || !r.hasPeriodUnit())
      return java.util.List.of();
    if (r.getCount() > MAX_SERIES)
      throw new org.careloop.app.InputRejected(
          where + ".repeat.count",
          r.getCount() + " visits; careloop follows at most " + MAX_SERIES + " a step");
    Optional<Instant> start =
        r.hasBoundsPeriod() && r.getBoundsPeriod().hasStart()
            ? due(r.getBoundsPeriod().getStartElement(), zone)
            : t.getEvent().size() == 1 ? due(t.getEvent().get(0), zone) : Optional.empty();
    if (start.isEmpty()) return java.util.List.of();
    double perVisit = r.getPeriod().doubleValue() / Math.max(1, r.getFrequency());
    long days =
        switch (r.getPeriodUnit()) {
          case D -> Math.round(perVisit);
          case WK -> Math.round(perVisit * 7);
          case MO -> Math.round(perVisit * 30);
          case A -> Math.round(perVisit * 365);
          default -> 0; // hours and minutes: a dosing schedule, not visits
        };
    if (days < 1) return java.util.List.of();
    var first = start.get().atZone(zone);
    for (int i = 0; i < r.getCount(); i++) out.add(first.plusDays(days * i).toInstant());
    return out;
  }

  /**
   * The gap between visit {@code i} of a series and the one before it, for a protocol that counts
   * each visit from the previous one; none for the first.
   */
  static Optional<java.time.Duration> gapBefore(java.util.List<Instant> dates, int i) {
    return i == 0 || i >= dates.size()
        ? Optional.empty()
        : Optional.of(java.time.Duration.between(dates.get(i - 1), dates.get(i)));
  }

  static Window period(Period p, ZoneId zone) {
    var start = p.hasStart() ? due(p.getStartElement(), zone) : Optional.<Instant>empty();
    var end = p.hasEnd() ? due(p.getEndElement(), zone) : Optional.<Instant>empty();
    return new Window(start.isPresent() ? start : end, end);
  }

  private static Optional<Instant> exact(@Nullable BaseDateTimeType t) {
    if (t == null || t.getValue() == null) return Optional.empty();
    return Optional.of(t.getValue().toInstant());
  }

  /** The day a date without a time names; empty when it has a time (or no value). */
  private static Optional<LocalDate> dayOf(@Nullable BaseDateTimeType t) {
    if (t == null || t.getValue() == null || t.getPrecision() == null) return Optional.empty();
    var precision = t.getPrecision();
    if (precision != TemporalPrecisionEnum.YEAR
        && precision != TemporalPrecisionEnum.MONTH
        && precision != TemporalPrecisionEnum.DAY) return Optional.empty();
    String text = t.getValueAsString();
    // yyyy, yyyy-MM or yyyy-MM-dd: a year or a month names its first day.
    String day = text.length() == 4 ? text + "-01-01" : text.length() == 7 ? text + "-01" : text;
    return Optional.of(LocalDate.parse(day.substring(0, 10)));
  }
}
