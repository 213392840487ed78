package org.careloop.app.intake;

import java.util.List;
import java.util.Optional;

/**
 * A FHIR Subscriptions notification as careloop took it from an EHR (read by the FHIR adapter from
 * whichever shape the EHR sends).
 *
 * @param type handshake, heartbeat, event-notification, query-status or query-event
 * @param subscription the subscription's reference as sent, when sent
 * @param topic the topic's canonical URL, when sent
 * @param eventsSinceStart the event count the sender had reached (to notice a gap)
 * @param events what happened, in the notification's order
 */
public record EhrNotification(
    String type,
    Optional<String> subscription,
    Optional<String> topic,
    Optional<Long> eventsSinceStart,
    List<Event> events) {

  public EhrNotification {
    events = List.copyOf(events);
  }

  /**
   * One event of a notification.
   *
   * @param key what a redelivery of the same event repeats: the event's own id (athenahealth), else
   *     the subscription and the event number
   * @param focus the resource it is about, as {@code Type/id}, when the sender gave a reference
   * @param focusIdentifier {@code system|value} when the sender named the resource by an identifier
   *     only
   * @param resource the resource itself as JSON (a full-resource payload)
   */
  public record Event(
      String key,
      Optional<Long> number,
      Optional<String> focus,
      Optional<String> focusIdentifier,
      Optional<String> resource) {}
}
