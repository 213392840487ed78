package org.careloop.adapters.fhir.athena;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.careloop.adapters.fhir.FhirReader;
import org.careloop.adapters.fhir.VendorBatch;
import org.careloop.adapters.smart.SmartTokens;
import org.careloop.app.EhrConnection;
import org.careloop.app.InputRejected;
import org.careloop.app.intake.EhrClient;
import org.careloop.app.intake.ImportBatch;
import org.hl7.fhir.r4.model.Bundle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An athenahealth connection by its changed-data feeds: each poll subscribes to the patients and
 * appointments feeds the first time ({@code POST …/{feed}/changed/subscription}), then reads {@code
 * GET …/{feed}/changed} page by page, appointments with their patients ({@code showpatientdetail});
 * a patient an appointment names but did not carry is asked for on its own. What is read is taken
 * as FHIR Patients and Appointments and imported as any EHR's.
 *
 * <p>athenaNet marks what a feed hands out as processed. So that a poll cut off before its import
 * loses nothing, every read also asks again for what was handed out since the last poll that was
 * imported ({@code showprocessedstartdatetime}, from its cursor less an hour, on athenaNet's
 * Eastern clock); reading a change twice changes nothing. Signs in by OAuth client credentials (the
 * connection's client id and secret, or careloop's key), the token kept until shortly before it
 * expires. Errors name the connection and the request, never a value athenaNet returned.
 */
public final class AthenaEhrClient implements EhrClient {
  /** The feeds read, by the FHIR type each is taken as. */
  static final Map<String, String> FEEDS = feeds();

  /** The clock athenaNet's "processed" times are written on. */
  static final ZoneId ATHENA_CLOCK = ZoneId.of("America/New_York");

  /** How far before its cursor a poll asks again for what was handed out. */
  static final Duration OVERLAP = Duration.ofHours(1);

  /** Pages of one feed read in one poll. */
  static final int MAX_PAGES = 50;

  /** Patients asked for on their own in one poll (those an appointment named but did not carry). */
  static final int MAX_PATIENTS_ASKED = 200;

  private static final DateTimeFormatter PROCESSED =
      DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss", Locale.ROOT);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Function<String, FhirReader> readers;
  private final SmartTokens tokens;
  private final Clock clock;

  public AthenaEhrClient(Function<String, FhirReader> readers, SmartTokens tokens, Clock clock) {
    this.readers = readers;
    this.tokens = tokens;
    this.clock = clock;
  }

  private static Map<String, String> feeds() {
    var m = new LinkedHashMap<String, String>();
    m.put("patients", "Patient");
    m.put("appointments", "Appointment");
    return java.util.Collections.unmodifiableMap(m);
  }

  @Override
  public Changes changes(EhrConnection c, Map<String, Instant> cursors) {
    var reader = readers.apply(c.practiceId());
    Instant started = clock.instant();
    var bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
    var notes = new ArrayList<String>();
    var matched = new LinkedHashMap<String, Integer>();
    var named = new LinkedHashSet<String>();
    for (var feed : FEEDS.entrySet()) {
      String type = feed.getValue();
      var cursor = Optional.ofNullable(cursors.get(type));
      if (cursor.isEmpty()) subscribe(c, feed.getKey());
      var query = new LinkedHashMap<String, String>();
      query.put("leaveunprocessed", "false");
      if (type.equals("Appointment")) query.put("showpatientdetail", "true");
      query.put("showprocessedstartdatetime", processed(cursor.orElse(started).minus(OVERLAP)));
      query.put("showprocessedenddatetime", processed(started.plus(Duration.ofMinutes(1))));
      query.put("limit", "1000");
      String url = c.fhirBase() + "/" + feed.getKey() + "/changed?" + form(query);
      int count = 0;
      for (int page = 0; page < MAX_PAGES && url != null; page++) {
        var json = get(c, url);
        var records = json.path(feed.getKey());
        int i = 0;
        for (var r : records.values()) {
          String where = feed.getKey() + "[" + (count + i++) + "]";
          try {
            if (type.equals("Patient")) {
              String id = AthenaRecords.id(r, "patientid", where);
              AthenaRecords.patient(bundle, r, reader.zone(), "athenahealth patient " + id, id);
            } else {
              AthenaRecords.appointment(bundle, r, reader.zone(), where).ifPresent(named::add);
            }
          } catch (InputRejected e) {
            notes.add(
                "an athenahealth "
                    + type.toLowerCase(Locale.ROOT)
                    + " careloop cannot take ("
                    + e.where()
                    + ") was left out");
          }
        }
        count += i;
        url = next(c, json);
      }
      matched.put(type, count);
    }
    askForPatients(c, bundle, named, reader, notes);
    var batch = VendorBatch.read(reader, c, bundle, "athenahealth changed data", notes);
    var moved = new LinkedHashMap<String, Instant>();
    for (var type : FEEDS.values()) moved.put(type, started);
    return new Changes(batch, moved, matched);
  }

  /** The patients appointments named but did not carry, asked for one by one. */
  private void askForPatients(
      EhrConnection c,
      Bundle bundle,
      java.util.Set<String> named,
      FhirReader reader,
      List<String> notes) {
    int asked = 0;
    for (String id : named) {
      boolean have =
          bundle.getEntry().stream()
              .anyMatch(e -> e.getFullUrl().equals("Patient/" + AthenaRecords.ID_PREFIX + id));
      if (have) continue;
      if (asked++ >= MAX_PATIENTS_ASKED) {
        notes.add("more patients than " + MAX_PATIENTS_ASKED + " to ask for; the rest next poll");
        break;
      }
      var list = get(c, c.fhirBase() + "/patients/" + id);
      var p = first(list);
      if (!p.isObject()) continue;
      try {
        AthenaRecords.patient(bundle, p, reader.zone(), "athenahealth patient " + id, id);
      } catch (InputRejected e) {
        notes.add("an athenahealth patient careloop cannot take (" + e.where() + ") was left out");
      }
    }
  }

  /** Subscribes to all of a feed's events (asking again changes nothing). */
  private void subscribe(EhrConnection c, String feed) {
    send(
        c,
        HttpRequest.newBuilder(URI.create(c.fhirBase() + "/" + feed + "/changed/subscription"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("")),
        "POST " + feed + "/changed/subscription");
  }

  /** An appointment or patient by its athenaNet id, with what it points at. */
  @Override
  public ImportBatch fetch(EhrConnection c, String focus) {
    var reader = readers.apply(c.practiceId());
    int slash = focus.indexOf('/');
    String type = slash > 0 ? focus.substring(0, slash) : focus;
    String id = slash > 0 ? focus.substring(slash + 1) : "";
    if (id.startsWith(AthenaRecords.ID_PREFIX)) id = id.substring(AthenaRecords.ID_PREFIX.length());
    if (!id.matches("[0-9A-Za-z_-]{1,40}")) return VendorBatch.empty(c, "athenahealth " + focus);
    var bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
    String where = "athenahealth " + type.toLowerCase(Locale.ROOT) + " " + id;
    switch (type) {
      case "Appointment" -> {
        var list = get(c, c.fhirBase() + "/appointments/" + id + "?showpatientdetail=true");
        var a = first(list);
        if (!a.isObject()) return VendorBatch.empty(c, where);
        var patient = AthenaRecords.appointment(bundle, a, reader.zone(), where);
        if (patient.isPresent())
          askForPatients(c, bundle, java.util.Set.of(patient.get()), reader, new ArrayList<>());
      }
      case "Patient" -> {
        var list = get(c, c.fhirBase() + "/patients/" + id);
        var p = first(list);
        if (!p.isObject()) return VendorBatch.empty(c, where);
        AthenaRecords.patient(bundle, p, reader.zone(), where, id);
      }
      default -> {
        return VendorBatch.empty(c, where);
      }
    }
    return VendorBatch.read(reader, c, bundle, where, List.of());
  }

  @Override
  public List<Check> check(EhrConnection c) {
    var checks = new ArrayList<Check>();
    try {
      tokens.token(c);
      checks.add(
          new Check(
              "sign-in", true, "client credentials: a token from " + tokens.tokenEndpoint(c)));
    } catch (IllegalArgumentException | Unreachable e) {
      checks.add(new Check("sign-in", false, String.valueOf(e.getMessage())));
      return checks;
    }
    for (String feed : FEEDS.keySet()) {
      try {
        var s = get(c, c.fhirBase() + "/" + feed + "/changed/subscription");
        String status = s.path("status").asString("");
        checks.add(
            new Check(
                feed + " feed",
                true,
                status.equals("ACTIVE")
                    ? "subscribed (" + s.path("subscriptions").size() + " events)"
                    : "not subscribed yet (" + status + "); the first poll subscribes"));
      } catch (Unreachable e) {
        checks.add(new Check(feed + " feed", false, String.valueOf(e.getMessage())));
      }
    }
    return checks;
  }

  /** The record of a one-record answer: athenaNet answers a record asked for by id as a list. */
  private static JsonNode first(JsonNode answer) {
    return answer.isArray() && !answer.isEmpty() ? answer.get(0) : answer;
  }

  private static String processed(Instant at) {
    return PROCESSED.format(at.atZone(ATHENA_CLOCK));
  }

  private static String form(Map<String, String> query) {
    var parts = new ArrayList<String>();
    query.forEach((k, v) -> parts.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return String.join("&", parts);
  }

  /** The next page's address: athenaNet gives it as a path from the host ({@code /v1/…}). */
  private static @org.jspecify.annotations.Nullable String next(EhrConnection c, JsonNode json) {
    var next = VendorBatch.text(json, "next");
    if (next.isEmpty()) return null;
    var base = URI.create(c.fhirBase());
    return next.get().startsWith("http")
        ? next.get()
        : base.getScheme() + "://" + base.getRawAuthority() + next.get();
  }

  private JsonNode get(EhrConnection c, String url) {
    String body =
        send(
            c,
            HttpRequest.newBuilder(URI.create(url)).GET(),
            "GET "
                + URI.create(url).getRawPath().replace(URI.create(c.fhirBase()).getRawPath(), ""));
    try {
      return JSON.readTree(body);
    } catch (tools.jackson.core.JacksonException e) {
      throw new Unreachable("athenahealth connection " + c.name() + ": the answer is not JSON", e);
    }
  }

  private String send(EhrConnection c, HttpRequest.Builder request, String what) {
    String where = "athenahealth connection " + c.name() + ", " + what;
    HttpResponse<String> response;
    try {
      response =
          HTTP.send(
              request
                  .header("Authorization", "Bearer " + tokens.token(c))
                  .header("Accept", "application/json")
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Unreachable(where + ": not reached (" + e.getClass().getSimpleName() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable(where + ": interrupted", e);
    }
    // A refused token is forgotten, so the next try asks for a new one.
    if (response.statusCode() == 401) tokens.forget(c);
    if (response.statusCode() / 100 != 2)
      throw new Unreachable(where + ": answered " + response.statusCode(), null);
    return response.body();
  }
}
