package org.careloop.app;

import java.time.ZoneId;
import java.util.Optional;
import org.careloop.core.Channel;
import org.careloop.core.Reach;

/**
 * A patient as a source describes them. Contact points stay in the application's stores and are
 * read only to deliver a message; the core sees only {@link #reach()}.
 *
 * @param sourceKey the source's identifier, e.g. {@code fhir:Patient/123} or {@code csv:MRN-9}
 * @param mobile a phone number in E.164 that can take text messages
 * @param voicePhone a number for calls only (work, landline)
 * @param region the state of the patient's address (e.g. {@code FL}), for state-law quiet hours
 * @param birthDate the date of birth, when the source sends a whole one: shown to staff and
 *     searched by, never put in a message
 */
public record PatientRecord(
    String sourceKey,
    String practiceId,
    String firstName,
    String lastName,
    Optional<String> mobile,
    Optional<String> voicePhone,
    Optional<String> email,
    Optional<Channel> preferredChannel,
    Optional<String> language,
    ZoneId zone,
    Optional<String> region,
    Optional<java.time.LocalDate> birthDate) {

  public PatientRecord(
      String sourceKey,
      String practiceId,
      String firstName,
      String lastName,
      Optional<String> mobile,
      Optional<String> voicePhone,
      Optional<String> email,
      Optional<Channel> preferredChannel,
      Optional<String> language,
      ZoneId zone,
      Optional<String> region) {
    this(
        sourceKey,
        practiceId,
        firstName,
        lastName,
        mobile,
        voicePhone,
        email,
        preferredChannel,
        language,
        zone,
        region,
        Optional.empty());
  }

  /** The same patient born on {@code day} (or with no date of birth known). */
  public PatientRecord withBirthDate(Optional<java.time.LocalDate> day) {
    return new PatientRecord(
        sourceKey,
        practiceId,
        firstName,
        lastName,
        mobile,
        voicePhone,
        email,
        preferredChannel,
        language,
        zone,
        region,
        day);
  }

  public PatientRecord(
      String sourceKey,
      String practiceId,
      String firstName,
      String lastName,
      Optional<String> mobile,
      Optional<String> voicePhone,
      Optional<String> email,
      Optional<Channel> preferredChannel,
      Optional<String> language,
      ZoneId zone) {
    this(
        sourceKey,
        practiceId,
        firstName,
        lastName,
        mobile,
        voicePhone,
        email,
        preferredChannel,
        language,
        zone,
        Optional.empty());
  }

  /**
   * A source key as people know it, to show and to search by: {@code csv:patient:MRN1} is {@code
   * MRN1}, {@code fhir:Patient/123} is {@code Patient/123}.
   */
  public static String ref(String sourceKey) {
    return sourceKey.replaceFirst("^csv:patient:", "").replaceFirst("^[a-z]+:", "");
  }

  /** What the core needs to choose channels. */
  public Reach reach() {
    return new Reach(
        mobile.isPresent(),
        email.isPresent(),
        mobile.isPresent() || voicePhone.isPresent(),
        preferredChannel,
        zone,
        region);
  }
}
