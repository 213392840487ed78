package org.careloop.app;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

/** A practice's settings as an administrator changes them. */
public interface Settings {
  PracticeSettings settings(String practiceId);

  /** Stores the practice's identity, senders, options and caps (its holidays apart). */
  void saveSettings(PracticeSettings settings);

  /**
   * Makes {@code day} a holiday of the practice, or a working day again.
   *
   * @return whether anything changed
   */
  boolean setHoliday(String practiceId, LocalDate day, boolean holiday);

  /** The protocol the practice chose per event. */
  Map<String, String> practiceProtocols(String practiceId);

  /** The practice's event starts this protocol from now on. */
  void choosePracticeProtocol(String practiceId, String event, String protocolId);

  /** Records a patient's consent to marketing messages at {@code at}, or withdraws it. */
  void setMarketingConsent(String patientId, Optional<Instant> at);

  /** When the patient consented to marketing messages; empty when they have not. */
  Optional<Instant> marketingConsentAt(String patientId);
}
