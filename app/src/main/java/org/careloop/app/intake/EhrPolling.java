package org.careloop.app.intake;

import java.time.Instant;
import java.util.Map;
import org.careloop.app.EhrConnection;
import org.careloop.app.Store;

/**
 * Polling an EHR connection: what changed since the cursors is read, imported as one input (one
 * transaction, like a file), and only then are the cursors moved. A crash between the two reads the
 * same changes again next time, and importing them again changes nothing: downtime loses nothing
 * and duplicates nothing.
 */
public final class EhrPolling {
  private final Store store;
  private final Importer importer;
  private final EhrClient client;

  public EhrPolling(Store store, Importer importer, EhrClient client) {
    this.store = store;
    this.importer = importer;
    this.client = client;
  }

  /**
   * What one poll did.
   *
   * @param read how many resources of each followed type had changed
   * @param imported what the import did with them (absent when nothing changed)
   * @param notes what the read and the import noted (a resource careloop cannot take left out),
   *     also when nothing else changed
   */
  public record Result(
      EhrConnection connection,
      Map<String, Integer> read,
      java.util.Optional<ImportResult> imported,
      java.util.List<String> notes) {

    public Result {
      notes = java.util.List.copyOf(notes);
    }
  }

  /** Polls the practice's connection {@code name} once. */
  public Result poll(String practiceId, String name, Instant now) {
    var connection = active(practiceId, name);
    var cursors = store.inTransaction(tx -> tx.cursors(practiceId, name));
    var changes = client.changes(connection, cursors);
    var batch = changes.batch();
    java.util.Optional<ImportResult> imported =
        batch.patients().isEmpty() && batch.plans().isEmpty() && batch.appointments().isEmpty()
            ? java.util.Optional.empty()
            : java.util.Optional.of(importer.importBatch(batch, now));
    store.inTransaction(tx -> {
      changes.cursors().forEach((type, at) -> tx.advanceCursor(practiceId, name, type, at, now));
      tx.tookNewerVersions(practiceId, name, changes.versions());
      return null;
    });
    return new Result(
        connection,
        changes.matched(),
        imported,
        imported.map(ImportResult::notes).orElse(batch.warnings()));
  }

  /**
   * What one connection's poll came to in {@link #pollAll}: its result, or the kind of failure
   * (never its message, which could quote a value the EHR sent).
   */
  public record Outcome(
      String practiceId,
      String name,
      java.util.Optional<Result> result,
      java.util.Optional<String> failure) {}

  /** Polls every connected connection of every practice once; one failing stops no other. */
  public java.util.List<Outcome> pollAll(Instant now) {
    var outcomes = new java.util.ArrayList<Outcome>();
    for (var practiceId : store.inTransaction(Store.Tx::practiceIds))
      for (var c : store.inTransaction(tx -> tx.connections(practiceId))) {
        if (!c.active()) continue;
        try {
          outcomes.add(
              new Outcome(
                  practiceId,
                  c.name(),
                  java.util.Optional.of(poll(practiceId, c.name(), now)),
                  java.util.Optional.empty()));
        } catch (RuntimeException e) {
          outcomes.add(
              new Outcome(
                  practiceId,
                  c.name(),
                  java.util.Optional.empty(),
                  java.util.Optional.of(e.getClass().getSimpleName())));
        }
      }
    return outcomes;
  }

  /** The practice's connection {@code name}, connected. */
  public EhrConnection active(String practiceId, String name) {
    var connection =
        store
            .inTransaction(tx -> tx.connection(practiceId, name))
            .orElseThrow(() -> new IllegalArgumentException("no EHR connection '" + name + "'"));
    if (!connection.active())
      throw new IllegalArgumentException("the EHR connection '" + name + "' is disconnected");
    return connection;
  }
}
