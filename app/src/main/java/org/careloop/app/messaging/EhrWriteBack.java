package org.careloop.app.messaging;

import java.time.Clock;
import java.util.Optional;
import org.careloop.app.EhrConnection;
import org.careloop.app.Store;
import org.careloop.app.engine.CaseWrites;

/**
 * The EHR_NOTE, EHR_INBOX, EHR_FLAG and EHR_TASK channels: a note, a provider message, or a case's
 * copy (a provider review's flag, a staff task) written into the practice's EHR when the practice
 * has a connected EHR and the patient came from it (a FHIR Patient); else kept in the sandbox as
 * before. Writing is a conditional create on careloop's identifier, so an outbox retry, or a
 * message sent again after a crash, never makes a second resource.
 */
public final class EhrWriteBack implements ChannelSender {
  private final EhrWriter.Kind kind;
  private final EhrWriter writer;
  private final ChannelSender sandbox;
  private final Clock clock;

  public EhrWriteBack(EhrWriter.Kind kind, EhrWriter writer, ChannelSender sandbox, Clock clock) {
    this.kind = kind;
    this.writer = writer;
    this.sandbox = sandbox;
    this.clock = clock;
  }

  /** Where a write-back goes, as the dispatcher renders it: {@code ehr:PRACTICE:SOURCE-KEY}. */
  public static String target(String practiceId, String patientSourceKey) {
    return "ehr:" + practiceId + ":" + patientSourceKey;
  }

  private static final String PATIENT = "fhir:Patient/";

  @Override
  public Optional<String> send(Store.Tx tx, Message m) {
    String to = m.to();
    int colon = to.indexOf(':', 4);
    if (!to.startsWith("ehr:") || colon < 0)
      throw new PermanentFailure("an EHR write-back without its practice and patient");
    String practice = to.substring(4, colon);
    String patientKey = to.substring(colon + 1);
    Optional<EhrConnection> connection =
        tx.connections(practice).stream()
            // Healthie's API is read, never written to: its writes stay in the sandbox.
            .filter(c -> c.active() && c.api() == EhrConnection.Api.FHIR)
            .findFirst();
    if (connection.isEmpty() || !patientKey.startsWith(PATIENT)) return sandbox.send(tx, m);
    String patient = patientKey.substring("fhir:".length());
    if (kind.ofACase()) {
      // The case as it stands now, whichever change queued this write.
      String caseKey =
          CaseWrites.caseKey(m.idempotencyKey())
              .orElseThrow(() -> new PermanentFailure("a case's write-back without its case"));
      var state =
          tx.caseState(caseKey)
              .orElseThrow(() -> new PermanentFailure("the case of this write-back is gone"));
      return recorded(
          practice,
          connection.get(),
          m,
          writer.write(
              connection.get(),
              new EhrWriter.WriteBack(
                  kind, caseKey, patient, m.body(), false, clock.instant(), Optional.of(state))));
    }
    return recorded(
        practice,
        connection.get(),
        m,
        writer.write(
            connection.get(),
            new EhrWriter.WriteBack(
                kind,
                m.idempotencyKey(),
                patient,
                m.body(),
                m.idempotencyKey().contains(":notify:worse:"),
                clock.instant())));
  }

  /**
   * What the outbox keeps as this write's id at the channel: the EHR's resource, named with the
   * practice and connection (two EHRs hand out the same ids) and the outbox item (a case's resource
   * is written again on each change, and an EHR may keep its version when nothing changed).
   */
  private static Optional<String> recorded(
      String practice, EhrConnection connection, Message m, String resource) {
    return Optional.of(
        "ehr:" + practice + ":" + connection.name() + ":" + resource + " " + m.idempotencyKey());
  }

  /** Sending again is safe (a conditional create): a write cut off by a crash is sent again. */
  @Override
  public Lookup lookUp(Message message, java.time.Instant attemptedAt) {
    return new Lookup.NotSent();
  }
}
