package org.careloop.adapters.fhir.athena;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in for athenahealth's athenaOne API on a loopback port, for tests, answering as its
 * documentation and public clients say it does: an OAuth token for the client id and secret (HTTP
 * Basic, client credentials, a token good for an hour, {@code expires_in} as a string), a feed's
 * subscription, and a changed-data feed that hands out what changed once (marking it processed) and
 * again on asking for what was processed between two times ({@code showprocessed…datetime}, on its
 * Eastern clock), a page at a time with a {@code next} path. Records are athenaNet's JSON as given
 * (the shared samples, or made by the test).
 */
public final class AthenaTestServer implements AutoCloseable {
  public static final String PRACTICE = "195900";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final DateTimeFormatter PROCESSED =
      DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss", java.util.Locale.ROOT);

  private final HttpServer http;
  private final String clientId;
  private final String secret;
  private final String token = "athena-token-" + System.nanoTime();
  private final AtomicInteger tokensGiven = new AtomicInteger();
  private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
  private final Map<String, List<Change>> feeds = new ConcurrentHashMap<>();
  private final Map<String, JsonNode> patients = new ConcurrentHashMap<>();
  private final Map<String, JsonNode> appointments = new ConcurrentHashMap<>();

  /** A record in a feed, and when it was handed out (null while unprocessed). */
  private static final class Change {
    final JsonNode record;
    @org.jspecify.annotations.Nullable Instant processedAt;

    Change(JsonNode record) {
      this.record = record;
    }
  }

  public static AthenaTestServer start(String clientId, String secret) throws IOException {
    return new AthenaTestServer(clientId, secret);
  }

  private AthenaTestServer(String clientId, String secret) throws IOException {
    this.clientId = clientId;
    this.secret = secret;
    this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/", this::handle);
    http.start();
  }

  /** The API's base with the practice, as a connection names it. */
  public String api() {
    return "http://127.0.0.1:" + http.getAddress().getPort() + "/v1/" + PRACTICE;
  }

  /** Tokens handed out. */
  public int tokensGiven() {
    return tokensGiven.get();
  }

  public boolean subscribed(String feed) {
    return subscribed.contains(feed);
  }

  /** A change in a feed ({@code appointments} or {@code patients}), waiting to be handed out. */
  public void changed(String feed, JsonNode record) {
    feeds
        .computeIfAbsent(feed, f -> java.util.Collections.synchronizedList(new ArrayList<>()))
        .add(new Change(record));
    if (feed.equals("patients")) patients.put(record.path("patientid").asString(), record);
    else appointments.put(record.path("appointmentid").asString(), record);
  }

  /** A patient athenaNet has, asked for by id. */
  public void patient(JsonNode record) {
    patients.put(record.path("patientid").asString(), record);
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getRawPath();
      if (path.equals("/oauth2/v1/token")) {
        token(x);
        return;
      }
      if (!("Bearer " + token).equals(x.getRequestHeaders().getFirst("Authorization"))) {
        reply(x, 401, "{\"error\":\"invalid_token\"}");
        return;
      }
      String prefix = "/v1/" + PRACTICE + "/";
      if (!path.startsWith(prefix)) {
        reply(x, 404, "{\"error\":\"The practice ID does not exist.\"}");
        return;
      }
      String[] parts = path.substring(prefix.length()).split("/", -1);
      String feed = parts[0];
      if (parts.length == 3 && parts[1].equals("changed") && parts[2].equals("subscription")) {
        if (x.getRequestMethod().equals("POST")) {
          subscribed.add(feed);
          reply(x, 200, "{\"success\":\"true\"}");
        } else {
          reply(
              x,
              200,
              subscribed.contains(feed)
                  ? "{\"status\":\"ACTIVE\",\"subscriptions\":[{\"eventname\":\"UpdateAppointment\"}]}"
                  : "{\"status\":\"INACTIVE\",\"subscriptions\":[]}");
        }
        return;
      }
      if (parts.length == 2 && parts[1].equals("changed")) {
        changes(x, feed, query(x));
        return;
      }
      if (parts.length == 2) {
        var record = (feed.equals("patients") ? patients : appointments).get(parts[1]);
        if (record == null) reply(x, 404, "{\"error\":\"not found\"}");
        else reply(x, 200, JSON.writeValueAsString(List.of(record)));
        return;
      }
      reply(x, 404, "{\"error\":\"no such endpoint\"}");
    }
  }

  private void token(HttpExchange x) throws IOException {
    String form = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    if (!basic.equals(x.getRequestHeaders().getFirst("Authorization"))) {
      reply(x, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    if (!form.contains("grant_type=client_credentials")
        || !form.contains("scope=athena%2Fservice%2FAthenanet.MDP.*")) {
      reply(x, 400, "{\"error\":\"invalid_request\"}");
      return;
    }
    tokensGiven.incrementAndGet();
    reply(
        x,
        200,
        "{\"access_token\":\"" + token + "\",\"expires_in\":\"3600\",\"token_type\":\"Bearer\"}");
  }

  private void changes(HttpExchange x, String feed, Map<String, String> q) throws IOException {
    if (!subscribed.contains(feed)) {
      reply(x, 403, "{\"error\":\"Not subscribed\"}");
      return;
    }
    var zone = ZoneId.of("America/New_York");
    Instant from = processed(q.get("showprocessedstartdatetime"), zone);
    Instant to = processed(q.get("showprocessedenddatetime"), zone);
    int offset = Integer.parseInt(q.getOrDefault("offset", "0"));
    int limit = Integer.parseInt(q.getOrDefault("limit", "1500"));
    var now = Instant.now();
    var list = new ArrayList<Change>();
    for (var c : feeds.getOrDefault(feed, List.of())) {
      var at = c.processedAt;
      if (at == null || (from != null && to != null && !at.isBefore(from) && !at.isAfter(to)))
        list.add(c);
    }
    var page = list.subList(Math.min(offset, list.size()), Math.min(offset + limit, list.size()));
    ObjectNode body = JSON.createObjectNode();
    body.put("totalcount", list.size());
    var records = body.putArray(feed);
    for (var c : page) {
      records.add(c.record);
      if (c.processedAt == null && !"true".equals(q.get("leaveunprocessed"))) c.processedAt = now;
    }
    if (offset + limit < list.size()) {
      var next = new HashMap<>(q);
      next.put("offset", String.valueOf(offset + limit));
      var parts = new ArrayList<String>();
      next.forEach(
          (k, v) -> parts.add(k + "=" + java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
      body.put("next", "/v1/" + PRACTICE + "/" + feed + "/changed?" + String.join("&", parts));
    }
    reply(x, 200, JSON.writeValueAsString(body));
  }

  private static @org.jspecify.annotations.Nullable Instant processed(
      @org.jspecify.annotations.Nullable String text, ZoneId zone) {
    return text == null ? null : LocalDateTime.parse(text, PROCESSED).atZone(zone).toInstant();
  }

  private static Map<String, String> query(HttpExchange x) {
    var q = new HashMap<String, String>();
    String raw = x.getRequestURI().getRawQuery();
    if (raw == null) return q;
    for (String pair : raw.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (eq > 0)
        q.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return q;
  }

  private static void reply(HttpExchange x, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    x.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
