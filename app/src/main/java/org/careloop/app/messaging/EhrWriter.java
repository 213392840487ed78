package org.careloop.app.messaging;

import java.time.Instant;
import org.careloop.app.EhrConnection;

/** What careloop writes into an EHR through its FHIR API (the adapter signs in as for reading). */
public interface EhrWriter {
  /** What a write-back is. */
  enum Kind {
    /** A note on the patient's chart: a step kept, a plan accepted or ended. */
    NOTE,
    /** A message to the provider: a care gap at the provider's tier, worse symptoms reported. */
    PROVIDER_MESSAGE,
    /** A provider review case: a flag on the patient, active while the case is open. */
    PROVIDER_REVIEW,
    /** A case for staff in the EHR's task list, completed there when it closes. */
    STAFF_TASK;

    /**
     * Whether it is a copy of a case, written again (a conditional update) as the case changes,
     * rather than created once.
     */
    public boolean ofACase() {
      return this == PROVIDER_REVIEW || this == STAFF_TASK;
    }
  }

  /**
   * One write-back.
   *
   * @param identifier careloop's own id for it (the outbox item's key): the EHR keeps one resource
   *     per identifier, so writing it again changes nothing
   * @param patient the patient at the EHR, {@code Patient/id}
   * @param urgent for a provider message: it asks for action now (worse symptoms)
   * @param of for a case's copy: the case as it stands now (its identifier is the case's key)
   */
  record WriteBack(
      Kind kind,
      String identifier,
      String patient,
      String text,
      boolean urgent,
      Instant at,
      java.util.Optional<org.careloop.app.Store.Tasks.CaseState> of) {

    /** A note or a provider message. */
    public WriteBack(
        Kind kind, String identifier, String patient, String text, boolean urgent, Instant at) {
      this(kind, identifier, patient, text, urgent, at, java.util.Optional.empty());
    }
  }

  /**
   * Creates the write-back's resource at the EHR unless one with its identifier is there already (a
   * conditional create), or, for a case's copy, creates it or brings the one there up to date (a
   * conditional update); and says which it is ({@code DocumentReference/123}, with {@code
   * /_history/2} when the EHR gives its version).
   *
   * @throws ChannelSender.PermanentFailure when the EHR refuses it for good (it is invalid there)
   * @throws RuntimeException when the EHR cannot be reached now (tried again)
   */
  String write(EhrConnection connection, WriteBack writeBack);

  /** The system of careloop's identifiers on what it writes. */
  String IDENTIFIER_SYSTEM = "urn:careloop:write-back";
}
