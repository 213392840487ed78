package org.careloop.adapters.fhir.healthie;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.careloop.app.InputRejected;
import org.careloop.app.intake.EhrNotification;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Healthie webhook body, {@code {"resource_id", "resource_id_type", "event_type",
 * "changed_fields"}}, as one event of an {@link EhrNotification}: the record it names is fetched by
 * GraphQL when the event is worked. Appointments ({@code appointment.*}, deleted ones too) and
 * clients ({@code patient.*}, their {@code resource_id_type} {@code User}) are followed; an event
 * about anything else (a form, a message, a payment) is taken and answered but holds nothing to
 * work.
 *
 * <p>Healthie numbers nothing and gives a delivery no id of its own, so each delivery is its own
 * event: a delivery sent twice is fetched twice, which changes nothing the second time.
 */
public final class HealthieWebhook {
  private HealthieWebhook() {}

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Reads a webhook body; {@code source} names it in errors. */
  public static EhrNotification read(String body, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (tools.jackson.core.JacksonException e) {
      throw new InputRejected(source, "not JSON: " + e.getOriginalMessage());
    }
    if (!root.isObject()) throw new InputRejected(source, "a Healthie webhook is a JSON object");
    String id = required(root, "resource_id", source);
    if (!id.matches("[A-Za-z0-9_-]{1,64}"))
      throw new InputRejected(source + ": resource_id", "is not a Healthie id");
    String type = required(root, "resource_id_type", source);
    String event = required(root, "event_type", source);
    if (!event.matches("[a-z_]{1,60}\\.[a-z_.]{1,60}"))
      throw new InputRejected(
          source + ": event_type", "is not a Healthie event type (appointment.updated)");
    var changed = root.path("changed_fields");
    if (!changed.isMissingNode() && !changed.isNull()) {
      if (!changed.isArray())
        throw new InputRejected(source + ": changed_fields", "is a list of field names");
      for (int i = 0; i < changed.size(); i++)
        if (!changed.get(i).isString())
          throw new InputRejected(source + ": changed_fields[" + i + "]", "is not a field name");
    }
    var focus = focus(type, event).map(t -> t + "/" + id);
    var events =
        focus.isEmpty()
            ? List.<EhrNotification.Event>of()
            : List.of(
                new EhrNotification.Event(
                    "healthie:" + event + ":" + id + ":" + UUID.randomUUID(),
                    Optional.empty(),
                    focus,
                    Optional.empty(),
                    Optional.empty()));
    return new EhrNotification(
        "event-notification",
        Optional.empty(),
        Optional.of("healthie:" + event),
        Optional.empty(),
        events);
  }

  /** What careloop fetches for an event: a FHIR type, or none for a record it does not follow. */
  static Optional<String> focus(String resourceType, String eventType) {
    if (resourceType.equals("Appointment") && eventType.startsWith("appointment."))
      return Optional.of("Appointment");
    if ((resourceType.equals("User") || resourceType.equals("Patient"))
        && eventType.startsWith("patient.")) return Optional.of("Patient");
    return Optional.empty();
  }

  private static String required(JsonNode root, String field, String source) {
    var v = root.path(field);
    String s = v.isString() || v.isIntegralNumber() ? v.asString().strip() : "";
    if (s.isEmpty())
      throw new InputRejected(
          source + ": " + field,
          v.isMissingNode() || v.isNull() ? "is missing" : "is not a string or number");
    return s;
  }
}
