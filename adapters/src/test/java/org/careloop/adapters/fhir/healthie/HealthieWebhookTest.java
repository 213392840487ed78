package org.careloop.adapters.fhir.healthie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.careloop.app.InputRejected;
import org.junit.jupiter.api.Test;

/**
 * Healthie's webhook bodies as its event reference documents them: an appointment or client event
 * is one event naming what to fetch, each delivery its own; an event about something careloop does
 * not follow holds nothing to work; a body that is not one is refused naming the field.
 */
class HealthieWebhookTest {
  static final String SOURCE = "notification to EHR connection healthie";

  @Test
  void anAppointmentEvent_namesTheAppointmentToFetch_withAnIdAsStringOrNumber() {
    var n =
        HealthieWebhook.read(
            """
            {"resource_id": "67890", "resource_id_type": "Appointment",
             "event_type": "appointment.updated", "changed_fields": ["date", "pm_status"]}
            """,
            SOURCE);
    assertThat(n.type()).isEqualTo("event-notification");
    assertThat(n.events())
        .singleElement()
        .satisfies(e -> {
          assertThat(e.focus()).contains("Appointment/67890");
          assertThat(e.key()).startsWith("healthie:appointment.updated:67890:");
          assertThat(e.resource()).isEmpty();
        });
    var deleted =
        HealthieWebhook.read(
            """
            {"resource_id": 67890, "resource_id_type": "Appointment",
             "event_type": "appointment.deleted", "changed_fields": [],
             "resource_organization_id": "org_123"}
            """,
            SOURCE);
    assertThat(deleted.events().get(0).focus()).contains("Appointment/67890");
    // Healthie gives a delivery no id: two deliveries are two events (fetching twice is harmless).
    assertThat(deleted.events().get(0).key())
        .isNotEqualTo(
            HealthieWebhook.read(
                    """
                    {"resource_id": 67890, "resource_id_type": "Appointment",
                     "event_type": "appointment.deleted", "changed_fields": []}
                    """,
                    SOURCE)
                .events()
                .get(0)
                .key());
  }

  @Test
  void aClientEvent_namesThePatient_andAnythingElseHoldsNothingToWork() {
    var client =
        HealthieWebhook.read(
            """
            {"resource_id": "501", "resource_id_type": "User", "event_type": "patient.updated",
             "changed_fields": ["phone_number"]}
            """,
            SOURCE);
    assertThat(client.events().get(0).focus()).contains("Patient/501");
    var form =
        HealthieWebhook.read(
            """
            {"resource_id": "88", "resource_id_type": "FormAnswerGroup",
             "event_type": "form_answer_group.created", "changed_fields": []}
            """,
            SOURCE);
    assertThat(form.events()).isEmpty();
  }

  @Test
  void aBodyThatIsNotAHealthieWebhook_isRefusedNamingTheField() {
    assertRefused(
        "{\"resource_id_type\": \"Appointment\", \"event_type\": \"appointment.created\"}",
        SOURCE + ": resource_id");
    assertRefused(
        "{\"resource_id\": \"1\", \"event_type\": \"appointment.created\"}",
        SOURCE + ": resource_id_type");
    assertRefused(
        "{\"resource_id\": \"1\", \"resource_id_type\": \"Appointment\"}", SOURCE + ": event_type");
    assertRefused(
        "{\"resource_id\": \"1\", \"resource_id_type\": \"Appointment\", \"event_type\": \"boom\"}",
        SOURCE + ": event_type");
    assertRefused(
        "{\"resource_id\": \"../1\", \"resource_id_type\": \"Appointment\","
            + " \"event_type\": \"appointment.created\"}",
        SOURCE + ": resource_id");
    assertRefused(
        "{\"resource_id\": \"1\", \"resource_id_type\": \"Appointment\","
            + " \"event_type\": \"appointment.updated\", \"changed_fields\": \"date\"}",
        SOURCE + ": changed_fields");
    assertRefused(
        "{\"resource_id\": \"1\", \"resource_id_type\": \"Appointment\","
            + " \"event_type\": \"appointment.updated\", \"changed_fields\": [\"date\", 3]}",
        SOURCE + ": changed_fields[1]");
    assertRefused("[1, 2]", SOURCE);
    assertRefused("{\"resource_id\": ", SOURCE);
  }

  private static void assertRefused(String body, String where) {
    assertThatThrownBy(() -> HealthieWebhook.read(body, SOURCE))
        .isInstanceOf(InputRejected.class)
        .satisfies(e -> assertThat(((InputRejected) e).where()).isEqualTo(where));
  }
}
