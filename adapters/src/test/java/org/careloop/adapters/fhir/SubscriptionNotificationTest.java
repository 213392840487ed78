package org.careloop.adapters.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.careloop.app.InputRejected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Notifications in the shapes EHRs send (the Backport IG's examples, a real server's output,
 * athenahealth's), read into their type, their events and each event's key and focus; and the
 * X-Hub-Signature athenahealth signs them with, on its own published vectors.
 */
class SubscriptionNotificationTest {
  static final Path DATA = Path.of(System.getProperty("careloop.shared.data", "../../shared/data"));
  static final Path SUBS = DATA.resolve("fhir/subscriptions");
  static final Path ATHENA = DATA.resolve("webhooks/athenahealth");

  static org.careloop.app.intake.EhrNotification read(Path file) throws Exception {
    return SubscriptionNotification.read(Files.readString(file), file.getFileName().toString());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "handshake_bundle_example.json, handshake, 0, 0",
    "heartbeat_bundle_example.json, heartbeat, 2, 0",
    "empty_notification_bundle_example.json, event-notification, 1, 1",
    "empty_notification_bundle_non_conformant_example.json, event-notification, 1, 1",
    "id_only_notification_bundle_example.json, event-notification, 1, 1",
    "full_resource_notification_bundle_example.json, event-notification, 1, 1",
    "Bundle-notification-handshake.json, handshake, 0, 0",
    "Bundle-notification-id.json, event-notification, 1, 1"
  })
  void theBackportExamples_readAsWhatTheyAre(String file, String type, long since, int events)
      throws Exception {
    var n = read(SUBS.resolve(file));
    assertThat(n.type()).isEqualTo(type);
    assertThat(n.eventsSinceStart()).contains(since);
    assertThat(n.events()).hasSize(events);
    assertThat(n.subscription()).isPresent();
    assertThat(n.topic()).isPresent();
  }

  @Test
  void anEvent_isKeyedBySubscriptionAndNumber_andPointsAtItsFocus() throws Exception {
    var idOnly = read(SUBS.resolve("Bundle-notification-id.json")).events().get(0);
    assertThat(idOnly.key()).isEqualTo("Subscription/383c610b-8a8b-4173-b363-7b811509aadd#1");
    assertThat(idOnly.number()).contains(1L);
    // A real server sends the subscription as a plain string and the focus as an absolute URL.
    assertThat(idOnly.focus()).contains("Encounter/36e1c9d9-6878-4ef0-b1ff-9f5986e2def6");
    assertThat(idOnly.resource()).isEmpty();

    var full = read(SUBS.resolve("full_resource_notification_bundle_example.json")).events().get(0);
    assertThat(full.focus()).contains("Encounter/86009987-eabe-42bf-8c02-b112b18cb616");
    assertThat(full.resource())
        .hasValueSatisfying(json ->
            assertThat(json)
                .contains("\"resourceType\":\"Encounter\"")
                .contains("86009987-eabe-42bf-8c02-b112b18cb616"));

    var empty = read(SUBS.resolve("empty_notification_bundle_example.json")).events().get(0);
    assertThat(empty.focus()).isEmpty();
    assertThat(empty.key()).isEqualTo("Subscription/123#1");
  }

  @Test
  void athenahealth_sendsASubscriptionStatus_eventsWithTheirOwnId_focusByIdentifier()
      throws Exception {
    var n = read(ATHENA.resolve("appointment-notification-body.json"));
    assertThat(n.type()).isEqualTo("event-notification");
    assertThat(n.topic())
        .contains(
            "https://api.platform.athenahealth.com/fhir/r4/SubscriptionTopic/Appointment.schedule");
    assertThat(n.subscription()).contains("Subscription/62865e96-3fe4-3f6f-b476-b8eb87b90892");
    var e = n.events().get(0);
    assertThat(e.key()).isEqualTo("0901fb5b-6858-33f2-994f-6680c0c6aadb");
    assertThat(e.focus()).isEmpty();
    assertThat(e.focusIdentifier()).contains("urn:athenahealth:athenanet:appointment:195900|2");
    for (var f : new String[] {"order-notification-body.json", "patient-notification-body.json"})
      assertThat(read(ATHENA.resolve(f)).events())
          .singleElement()
          .satisfies(ev -> {
            assertThat(ev.key()).isNotBlank();
            assertThat(ev.focusIdentifier()).isPresent();
          });
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"resourceType\": \"Patient\"}" + "|a notification is a Bundle, not a Patient",
        "{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"entry\": []}"
            + "|a notification Bundle is of type history (R4) or subscription-notification, not"
            + " 'searchset'",
        "{\"resourceType\": \"Bundle\", \"type\": \"history\", \"entry\": []}"
            + "|a notification has its status first",
        "{\"resourceType\": \"Bundle\", \"type\": \"history\", \"entry\": [{\"resource\":"
            + " {\"resourceType\": \"Encounter\"}}]}"
            + "|the status is a Parameters or SubscriptionStatus, not a Encounter",
        "{\"resourceType\": \"Bundle\", \"type\": \"history\", \"entry\": [{\"resource\":"
            + " {\"resourceType\": \"Parameters\", \"parameter\": [{\"name\": \"type\","
            + " \"valueCode\": \"event\"}]}}]}"
            + "|notification type 'event' is not one of",
        "{\"resourceType\": \"Bundle\", \"type\": \"history\", \"entry\": [{\"resource\":"
            + " {\"resourceType\": \"Parameters\", \"parameter\": [{\"name\": \"type\","
            + " \"valueCode\": \"event-notification\"}, {\"name\": \"notification-event\","
            + " \"part\": [{\"name\": \"event-number\", \"valueString\": \"one\"}]}]}}]}"
            + "|'one' is not a count",
        "{\"resourceType\": \"Bundle\", \"type\": \"history\", \"entry\": [{\"resource\":"
            + " {\"resourceType\": \"SubscriptionStatus\", \"type\": \"event-notification\","
            + " \"notificationEvent\": [{\"timestamp\": \"2026-12-01T10:00:00Z\"}]}}]}"
            + "|a notification event has neither an id nor an event number",
        "{\"resourceType\": |not JSON"
      })
  void aBadNotification_isRefusedNamingWhatAndWhere(String body, String message) {
    assertThatThrownBy(() -> SubscriptionNotification.read(body, "notification to main"))
        .isInstanceOf(InputRejected.class)
        .hasMessageContaining("notification to main")
        .hasMessageContaining(message);
  }

  @Test
  void aHandMadeR4bStatus_withEventsCountedAsNumbers_andAFocusReference() {
    var body =
        """
        {"resourceType": "Bundle", "type": "subscription-notification", "entry": [
          {"resource": {"resourceType": "SubscriptionStatus", "type": "event-notification",
            "eventsSinceSubscriptionStart": 7,
            "subscription": {"reference": "Subscription/s1"},
            "topic": "http://ehr.example/topic/appointment",
            "notificationEvent": [
              {"eventNumber": 6, "focus": {"reference": "Appointment/a6"}},
              {"eventNumber": "7", "focus": {"reference": "http://ehr.example/fhir/Appointment/a7"}}]}},
          {"fullUrl": "http://ehr.example/fhir/Appointment/a7",
           "resource": {"resourceType": "Appointment", "id": "a7", "status": "booked"}}]}
        """;
    var n = SubscriptionNotification.read(body, "hand-made");
    assertThat(n.eventsSinceStart()).contains(7L);
    assertThat(n.events())
        .extracting(org.careloop.app.intake.EhrNotification.Event::key)
        .containsExactly("Subscription/s1#6", "Subscription/s1#7");
    assertThat(n.events().get(0).resource()).isEmpty();
    assertThat(n.events().get(1).resource()).hasValueSatisfying(j -> assertThat(j).contains("a7"));
    assertThat(n.events().get(1).number()).isEqualTo(Optional.of(7L));
  }

  /** athenahealth's vectors: each body, byte for byte, verifies; a changed byte does not. */
  @Test
  void theXHubSignature_verifiesAthenahealthsVectors_andNothingElse() throws Exception {
    var vectors =
        tools.jackson.databind.json.JsonMapper.builder()
            .build()
            .readTree(Files.readString(ATHENA.resolve("x-hub-signature-vectors.json")));
    var hub = new HubSignature(vectors.path("secret").asString());
    int checked = 0;
    for (var v : vectors.path("cases").values()) {
      byte[] body = Files.readAllBytes(ATHENA.resolve(v.path("body_file").asString()));
      assertThat(body).hasSize(v.path("body_bytes").asInt());
      String header = v.path("X-Hub-Signature").asString();
      assertThat(hub.verifies(body, header)).isEqualTo(v.path("valid").asBoolean());
      assertThat(hub.sign(body)).isEqualTo(header);
      for (int i : new int[] {0, body.length / 2, body.length - 1}) {
        byte[] changed = body.clone();
        changed[i] ^= 1;
        assertThat(hub.verifies(changed, header)).as("byte " + i + " changed").isFalse();
      }
      assertThat(hub.verifies(body, null)).isFalse();
      assertThat(hub.verifies(body, header.replace("sha256=", "sha1="))).isFalse();
      assertThat(hub.verifies(body, header.substring(0, header.length() - 1))).isFalse();
      assertThat(new HubSignature("another secret").verifies(body, header)).isFalse();
      checked++;
    }
    assertThat(checked).isEqualTo(3);
  }

  /**
   * R4's criteria-based rest-hook: with a payload, the matched resource is PUT to
   * [endpoint]/[type]/[id] and is one event keyed by its version (the same version sent twice is
   * one event); without one, an empty POST is a ping, worked as a poll.
   */
  @Test
  void anR4RestHookUpdate_isOneEventKeyedByItsVersion_andAPingIsAnEmptyEvent() {
    String body =
        "{\"resourceType\": \"Appointment\", \"id\": \"a1\", \"status\": \"booked\","
            + " \"meta\": {\"versionId\": \"3\", \"lastUpdated\": \"2026-12-04T10:00:00Z\"}}";
    var n = SubscriptionNotification.restHook("Appointment", "a1", body, "notification");
    assertThat(n.events())
        .singleElement()
        .satisfies(e -> {
          assertThat(e.key()).isEqualTo("rest-hook:Appointment/a1/_history/3");
          assertThat(e.focus()).contains("Appointment/a1");
          assertThat(e.resource()).contains(body);
        });
    assertThat(
            SubscriptionNotification.restHook("Appointment", "a1", body, "n").events().get(0).key())
        .isEqualTo(n.events().get(0).key());
    var ping = SubscriptionNotification.ping();
    assertThat(ping.events())
        .singleElement()
        .satisfies(e -> {
          assertThat(e.focus()).isEmpty();
          assertThat(e.resource()).isEmpty();
        });
    assertThat(SubscriptionNotification.ping().events().get(0).key())
        .isNotEqualTo(ping.events().get(0).key());
  }

  @Test
  void anR4RestHookUpdate_whoseResourceIsNotTheAddresses_isRefusedNamingTheField() {
    String body = "{\"resourceType\": \"Patient\", \"id\": \"a1\"}";
    assertThatThrownBy(() -> SubscriptionNotification.restHook("Appointment", "a1", body, "n"))
        .isInstanceOf(InputRejected.class)
        .satisfies(e -> assertThat(((InputRejected) e).where()).isEqualTo("n: resourceType"));
    String other = "{\"resourceType\": \"Appointment\", \"id\": \"a2\"}";
    assertThatThrownBy(() -> SubscriptionNotification.restHook("Appointment", "a1", other, "n"))
        .isInstanceOf(InputRejected.class)
        .satisfies(e -> assertThat(((InputRejected) e).where()).isEqualTo("n: id"));
    assertThatThrownBy(() -> SubscriptionNotification.restHook("appointment", "a1", other, "n"))
        .isInstanceOf(InputRejected.class);
    assertThatThrownBy(() -> SubscriptionNotification.restHook("Appointment", "a1", "{", "n"))
        .isInstanceOf(InputRejected.class)
        .hasMessageContaining("not JSON");
  }
}
