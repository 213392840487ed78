package org.careloop.core;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * The hours of the day automated messages may go out, in the patient's time zone. A message due
 * outside them waits for the next allowed minute.
 */
public record AllowedHours(LocalTime from, LocalTime until) {

  /** 08:00 to 21:00: the TCPA's window for calls and texts. */
  public static final AllowedHours DEFAULT =
      new AllowedHours(LocalTime.of(8, 0), LocalTime.of(21, 0));

  /**
   * States whose law allows fewer hours than the TCPA: Florida's Telephone Solicitation Act and
   * Oklahoma's Telephone Solicitation Act both end at 20:00.
   */
  public static final Map<String, AllowedHours> STRICTER_STATES =
      Map.of(
          "FL", new AllowedHours(LocalTime.of(8, 0), LocalTime.of(20, 0)),
          "OK", new AllowedHours(LocalTime.of(8, 0), LocalTime.of(20, 0)));

  public AllowedHours {
    if (!from.isBefore(until)) {
      throw new IllegalArgumentException(
          "allowed hours must start before they end: " + from + "–" + until);
    }
  }

  /** These hours narrowed by the law of the patient's state, where it is stricter. */
  public AllowedHours in(Optional<String> region) {
    var law = region.map(r -> STRICTER_STATES.get(r.toUpperCase(java.util.Locale.ROOT)));
    if (law.isEmpty()) return this;
    var from = law.get().from.isAfter(this.from) ? law.get().from : this.from;
    var until = law.get().until.isBefore(this.until) ? law.get().until : this.until;
    return new AllowedHours(from, until);
  }

  /** {@code at} itself when it is allowed, else the next allowed instant. */
  public Instant nextAllowed(Instant at, ZoneId zone) {
    ZonedDateTime local = at.atZone(zone);
    LocalTime time = local.toLocalTime();
    if (!time.isBefore(from) && time.isBefore(until)) return at;
    var day = time.isBefore(from) ? local.toLocalDate() : local.toLocalDate().plusDays(1);
    return ZonedDateTime.of(day, from, zone).toInstant();
  }

  /** Whether a message may go out at {@code at}. */
  public boolean allows(Instant at, ZoneId zone) {
    return nextAllowed(at, zone).equals(at);
  }
}
