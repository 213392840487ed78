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
