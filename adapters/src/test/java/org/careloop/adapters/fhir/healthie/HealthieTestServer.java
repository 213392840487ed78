package org.careloop.adapters.fhir.healthie;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import graphql.ExecutionInput;
import graphql.GraphQL;
import graphql.schema.DataFetcher;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for Healthie's GraphQL API on a loopback port, for tests: a real GraphQL server
 * (graphql-java) over the part of Healthie's schema careloop reads ({@code
 * healthie/schema.graphqls}, Healthie's names and arguments), so a query Healthie would refuse is
 * refused here. Answers as Healthie does: {@code appointment(id, include_deleted)}, {@code
 * appointments(filter: future|past, offset, page_size, order_by)} without deleted ones, {@code
 * user(id)} and {@code currentUser}; times written as Healthie writes them ({@code 2026-12-10
 * 10:00:00 -0500}). Asks for the API key as Healthie does ({@code Authorization: Basic <key>},
 * {@code AuthorizationSource: API}); without it, 401.
 */
public final class HealthieTestServer implements AutoCloseable {
  /** How Healthie writes a time. */
  public static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xx", java.util.Locale.ROOT);

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpServer http;
  private final GraphQL graphql;
  private final String key;
  private final ZoneOffset offset;
  private final Map<String, Map<String, Object>> users = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Object>> appointments = new ConcurrentHashMap<>();
  private final AtomicInteger queries = new AtomicInteger();
  private volatile Instant now = Instant.now();

  /**
   * @param key the API key it takes
   * @param offset the offset it writes times in (the provider's zone)
   */
  public static HealthieTestServer start(String key, ZoneOffset offset) throws IOException {
    return new HealthieTestServer(key, offset);
  }

  private HealthieTestServer(String key, ZoneOffset offset) throws IOException {
    this.key = key;
    this.offset = offset;
    String sdl;
    try (var in =
        Objects.requireNonNull(getClass().getResourceAsStream("/healthie/schema.graphqls"))) {
      sdl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    DataFetcher<Object> appointment =
        env -> {
          var a = appointments.get(String.valueOf(env.<Object>getArgument("id")));
          boolean deleted = a != null && a.get("deleted_at") != null;
          return a == null || (deleted && !Boolean.TRUE.equals(env.getArgument("include_deleted")))
              ? null
              : a;
        };
    DataFetcher<Object> list =
        env -> {
          String filter = Objects.requireNonNullElse(env.<String>getArgument("filter"), "future");
          int from = Objects.requireNonNullElse(env.<Integer>getArgument("offset"), 0);
          Integer size = env.getArgument("page_size");
          var matching = new ArrayList<Map<String, Object>>();
          for (var a : appointments.values()) {
            if (a.get("deleted_at") != null) continue;
            boolean future = ((Instant) Objects.requireNonNull(a.get("_start"))).isAfter(now);
            if (filter.equals("future") == future) matching.add(a);
          }
          matching.sort(
              Comparator.comparing((Map<String, Object> a) -> (Instant) a.get("_updated"))
                  .reversed());
          boolean paged = Boolean.TRUE.equals(env.getArgument("should_paginate"));
          int to = paged && size != null ? Math.min(matching.size(), from + size) : matching.size();
          return from >= to ? List.of() : matching.subList(from, to);
        };
    var wiring =
        RuntimeWiring.newRuntimeWiring()
            .type(
                "Query",
                t ->
                    t.dataFetcher("appointment", appointment)
                        .dataFetcher("appointments", list)
                        .dataFetcher(
                            "user", env -> users.get(String.valueOf(env.<Object>getArgument("id"))))
                        .dataFetcher("currentUser", env -> Map.of("id", "1", "active", true)))
            .build();
    var schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(sdl), wiring);
    this.graphql = GraphQL.newGraphQL(schema).build();
    this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/graphql", this::handle);
    http.start();
  }

  /** The API's address, as a connection names it. */
  public String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort() + "/graphql";
  }

  /** Queries answered (signed in). */
  public int queries() {
    return queries.get();
  }

  /** The time it lists appointments against (future or past). */
  public void now(Instant at) {
    this.now = at;
  }

  /** A client, as Healthie keeps one. */
  public void user(
      String id, String first, String last, String phone, String dob, Instant updated) {
    var u = new LinkedHashMap<String, Object>();
    u.put("id", id);
    u.put("active", true);
    u.put("first_name", first);
    u.put("last_name", last);
    u.put("phone_number", phone);
    u.put("email", null);
    u.put("dob", dob);
    u.put("gender", "Female");
    u.put("updated_at", time(updated));
    users.put(id, u);
  }

  /**
   * An appointment with a client, or an update of one.
   *
   * @param pmStatus null while booked; else Occurred, No-Show, Cancelled…
   */
  public void appointment(
      String id,
      String userId,
      String type,
      Instant start,
      int minutes,
      @Nullable String pmStatus,
      Instant updated) {
    var a = new LinkedHashMap<String, Object>();
    a.put("id", id);
    a.put("date", time(start));
    a.put("length", minutes);
    a.put("pm_status", pmStatus);
    a.put("deleted_at", null);
    a.put("created_at", time(updated));
    a.put("updated_at", time(updated));
    a.put("contact_type", "In Person");
    a.put("appointment_type", Map.of("id", "7" + id, "name", type));
    a.put("user", users.get(userId));
    a.put("attendees", List.of(Objects.requireNonNull(users.get(userId))));
    a.put("_start", start);
    a.put("_updated", updated);
    appointments.put(id, a);
  }

  /** Deletes an appointment, as Healthie does: still there when asked with include_deleted. */
  public void delete(String id, Instant at) {
    var a = new LinkedHashMap<>(Objects.requireNonNull(appointments.get(id)));
    a.put("deleted_at", time(at));
    a.put("updated_at", time(at));
    a.put("_updated", at);
    appointments.put(id, a);
  }

  /** Sets a field of an appointment as Healthie would return it (a malformed date, say). */
  public void set(String id, String field, @Nullable Object value) {
    var a = new LinkedHashMap<>(Objects.requireNonNull(appointments.get(id)));
    a.put(field, value);
    appointments.put(id, a);
  }

  private String time(Instant at) {
    return TIME.format(at.atOffset(offset));
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      if (!x.getRequestMethod().equals("POST")) {
        reply(x, 405, "{\"errors\":[{\"message\":\"POST a GraphQL query\"}]}");
        return;
      }
      String auth = x.getRequestHeaders().getFirst("Authorization");
      String source = x.getRequestHeaders().getFirst("AuthorizationSource");
      if (!("Basic " + key).equals(auth) || !"API".equals(source)) {
        reply(x, 401, "{\"errors\":[{\"message\":\"API Key is invalid\"}]}");
        return;
      }
      var body = JSON.readTree(x.getRequestBody().readAllBytes());
      @SuppressWarnings("unchecked")
      Map<String, Object> variables =
          body.path("variables").isObject()
              ? JSON.treeToValue(body.path("variables"), Map.class)
              : Map.of();
      var result =
          graphql.execute(
              ExecutionInput.newExecutionInput()
                  .query(body.path("query").asString(""))
                  .variables(variables)
                  .build());
      queries.incrementAndGet();
      reply(x, 200, JSON.writeValueAsString(result.toSpecification()));
    }
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
