package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careloop.server.CommandLineTest.run;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.careloop.adapters.jdbc.Database;
import org.careloop.adapters.smart.SmartKeys;
import org.careloop.app.EhrConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SMART Backend Services end to end: careloop publishes its public keys at /.well-known/jwks.json;
 * an authorization server (here one of the test's, as an EHR's would) fetches that JWKS and checks
 * each client assertion (signature by kid, iss = sub = client id, aud = its token endpoint, at most
 * 5 minutes, a jti never seen); careloop asks for a token once and uses it on the FHIR server (HAPI
 * FHIR's JPA server) until it nears its end.
 */
class SmartBackendTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  /** An EHR's token endpoint that trusts careloop's JWKS URL, as Epic's does. */
  static final class AuthorizationServer implements AutoCloseable {
    final HttpServer server;
    final AtomicInteger tokensIssued = new AtomicInteger();
    final Set<String> jtis = new HashSet<>();
    final String jwksUrl;
    final String clientId;

    AuthorizationServer(String jwksUrl, String clientId) throws Exception {
      this.jwksUrl = jwksUrl;
      this.clientId = clientId;
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/token",
          exchange -> {
            String form =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> p = new HashMap<>();
            for (var pair : form.split("&")) {
              var kv = pair.split("=", 2);
              p.put(
                  URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                  kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
            String problem = check(p);
            String body =
                problem == null
                    ? "{\"access_token\": \"token-"
                        + tokensIssued.incrementAndGet()
                        + "\", \"token_type\": \"bearer\", \"expires_in\": 300, \"scope\": \""
                        + p.get("scope")
                        + "\"}"
                    : "{\"error\": \"invalid_client\", \"error_description\": \"" + problem + "\"}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(problem == null ? 200 : 401, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
          });
      server.start();
    }

    String tokenEndpoint() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** What is wrong with the request, or null. */
    @org.jspecify.annotations.Nullable
    String check(Map<String, String> p) {
      try {
        if (!"client_credentials".equals(p.get("grant_type"))) return "grant_type";
        if (!"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
            .equals(p.get("client_assertion_type"))) return "client_assertion_type";
        var jwt = SignedJWT.parse(p.get("client_assertion"));
        var jwks =
            JWKSet.parse(
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(jwksUrl)).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
        var key = jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        if (key == null) return "unknown kid";
        if (key.isPrivate()) return "the JWKS published a private key";
        JWSVerifier verifier =
            key instanceof RSAKey rsa ? new RSASSAVerifier(rsa) : new ECDSAVerifier((ECKey) key);
        if (!jwt.verify(verifier)) return "bad signature";
        var claims = jwt.getJWTClaimsSet();
        if (!clientId.equals(claims.getIssuer()) || !clientId.equals(claims.getSubject()))
          return "iss/sub";
        if (!claims.getAudience().contains(tokenEndpoint())) return "aud";
        var exp = claims.getExpirationTime().toInstant();
        if (exp.isBefore(Instant.now()) || exp.isAfter(Instant.now().plusSeconds(301)))
          return "exp";
        synchronized (jtis) {
          if (!jtis.add(claims.getJWTID())) return "jti replayed";
        }
        return null;
      } catch (Exception e) {
        return e.getClass().getSimpleName();
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  static EhrConnection smart(String name, String fhir, String clientId, String tokenEndpoint) {
    return new EhrConnection(
        Careloop.DEFAULT_PRACTICE,
        name,
        fhir,
        EhrConnection.Auth.SMART_BACKEND,
        Optional.of(clientId),
        Optional.of(EhrCommands.DEFAULT_SCOPE),
        Optional.of(tokenEndpoint),
        Optional.empty(),
        Optional.empty(),
        Instant.now(),
        Optional.empty());
  }

  @Test
  void careloopsJwks_signsItsAssertions_andATokenIsAskedForOnceItsLife() throws Exception {
    String fhir = FhirTestServerProcess.base();
    try (var ts = TestServer.start("smart", Instant.now());
        var auth = new AuthorizationServer(ts.base() + "/.well-known/jwks.json", "careloop-1")) {
      var c = ts.careloop();
      var setup = c.ehrSetup();
      var now = Instant.now();
      setup.connect("ada", smart("epic", fhir, "careloop-1", auth.tokenEndpoint()), now);
      var epic = c.ehrPolling().active(Careloop.DEFAULT_PRACTICE, "epic");

      // No key yet: the sign-in step says what to do.
      var none = c.ehrClient().check(epic);
      assertThat(none.get(0).ok()).isFalse();
      assertThat(none.get(0).detail()).contains("careloop ehr keys generate");

      var rsa = SmartKeys.generate(Careloop.DEFAULT_PRACTICE, "RS384", now);
      setup.addKey("ada", rsa, now);
      var jwks =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(ts.base() + "/.well-known/jwks.json")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(jwks.statusCode()).isEqualTo(200);
      var published = JWKSet.parse(jwks.body());
      assertThat(published.getKeys())
          .singleElement()
          .satisfies(k -> {
            assertThat(k.getKeyID()).isEqualTo(rsa.kid());
            assertThat(k.isPrivate()).isFalse();
          });
      assertThat(jwks.body()).doesNotContain("\"d\"");

      var checks = c.ehrClient().check(epic);
      assertThat(checks).allSatisfy(ch -> assertThat(ch.ok()).as(ch.toString()).isTrue());
      assertThat(checks.get(0).detail()).contains("a token from " + auth.tokenEndpoint());
      c.ehrPolling().poll(Careloop.DEFAULT_PRACTICE, "epic", Instant.now());
      c.ehrPolling().poll(Careloop.DEFAULT_PRACTICE, "epic", Instant.now());
      // One token for its life: the checks and both polls used the same.
      assertThat(auth.tokensIssued.get()).isEqualTo(1);

      // An ES384 key, newest, signs the next connection's assertion.
      var ec = SmartKeys.generate(Careloop.DEFAULT_PRACTICE, "ES384", now);
      setup.addKey("ada", ec, now.plusSeconds(1));
      setup.connect("ada", smart("epic-2", fhir, "careloop-1", auth.tokenEndpoint()), now);
      assertThat(c.ehrClient().check(c.ehrPolling().active(Careloop.DEFAULT_PRACTICE, "epic-2")))
          .allSatisfy(ch -> assertThat(ch.ok()).as(ch.toString()).isTrue());
      assertThat(auth.tokensIssued.get()).isEqualTo(2);

      // A client id the EHR does not know: refused, and said so with the EHR's words.
      setup.connect("ada", smart("wrong", fhir, "someone-else", auth.tokenEndpoint()), now);
      var refused = c.ehrClient().check(c.ehrPolling().active(Careloop.DEFAULT_PRACTICE, "wrong"));
      assertThat(refused.get(0).ok()).isFalse();
      assertThat(refused.get(0).detail()).contains("answered 401 invalid_client (iss/sub)");

      // A retired key leaves the JWKS.
      setup.retireKey("ada", Careloop.DEFAULT_PRACTICE, rsa.kid(), now.plusSeconds(2));
      var after =
          JWKSet.parse(
              HTTP.send(
                      HttpRequest.newBuilder(URI.create(ts.base() + "/.well-known/jwks.json"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      assertThat(after.getKeys()).extracting(k -> k.getKeyID()).containsExactly(ec.kid());
      assertThat(
              c.store().inTransaction(tx -> tx.auditTrail(200)).stream()
                  .filter(e -> e.action().startsWith("ehr.key."))
                  .map(e -> e.action()))
          .containsExactly("ehr.key.retire", "ehr.key.add", "ehr.key.add");
    }
  }

  @Test
  void theCommandLine_makesListsAndRetiresKeys_andChecksASmartConnection(@TempDir Path dir) {
    String db = Database.h2Url(dir);
    var noClient = connect(db, "epic", "--auth", "smart-backend");
    assertThat(noClient.code()).isEqualTo(2);
    assertThat(noClient.err()).contains("--auth smart-backend needs --client-id");
    var stray = connect(db, "x", "--client-id", "c");
    assertThat(stray.code()).isEqualTo(2);
    assertThat(stray.err()).contains("--client-id, --scope and --token-endpoint go with --auth");
    var ok = connect(db, "epic", "--auth", "smart-backend", "--client-id", "careloop-app");
    assertThat(ok.code()).as(ok.err()).isZero();
    var made = run("ehr", "keys", "generate", "--db", db);
    assertThat(made.code()).as(made.err()).isZero();
    assertThat(made.out()).containsPattern("signing key [0-9a-f-]{36} \\(RS384\\), published at");
    assertThat(run("ehr", "keys", "generate", "--alg", "HS256", "--db", db).err())
        .contains("--alg 'HS256' is not one of RS384, ES384");
    String kid = made.out().replaceAll("(?s).*signing key ([0-9a-f-]{36}).*", "$1");
    var listed = run("ehr", "keys", "list", "--json", "--db", db);
    assertThat(listed.out()).contains(kid).doesNotContain("\"d\"").doesNotContain("privateJwk");
    assertThat(run("ehr", "keys", "retire", kid, "--db", db).code()).isZero();
    var again = run("ehr", "keys", "retire", kid, "--db", db);
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains("no signing key " + kid + " in use");
    assertThat(run("ehr", "show", "epic", "--db", db).out()).contains("smart-backend");
  }

  /** {@code careloop ehr connect NAME --fhir-base https://fhir.example/r4 OPTIONS --db DB}. */
  static CommandLineTest.Run connect(String db, String name, String... options) {
    var args =
        new java.util.ArrayList<String>(
            java.util.List.of("ehr", "connect", name, "--fhir-base", "https://fhir.example/r4"));
    args.addAll(java.util.List.of(options));
    args.addAll(java.util.List.of("--db", db));
    return run(args.toArray(String[]::new));
  }
}
