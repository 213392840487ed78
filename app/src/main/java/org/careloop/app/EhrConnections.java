package org.careloop.app;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A practice's EHR connections and how far polling has read each (part of {@link Store.Tx}). */
public interface EhrConnections {
  /**
   * Saves a connection: a new one, or new settings for one of the same name (connected again if it
   * was disconnected, its cursors kept).
   */
  void saveConnection(EhrConnection connection, Instant now);

  Optional<EhrConnection> connection(String practiceId, String name);

  /** The practice's connections, connected or not, by name. */
  List<EhrConnection> connections(String practiceId);

  /** Stops polling and writing to it; its settings and cursors stay for the record. */
  void disconnect(String practiceId, String name, Instant now);

  /** The newest {@code meta.lastUpdated} read so far, by resource type. */
  Map<String, Instant> cursors(String practiceId, String name);

  /** Moves a resource type's cursor forward (never back). */
  void advanceCursor(
      String practiceId, String name, String resourceType, Instant lastUpdated, Instant now);
}
