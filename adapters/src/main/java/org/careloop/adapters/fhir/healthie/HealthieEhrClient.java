package org.careloop.adapters.fhir.healthie;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.careloop.adapters.Secrets;
import org.careloop.adapters.fhir.FhirReader;
import org.careloop.adapters.fhir.VendorBatch;
import org.careloop.app.EhrConnection;
import org.careloop.app.InputRejected;
import org.careloop.app.intake.EhrClient;
import org.careloop.app.intake.ImportBatch;
import org.hl7.fhir.r4.model.Bundle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Healthie connection: its GraphQL API asked for the appointment a webhook names (deleted ones
 * too) with its client, and, to catch up, for the appointments changed since the last poll; what
 * comes back is taken as FHIR Appointments and Patients and read by the practice's {@link
 * FhirReader}, so it is imported as any EHR's. Signs in with the connection's API key ({@code
 * Authorization: Basic <key>}, {@code AuthorizationSource: API}), read when used. Errors name the
 * connection and the query, never a value Healthie returned.
 */
public final class HealthieEhrClient implements EhrClient {
  /** Appointments asked for in one page (Healthie's most is 500). */
  static final int PAGE = 100;

  /** Pages read of each list in one poll: what is older waits for the next. */
  static final int MAX_PAGES = 20;

  /** How far back a connection's first poll reads appointments that are over. */
  static final Duration FIRST_LOOK_BACK = Duration.ofDays(30);

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final java.util.regex.Pattern OPERATION =
      java.util.regex.Pattern.compile("^query (\\w+)");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Function<String, FhirReader> readers;
  private final Clock clock;

  public HealthieEhrClient(Function<String, FhirReader> readers, Clock clock) {
    this.readers = readers;
    this.clock = clock;
  }

  @Override
  public ImportBatch fetch(EhrConnection c, String focus) {
    var reader = readers.apply(c.practiceId());
    int slash = focus.indexOf('/');
    String type = slash > 0 ? focus.substring(0, slash) : focus;
    String id = slash > 0 ? focus.substring(slash + 1) : "";
    var bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
    String where = "Healthie " + type.toLowerCase(java.util.Locale.ROOT) + " " + id;
    switch (type) {
      case "Appointment" -> {
        var data =
            query(
                c,
                "query careloopAppointment($id: ID) { appointment(id: $id, include_deleted: true) { "
                    + HealthieRecords.APPOINTMENT_FIELDS
                    + " } }",
                Map.of("id", id));
        var a = data.path("appointment");
        if (!a.isObject()) return VendorBatch.empty(c, where);
        HealthieRecords.appointment(bundle, a, reader.zone(), where);
      }
      case "Patient" -> {
        var data =
            query(
                c,
                "query careloopUser($id: ID) { user(id: $id) { "
                    + HealthieRecords.USER_FIELDS
                    + " } }",
                Map.of("id", id));
        var u = data.path("user");
        if (!u.isObject()) return VendorBatch.empty(c, where);
        HealthieRecords.patient(bundle, u, reader.zone(), where);
      }
      default -> {
        return VendorBatch.empty(c, where);
      }
    }
    return VendorBatch.read(reader, c, bundle, where, List.of());
  }

  /**
   * The appointments changed since the cursor, newest change first: those still to come and those
   * over (a first poll reads those over for {@link #FIRST_LOOK_BACK}), each with its client. One
   * careloop cannot take is left out with a note naming the field.
   */
  @Override
  public Changes changes(EhrConnection c, Map<String, Instant> cursors) {
    var reader = readers.apply(c.practiceId());
    Optional<Instant> cursor = Optional.ofNullable(cursors.get("Appointment"));
    var found = new LinkedHashMap<String, JsonNode>();
    Instant newest = null;
    for (String filter : List.of("future", "past")) {
      Instant until = cursor.orElse(clock.instant().minus(FIRST_LOOK_BACK));
      if (filter.equals("future") && cursor.isEmpty()) until = Instant.MIN;
      for (int page = 0; page < MAX_PAGES; page++) {
        var data =
            query(
                c,
                "query careloopChanged($filter: String, $offset: Int, $page_size: Int) {"
                    + " appointments(filter: $filter, offset: $offset, page_size: $page_size,"
                    + " should_paginate: true, order_by: UPDATED_AT_DESC, with_all_statuses: true)"
                    + " { "
                    + HealthieRecords.APPOINTMENT_FIELDS
                    + " } }",
                Map.of("filter", filter, "offset", page * PAGE, "page_size", PAGE));
        var list = data.path("appointments");
        if (!list.isArray()) break;
        boolean older = false;
        for (var a : list.values()) {
          Optional<Instant> updated;
          try {
            updated =
                VendorBatch.text(a, "updated_at")
                    .map(t -> HealthieRecords.time(t, reader.zone(), "appointments.updated_at"));
          } catch (InputRejected e) {
            // A change time that is not one says nothing of when: read it, and let the rest go on.
            updated = Optional.empty();
          }
          if (updated.isPresent() && updated.get().isBefore(until)) {
            older = true;
            continue;
          }
          found.putIfAbsent(VendorBatch.text(a, "id").orElse("?" + found.size()), a);
          if (updated.isPresent() && (newest == null || updated.get().isAfter(newest)))
            newest = updated.get();
        }
        if (older || list.size() < PAGE) break;
      }
    }
    var bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
    var notes = new ArrayList<String>();
    int i = 0;
    for (var a : found.values()) {
      String where = "appointments[" + i++ + "]";
      // Each appointment on its own: one careloop cannot take does not stop the others.
      var one = new Bundle();
      try {
        HealthieRecords.appointment(one, a, reader.zone(), where);
      } catch (InputRejected e) {
        notes.add("a Healthie appointment careloop cannot take (" + e.where() + ") was left out");
        continue;
      }
      for (var e : one.getEntry()) {
        boolean have =
            bundle.getEntry().stream().anyMatch(x -> x.getFullUrl().equals(e.getFullUrl()));
        if (!have) bundle.addEntry(e);
      }
    }
    var batch = VendorBatch.read(reader, c, bundle, "Healthie appointments changed", notes);
    return new Changes(
        batch,
        newest == null ? Map.of() : Map.of("Appointment", newest),
        Map.of("Appointment", found.size()));
  }

  @Override
  public List<Check> check(EhrConnection c) {
    var checks = new ArrayList<Check>();
    try {
      key(c);
      checks.add(new Check("sign-in", true, "API key read from " + c.secretRef().orElse("?")));
    } catch (IllegalArgumentException e) {
      checks.add(new Check("sign-in", false, String.valueOf(e.getMessage())));
      return checks;
    }
    try {
      var me = query(c, "query careloopCheck { currentUser { id } }", Map.of());
      checks.add(
          new Check(
              "GraphQL API",
              me.path("currentUser").isObject(),
              me.path("currentUser").isObject()
                  ? "signed in as Healthie user "
                      + VendorBatch.text(me.path("currentUser"), "id").orElse("?")
                  : "answered without a current user"));
    } catch (Unreachable e) {
      checks.add(new Check("GraphQL API", false, String.valueOf(e.getMessage())));
      return checks;
    }
    try {
      var list =
          query(
              c,
              "query careloopCheckList { appointments(filter: \"future\", should_paginate: true,"
                  + " page_size: 1) { id } }",
              Map.of());
      checks.add(
          new Check(
              "a search",
              list.path("appointments").isArray(),
              "appointments: " + list.path("appointments").size() + " read of a page of 1"));
    } catch (Unreachable e) {
      checks.add(new Check("a search", false, String.valueOf(e.getMessage())));
    }
    return checks;
  }

  private static String key(EhrConnection c) {
    if (c.auth() != EhrConnection.Auth.API_KEY)
      throw new IllegalArgumentException(
          "Healthie connection " + c.name() + " signs in with an API key (--auth api-key)");
    return Secrets.read(c.secretRef(), "the Healthie API key");
  }

  /**
   * Asks the connection's GraphQL API; its {@code data}. A refusal, an answer that is not GraphQL,
   * or GraphQL errors are the EHR not answering ({@link Unreachable}): tried again later.
   */
  JsonNode query(EhrConnection c, String query, Map<String, ?> variables) {
    ObjectNode body = JSON.createObjectNode();
    body.put("query", query);
    body.set("variables", JSON.valueToTree(variables));
    var named = OPERATION.matcher(query);
    String operation = named.find() ? named.group(1) : "query";
    String what = "Healthie connection " + c.name() + ", " + operation;
    var request =
        HttpRequest.newBuilder(URI.create(c.fhirBase()))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("Authorization", "Basic " + key(c))
            .header("AuthorizationSource", "API")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build();
    HttpResponse<String> response;
    try {
      response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Unreachable(what + ": not reached (" + e.getClass().getSimpleName() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable(what + ": interrupted", e);
    }
    if (response.statusCode() != 200)
      throw new Unreachable(what + ": answered " + response.statusCode(), null);
    JsonNode root;
    try {
      root = JSON.readTree(response.body());
    } catch (tools.jackson.core.JacksonException e) {
      throw new Unreachable(what + ": the answer is not JSON", e);
    }
    var errors = root.path("errors");
    if (errors.isArray() && !errors.isEmpty())
      throw new Unreachable(
          what
              + ": answered "
              + errors.size()
              + " GraphQL error(s), the first: "
              + shortened(errors.get(0).path("message").asString("")),
          null);
    var data = root.path("data");
    if (!data.isObject()) throw new Unreachable(what + ": the answer has no data", null);
    return data;
  }

  private static String shortened(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
