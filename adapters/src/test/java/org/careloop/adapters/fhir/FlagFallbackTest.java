package org.careloop.adapters.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.careloop.adapters.smart.SmartTokens;
import org.careloop.app.EhrConnection;
import org.careloop.app.Store;
import org.careloop.app.messaging.ChannelSender;
import org.careloop.app.messaging.EhrWriter;
import org.junit.jupiter.api.Test;

/**
 * An EHR that keeps no flags (404 or 405 for a Flag) gets a provider review as a Task for the
 * provider instead; other refusals of a Flag stay refusals.
 */
class FlagFallbackTest {
  record Seen(String method, String path, String body) {}

  /** A FHIR server on a loopback port that answers {@code flagStatus} to any Flag write. */
  static HttpServer ehr(int flagStatus, List<Seen> seen) throws Exception {
    var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/fhir",
        x -> {
          String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String path = x.getRequestURI().getPath();
          seen.add(new Seen(x.getRequestMethod(), path, body));
          boolean flag = path.endsWith("/Flag");
          String type = flag ? "Flag" : "Task";
          String answer =
              flag
                  ? "{\"resourceType\": \"OperationOutcome\", \"issue\": [{\"severity\": \"error\","
                      + " \"code\": \"not-supported\"}]}"
                  : body.replaceFirst("\\{", "{\"id\": \"t1\",");
          x.getResponseHeaders().add("Content-Type", "application/fhir+json");
          if (!flag)
            x.getResponseHeaders().add("Location", "http://127.0.0.1/fhir/" + type + "/t1");
          var bytes = answer.getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(flag ? flagStatus : 201, bytes.length);
          x.getResponseBody().write(bytes);
          x.close();
        });
    server.start();
    return server;
  }

  static EhrWriter.WriteBack review(Instant now) {
    return new EhrWriter.WriteBack(
        EhrWriter.Kind.PROVIDER_REVIEW,
        "plan-1:provider-review:lab:2",
        "Patient/p1",
        "careloop: review",
        false,
        now,
        Optional.of(
            new Store.Tasks.CaseState(
                1,
                "plan-1:provider-review:lab:2",
                "default",
                "plan-1",
                "patient-1",
                "PROVIDER_REVIEW",
                "HIGH",
                "Provider review: 2 consecutive missed steps",
                "Decide the next step.",
                "provider",
                now,
                now.plusSeconds(86_400),
                Optional.empty(),
                Optional.empty())));
  }

  static EhrConnection connection(HttpServer server, Instant now) {
    return new EhrConnection(
        "default",
        "main",
        "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir",
        EhrConnection.Auth.NONE,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        now,
        Optional.empty());
  }

  static FhirEhrClient client() {
    return new FhirEhrClient(
        practice -> {
          throw new UnsupportedOperationException("no reads here");
        },
        new SmartTokens(key -> Optional.empty(), Clock.systemUTC()));
  }

  @Test
  void anEhrWithoutFlags_getsATaskForTheProvider() throws Exception {
    var seen = new CopyOnWriteArrayList<Seen>();
    var server = ehr(404, seen);
    try {
      var now = Instant.parse("2026-12-04T10:00:00Z");
      String ref = client().write(connection(server, now), review(now));
      assertThat(ref).isEqualTo("Task/t1");
      assertThat(seen).extracting(Seen::method).containsExactly("PUT", "PUT");
      assertThat(seen.get(0).path()).endsWith("/Flag");
      assertThat(seen.get(1).path()).endsWith("/Task");
      var task =
          (org.hl7.fhir.r4.model.Task)
              ca.uhn.fhir.context.FhirContext.forR4Cached()
                  .newJsonParser()
                  .parseResource(seen.get(1).body());
      assertThat(task.getPerformerTypeFirstRep().getText()).isEqualTo("provider");
      assertThat(task.getStatus()).isEqualTo(org.hl7.fhir.r4.model.Task.TaskStatus.REQUESTED);
      assertThat(task.getDescription()).startsWith("Provider review: 2 consecutive missed steps");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aFlagRefusedAsInvalid_staysRefused_noTask() throws Exception {
    var seen = new CopyOnWriteArrayList<Seen>();
    var server = ehr(422, seen);
    try {
      var now = Instant.parse("2026-12-04T10:00:00Z");
      assertThatThrownBy(() -> client().write(connection(server, now), review(now)))
          .isInstanceOf(ChannelSender.PermanentFailure.class)
          .hasMessageContaining("refused the Flag (422)");
      assertThat(seen).hasSize(1);
    } finally {
      server.stop(0);
    }
  }
}
