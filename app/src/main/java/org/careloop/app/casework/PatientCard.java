package org.careloop.app.casework;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.careloop.app.PatientRecord;
import org.careloop.app.Store;
import org.careloop.core.Channel;

/**
 * The patient as a person working their case needs them at a glance: who they are, how to reach
 * them (and which channels careloop may use: a contact point on file, not opted out), their
 * language, their consent, and the last call documented on the case.
 *
 * @param ref the patient's identifier at the source (an MRN, a FHIR id)
 * @param optedOut the channels the patient opted out of
 * @param reachable the channels a message can go out on now: a contact point on file, not opted out
 * @param marketingConsentAt when the patient consented to marketing messages, if they did
 */
public record PatientCard(
    String name,
    String ref,
    Optional<String> mobile,
    Optional<String> otherPhone,
    Optional<String> email,
    Optional<String> language,
    Optional<Channel> preferred,
    Set<Channel> optedOut,
    Set<Channel> reachable,
    Optional<Instant> marketingConsentAt,
    Optional<java.time.LocalDate> birthDate) {

  public PatientCard {
    optedOut = ordered(optedOut);
    reachable = ordered(reachable);
  }

  /** Channels in their order (SMS, email, voice), unmodifiable. */
  private static Set<Channel> ordered(Set<Channel> channels) {
    var s = EnumSet.noneOf(Channel.class);
    s.addAll(channels);
    return java.util.Collections.unmodifiableSet(s);
  }

  /** The patient's card, read in {@code tx}. */
  static Optional<PatientCard> of(Store.Tx tx, String patientId) {
    return tx.patient(patientId).map(p -> of(tx, patientId, p));
  }

  private static PatientCard of(Store.Tx tx, String patientId, PatientRecord p) {
    var optedOut = EnumSet.noneOf(Channel.class);
    var reachable = EnumSet.noneOf(Channel.class);
    for (var c : List.of(Channel.SMS, Channel.EMAIL, Channel.VOICE)) {
      boolean onFile =
          switch (c) {
            case SMS -> p.mobile().isPresent();
            case EMAIL -> p.email().isPresent();
            case VOICE -> p.mobile().isPresent() || p.voicePhone().isPresent();
          };
      boolean out = tx.patientAddressKey(patientId, c).map(k -> tx.optedOut(c, k)).orElse(false);
      if (out) optedOut.add(c);
      if (onFile && !out) reachable.add(c);
    }
    return new PatientCard(
        p.firstName() + " " + p.lastName(),
        PatientRecord.ref(p.sourceKey()),
        p.mobile(),
        p.voicePhone(),
        p.email(),
        p.language(),
        p.preferredChannel(),
        optedOut,
        reachable,
        tx.marketingConsentAt(patientId),
        p.birthDate());
  }

  /** Whether a message can go out to the patient on {@code channel} now. */
  public boolean canMessage(String channel) {
    return reachable.stream().anyMatch(c -> c.name().equals(channel));
  }

  /** A number to call: the mobile, else the other phone. */
  public Optional<String> phone() {
    return mobile.or(() -> otherPhone);
  }
}
