package org.careloop.adapters.smart;

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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.careloop.app.EhrConnection;
import org.careloop.app.SigningKeys.SigningKey;
import org.careloop.app.intake.EhrClient.Unreachable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Access tokens by OAuth client credentials, as SMART Backend Services asks (or with a client
 * secret, as athenahealth does): the token endpoint from the EHR's {@code
 * .well-known/smart-configuration} (or the connection's own), a {@code client_credentials} request
 * carrying a client assertion signed with the practice's newest key, and the token kept until a
 * minute before it expires: one token request per token's life, never one per call.
 */
public final class SmartTokens {
  /** A token is renewed this long before the EHR says it expires. */
  static final Duration EARLY = Duration.ofSeconds(60);

  private record Token(String value, Instant renewAt) {}

  private final Function<String, Optional<SigningKey>> keys;
  private final Clock clock;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final Map<String, String> endpoints = new ConcurrentHashMap<>();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * @param keys each practice's newest key not retired
   */
  public SmartTokens(Function<String, Optional<SigningKey>> keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  /** A valid access token for the connection, asked for only when the last one is near its end. */
  public String token(EhrConnection c) {
    String cacheKey =
        c.practiceId() + "|" + c.name() + "|" + c.fhirBase() + "|" + c.clientId().orElse("");
    var now = clock.instant();
    var held = tokens.get(cacheKey);
    if (held != null && now.isBefore(held.renewAt())) return held.value();
    var fresh = request(c, now);
    tokens.put(cacheKey, fresh);
    return fresh.value();
  }

  /** Forgets the connection's token (after the EHR refused it). */
  public void forget(EhrConnection c) {
    tokens.keySet().removeIf(k -> k.startsWith(c.practiceId() + "|" + c.name() + "|"));
  }

  /** The token endpoint: the connection's own, else the one the EHR's SMART configuration names. */
  public String tokenEndpoint(EhrConnection c) {
    if (c.tokenEndpoint().isPresent()) return c.tokenEndpoint().get();
    return endpoints.computeIfAbsent(c.fhirBase(), base -> discover(c, base));
  }

  private String discover(EhrConnection c, String base) {
    String url = base + "/.well-known/smart-configuration";
    var json = get(c, url);
    var endpoint = json.path("token_endpoint");
    if (!endpoint.isString() || endpoint.stringValue().isBlank())
      throw new Unreachable(
          "the EHR connection '" + c.name() + "': " + url + " names no token_endpoint", null);
    return endpoint.stringValue();
  }

  private Token request(EhrConnection c, Instant now) {
    String clientId =
        c.clientId()
            .orElseThrow(() ->
                new IllegalArgumentException(
                    "the EHR connection '" + c.name() + "' has no client id (--client-id)"));
    String endpoint = tokenEndpoint(c);
    var form = new LinkedHashMap<String, String>();
    form.put("grant_type", "client_credentials");
    c.scope().ifPresent(s -> form.put("scope", s));
    // A client secret (athenahealth) goes as HTTP Basic of the id and secret as given, as
    // athenahealth's own clients send them (RFC 6749 2.3.1 would form-encode them first, which
    // changes a secret holding + or /); otherwise careloop proves itself with an assertion signed
    // by its own key.
    Optional<String> basic = Optional.empty();
    if (c.auth() == EhrConnection.Auth.CLIENT_SECRET) {
      String secret = org.careloop.adapters.Secrets.read(c.secretRef(), "the client secret");
      basic =
          Optional.of(
              java.util.Base64.getEncoder()
                  .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)));
    } else {
      var key =
          keys.apply(c.practiceId())
              .orElseThrow(() ->
                  new IllegalArgumentException(
                      "the practice has no signing key: careloop ehr keys generate"));
      form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
      form.put("client_assertion", SmartKeys.assertion(key, clientId, endpoint, now));
    }
    String body =
        form.entrySet().stream()
            .map(e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpResponse<String> response;
    try {
      var request =
          HttpRequest.newBuilder(URI.create(endpoint))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .header("Accept", "application/json")
              .timeout(Duration.ofSeconds(15));
      basic.ifPresent(b -> request.header("Authorization", "Basic " + b));
      response =
          http.send(
              request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Unreachable(
          "the EHR connection '" + c.name() + "' could not reach its token endpoint " + endpoint,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted while asking " + endpoint + " for a token", e);
    }
    JsonNode json = parse(c, endpoint, response.body());
    if (response.statusCode() != 200 || !json.path("access_token").isString())
      // OAuth's error code and description: what the EHR says about us, never a patient.
      throw new Unreachable(
          "the EHR connection '"
              + c.name()
              + "': the token endpoint "
              + endpoint
              + " answered "
              + response.statusCode()
              + json.path("error").asString("").transform(e -> e.isEmpty() ? "" : " " + e)
              + json.path("error_description")
                  .asString("")
                  .transform(d -> d.isEmpty() ? "" : " (" + d + ")"),
          null);
    long seconds = json.path("expires_in").asLong(300);
    var renewAt = now.plusSeconds(seconds).minus(EARLY);
    return new Token(json.path("access_token").stringValue(), renewAt);
  }

  private JsonNode get(EhrConnection c, String url) {
    try {
      var response =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Accept", "application/json")
                  .timeout(Duration.ofSeconds(15))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200)
        throw new Unreachable(
            "the EHR connection '" + c.name() + "': " + url + " answered " + response.statusCode(),
            null);
      return parse(c, url, response.body());
    } catch (IOException e) {
      throw new Unreachable("the EHR connection '" + c.name() + "' could not reach " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted while reading " + url, e);
    }
  }

  private static JsonNode parse(EhrConnection c, String url, String body) {
    try {
      return JSON.readTree(body);
    } catch (tools.jackson.core.JacksonException e) {
      throw new Unreachable(
          "the EHR connection '" + c.name() + "': " + url + " did not answer JSON", e);
    }
  }
}
