package org.careloop.app.admin;

import java.time.Instant;
import java.util.List;
import org.careloop.app.EhrConnection;
import org.careloop.app.Store;

/**
 * A practice's EHR connections as its administrator sets them up: connected, changed and
 * disconnected, each audited with what changed (settings only: a connection holds no secret).
 */
public final class EhrSetup {
  private final Store store;

  public EhrSetup(Store store) {
    this.store = store;
  }

  /** Saves a new connection or new settings for one, connected. */
  public void connect(String actor, EhrConnection connection, Instant now) {
    if (!connection.name().matches("[a-z0-9][a-z0-9-]{0,63}"))
      throw new IllegalArgumentException(
          "an EHR connection's name is lower-case letters, digits and dashes, not '"
              + connection.name()
              + "'");
    store.inTransaction(tx -> {
      boolean known = tx.connection(connection.practiceId(), connection.name()).isPresent();
      tx.saveConnection(connection, now);
      tx.audit(
          actor,
          connection.practiceId(),
          known ? "ehr.reconnect" : "ehr.connect",
          "ehr " + connection.name(),
          connection.fhirBase() + " (" + connection.auth().words() + ")",
          now);
      return null;
    });
  }

  /** Stops polling and writing to a connection; its settings and cursors stay. */
  public void disconnect(String actor, String practiceId, String name, Instant now) {
    store.inTransaction(tx -> {
      var c =
          tx.connection(practiceId, name)
              .orElseThrow(() -> new IllegalArgumentException("no EHR connection '" + name + "'"));
      if (!c.active())
        throw new IllegalArgumentException("the EHR connection '" + name + "' is disconnected");
      tx.disconnect(practiceId, name, now);
      tx.audit(actor, practiceId, "ehr.disconnect", "ehr " + name, null, now);
      return null;
    });
  }

  /** The practice's connections, connected or not, by name. */
  public List<EhrConnection> connections(String practiceId) {
    return store.inTransaction(tx -> tx.connections(practiceId));
  }

  /** A connection and how far polling has read it, by resource type. */
  public java.util.Optional<Shown> show(String practiceId, String name) {
    return store.inTransaction(tx ->
        tx.connection(practiceId, name)
            .map(c ->
                new Shown(
                    c,
                    tx.cursors(practiceId, name),
                    tx.subscription(practiceId, name),
                    tx.pendingEvents(practiceId, name))));
  }

  /**
   * A connection as shown: its settings, its cursors, what its EHR last said of the subscription,
   * and how many notified events wait to be worked.
   */
  public record Shown(
      EhrConnection connection,
      java.util.Map<String, Instant> cursors,
      java.util.Optional<org.careloop.app.EhrEvents.Subscription> subscription,
      int pending) {}

  /** Keeps a new signing key of the practice (made by the caller), audited by its kid. */
  public void addKey(String actor, org.careloop.app.SigningKeys.SigningKey key, Instant now) {
    store.inTransaction(tx -> {
      tx.saveKey(key);
      tx.audit(actor, key.practiceId(), "ehr.key.add", "key " + key.kid(), key.alg(), now);
      return null;
    });
  }

  /** Takes a key out of use and out of the JWKS. */
  public void retireKey(String actor, String practiceId, String kid, Instant now) {
    store.inTransaction(tx -> {
      if (!tx.retireKey(practiceId, kid, now))
        throw new IllegalArgumentException("no signing key " + kid + " in use");
      tx.audit(actor, practiceId, "ehr.key.retire", "key " + kid, null, now);
      return null;
    });
  }

  /** The practice's keys, newest first, retired ones too. */
  public List<org.careloop.app.SigningKeys.SigningKey> keys(String practiceId) {
    return store.inTransaction(tx -> tx.keys(practiceId));
  }

  /** The key the practice signs with now: its newest not retired. */
  public java.util.Optional<org.careloop.app.SigningKeys.SigningKey> signingKey(String practiceId) {
    return keys(practiceId).stream().filter(k -> k.retiredAt().isEmpty()).findFirst();
  }
}
