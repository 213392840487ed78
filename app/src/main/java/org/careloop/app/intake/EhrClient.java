package org.careloop.app.intake;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.careloop.app.EhrConnection;

/** What careloop asks of an EHR's FHIR API (the adapter signs in as the connection says). */
public interface EhrClient {
  /**
   * What changed at the EHR since the cursors, read into one batch: each followed resource type
   * whose {@code meta.lastUpdated} is at or after its cursor (everything the first time), with the
   * patients, orders and plans they point at.
   *
   * @param cursors the newest {@code meta.lastUpdated} read before, by resource type
   */
  Changes changes(EhrConnection connection, Map<String, Instant> cursors);

  /**
   * What a notification named, fetched with what it points at (the patient, the orders): {@code
   * Type/id}, or {@code Type?identifier=system|value} for a focus named by an identifier only. A
   * type careloop does not follow, or a resource the EHR no longer has, reads as an empty batch.
   */
  ImportBatch fetch(EhrConnection connection, String focus);

  /**
   * The {@code meta.lastUpdated} of a resource a notification carried, when it has one; none for an
   * EHR whose notifications carry no resource (Healthie's, athenahealth's feeds).
   */
  default java.util.Optional<Instant> lastUpdated(String resourceJson) {
    return java.util.Optional.empty();
  }

  /**
   * A resource a notification carried, read as sent (no request to the EHR); refused by an EHR
   * whose notifications carry none.
   */
  default ImportBatch read(EhrConnection connection, String resourceJson, String source) {
    throw new org.careloop.app.InputRejected(
        source, "EHR connection " + connection.name() + " takes no resource sent to it");
  }

  /**
   * What one poll read.
   *
   * @param batch what was read, for the importer
   * @param cursors the newest {@code meta.lastUpdated} among what matched, by resource type
   * @param matched how many resources of each type changed
   * @param versions each resource read ({@code Type/id}) at its {@code meta.lastUpdated}, where it
   *     has one: a late notification older than what a poll took is then not imported over it
   */
  record Changes(
      ImportBatch batch,
      Map<String, Instant> cursors,
      Map<String, Integer> matched,
      Map<String, Instant> versions) {
    public Changes {
      versions = Map.copyOf(versions);
    }

    /** What a poll read that carries no resource versions (a vendor's own records). */
    public Changes(ImportBatch batch, Map<String, Instant> cursors, Map<String, Integer> matched) {
      this(batch, cursors, matched, Map.of());
    }
  }

  /** Tries the connection step by step (capability statement, sign-in, a search). */
  List<Check> check(EhrConnection connection);

  /** One step of a check: what was tried, whether it worked, and what came back. */
  record Check(String step, boolean ok, String detail) {}

  /** An EHR that cannot be reached or refuses: the connection, the request and why. */
  final class Unreachable extends RuntimeException {
    public Unreachable(String message, @org.jspecify.annotations.Nullable Throwable cause) {
      super(message, cause);
    }
  }
}
