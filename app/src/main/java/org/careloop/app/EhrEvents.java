package org.careloop.app;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What EHR notifications said, kept before they are answered and worked through after (part of
 * {@link Store.Tx}): every row keyed by (practice, connection, event key), so a redelivered event
 * is stored once.
 */
public interface EhrEvents {
  /** What working an event takes. */
  enum Work {
    /** Import the resource the notification carried (a full-resource payload). */
    RESOURCE,
    /** Fetch the resource the notification named (an id-only payload) and import it. */
    FETCH,
    /** Poll the connection (an empty payload, a focus careloop cannot fetch, or missed events). */
    POLL
  }

  /**
   * One stored event.
   *
   * @param key what a redelivery repeats (the event's id, or subscription and number)
   * @param focus what to fetch: {@code Type/id} or {@code Type?identifier=system|value}
   * @param resource the resource as sent (stored encrypted)
   * @param attempts how often working it failed so far
   */
  record EhrEvent(
      long id,
      String practiceId,
      String connection,
      String key,
      Work work,
      Optional<String> focus,
      Optional<String> resource,
      Instant receivedAt,
      int attempts) {}

  /** Stores a new event; false when an event of that key is already stored (a redelivery). */
  default boolean addEvent(
      String practiceId,
      String connection,
      String key,
      Work work,
      Optional<String> focus,
      Optional<String> resource,
      Instant receivedAt) {
    return addEvent(practiceId, connection, key, work, focus, resource, receivedAt, receivedAt);
  }

  /**
   * Stores a new event to be worked from {@code notBefore}; false when an event of that key is
   * already stored (a redelivery).
   */
  boolean addEvent(
      String practiceId,
      String connection,
      String key,
      Work work,
      Optional<String> focus,
      Optional<String> resource,
      Instant receivedAt,
      Instant notBefore);

  /** How many of these event keys the connection has stored. */
  int storedEvents(String practiceId, String connection, java.util.Collection<String> keys);

  /** The connection's events not yet worked whose next try is due, oldest first. */
  List<EhrEvent> dueEvents(String practiceId, String connection, Instant now, int limit);

  /** The event is worked: what came of it, in words that quote no patient value. */
  void eventDone(String practiceId, String connection, long id, String outcome, Instant at);

  /** Working the event failed for now: tried again from {@code next}. */
  void eventRetry(String practiceId, String connection, long id, String outcome, Instant next);

  /** How many of the connection's events wait to be worked. */
  int pendingEvents(String practiceId, String connection);

  /**
   * What the EHR last said about its subscription.
   *
   * @param at when its last notification came
   * @param type the last notification's type (handshake, heartbeat, event-notification)
   * @param eventsSeen the highest event count it has reported
   */
  record Subscription(Instant at, String type, Optional<Long> eventsSeen) {}

  /** Records a notification's arrival and the event count it reports. */
  void noteNotification(
      String practiceId,
      String connection,
      String type,
      Optional<Long> eventsSeen,
      boolean restart,
      Instant at);

  Optional<Subscription> subscription(String practiceId, String connection);

  /**
   * Holds the connection until the transaction ends: notifications to one connection are taken one
   * at a time (two deliveries of the same event at once store it once and answer both; the count
   * read then raised is not lost).
   */
  void lockConnection(String practiceId, String connection);

  /**
   * Forgets events worked before {@code before}, of every practice: an EHR redelivers for days at
   * most (Healthie three, athenahealth fewer), so a key older than that is never seen again; one
   * that is, is worked again, which changes nothing.
   *
   * @return how many were forgotten
   */
  int purgeWorkedEvents(Instant before);

  /** The newest {@code meta.lastUpdated} taken from a notification for {@code focus} (Type/id). */
  Optional<Instant> takenVersion(String practiceId, String connection, String focus);

  /** Records that {@code focus} was taken at {@code lastUpdated}, unless a newer one was. */
  void tookVersion(String practiceId, String connection, String focus, Instant lastUpdated);

  /**
   * Newer versions of resources careloop took before, read by a poll ({@code Type/id} to its {@code
   * meta.lastUpdated}): kept for those already followed here, so that a late notification older
   * than what the poll took is not imported over it. Resources not taken before are not added (the
   * table would otherwise mirror the EHR).
   */
  void tookNewerVersions(
      String practiceId, String connection, java.util.Map<String, Instant> versions);
}
