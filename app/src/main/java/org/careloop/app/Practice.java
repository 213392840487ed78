package org.careloop.app;

import java.time.ZoneId;
import java.util.Optional;

/**
 * A tenant: name, time zone, how patients book, and who messages come from.
 *
 * @param smsSender the practice's Twilio Messaging Service SID ({@code MG…}) or sending number
 * @param emailFrom the address the practice's emails come from
 * @param emailOpenPixel whether emails carry a tracking pixel that records opens (off unless the
 *     practice turns it on)
 * @param slotSearch a FHIR Slot search URL (e.g. {@code https://ehr.example/fhir/Slot?schedule=
 *     Schedule/12}) whose free slots a BOOK reply offers
 */
public record Practice(
    String id,
    String name,
    ZoneId zone,
    Optional<String> phone,
    Optional<String> bookingUrl,
    Optional<String> smsSender,
    Optional<String> emailFrom,
    boolean emailOpenPixel,
    Optional<String> slotSearch) {

  public Practice(
      String id, String name, ZoneId zone, Optional<String> phone, Optional<String> bookingUrl) {
    this(
        id,
        name,
        zone,
        phone,
        bookingUrl,
        Optional.empty(),
        Optional.empty(),
        false,
        Optional.empty());
  }
}
