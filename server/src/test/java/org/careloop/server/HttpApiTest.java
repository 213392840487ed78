package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.careloop.adapters.jdbc.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** careloop serve, as a separate process: FHIR in over HTTP, plans and errors out. */
class HttpApiTest {
  static final Path DATA = Path.of(System.getProperty("careloop.shared.data", "../../shared/data"));

  /** Adds the administrator "ops" whose credentials {@link #OPS} carries. */
  static void addOps(String db) {
    var admin =
        CommandLineTest.run(
            "user",
            "add",
            "ops",
            "--role",
            "admin",
            "--name",
            "Ops",
            "--password",
            "ops-password-1",
            "--db",
            db);
    assertThat(admin.code()).as(admin.err()).isZero();
  }

  static final String OPS =
      "Basic " + java.util.Base64.getEncoder().encodeToString("ops:ops-password-1".getBytes());

  @Test
  void postFhirBundle_createsPlans_andBadFhirIs400WithWhere(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("serve.log");
    String db = Database.h2Url(dir.resolve("db"));
    addOps(db);
    var serve = KillRestartTest.serve(db, log);
    try {
      String base = TwilioWebhookTest.baseUrl(serve, log);
      var http = HttpClient.newHttpClient();
      var bundle =
          Files.readString(
              DATA.resolve("fhir/synthea/Robby_Becker_69097ac3-9a4c-463b-89f6-72a392f437b4.json"));
      var ok =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/fhir"))
                  .header("Content-Type", "application/fhir+json")
                  .header("Authorization", OPS)
                  .POST(HttpRequest.BodyPublishers.ofString(bundle))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      var anonymousFeed =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/fhir"))
                  .header("Content-Type", "application/fhir+json")
                  .POST(HttpRequest.BodyPublishers.ofString(bundle))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(anonymousFeed.statusCode()).isEqualTo(401);
      assertThat(ok.body()).contains("\"plansCreated\":2");

      var bad =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/fhir"))
                  .header("Content-Type", "application/fhir+json")
                  .header("Authorization", OPS)
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          Files.readString(
                              DATA.resolve("fhir/invalid/organization-null-extensions.json"))))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("\"where\":\"HTTP body\"").contains("not valid FHIR R4 JSON");

      // Patient data over the API needs a signed-in administrator.
      var anonymous =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/plans")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      var plans =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/plans"))
                  .header("Authorization", OPS)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(plans.body()).contains("Robby").contains("\"status\":\"ACTIVE\"");
      // The read is in the audit trail (the embedded database takes a second process).
      assertThat(CommandLineTest.run("audit", "--db", db).out())
          .containsPattern("ops +api\\.get +/api/plans");
      // The front door shows no patient data to anyone not signed in: it sends to sign-in.
      var home =
          HttpClient.newBuilder()
              .followRedirects(HttpClient.Redirect.NEVER)
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/"))
                      .header("Accept", "text/html")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(home.statusCode()).isEqualTo(302);
      assertThat(home.headers().firstValue("Location"))
          .hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
      assertThat(home.body()).doesNotContain("Robby");

      // An open pixel answers with the same image whether or not the code is known.
      var pixel =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/o/unknown.gif")).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(pixel.statusCode()).isEqualTo(200);
      assertThat(pixel.headers().firstValue("Content-Type")).contains("image/gif");
      assertThat(new String(pixel.body(), 0, 6, java.nio.charset.StandardCharsets.US_ASCII))
          .isEqualTo("GIF89a");
    } finally {
      serve.destroyForcibly().waitFor();
    }
  }
}
