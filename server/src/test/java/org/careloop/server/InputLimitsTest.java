package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every input has limits, checked on the server: a body over CARELOOP_MAX_BODY is 413, text that is
 * not UTF-8 is 400 with its line and column (on HTTP as on the command line), an over-long field is
 * 400 naming it; nothing of a refused input is stored.
 */
class InputLimitsTest {
  static final Instant TODAY = Instant.parse("2026-12-01T15:00:00Z");
  static final String HEADER = "patient_id,first_name,last_name,phone,follow_up_type,due_date\n";
  static TestServer server;
  static Careloop careloop;
  static String base;

  @BeforeAll
  static void start() {
    System.setProperty("CARELOOP_MAX_BODY", "4KB");
    server = TestServer.start("limits", TODAY);
    careloop = server.careloop();
    base = server.base();
  }

  @AfterAll
  static void stop() {
    System.clearProperty("CARELOOP_MAX_BODY");
    if (server != null) server.close();
  }

  static HttpResponse<String> post(String path, String type, HttpRequest.BodyPublisher body)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(("ada:" + DemoUsers.PASSWORD).getBytes()))
                .header("Content-Type", type)
                .POST(body)
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  static int plans() {
    return careloop.read().plans(Optional.empty()).size();
  }

  static String rows(int n) {
    var csv = new StringBuilder(HEADER);
    for (int i = 0; i < n; i++)
      csv.append("MRN").append(i).append(",Sam,Lee,617-555-0101,lab,2027-01-15\n");
    return csv.toString();
  }

  @Test
  void aBodyOverTheLimit_is413_whetherItsLengthIsDeclaredOrStreamed() throws Exception {
    int before = plans();
    String big = rows(200);
    assertThat(big.length()).isGreaterThan(4096);
    var declared = post("/import/csv", "text/csv", HttpRequest.BodyPublishers.ofString(big));
    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(declared.body()).contains("larger than");
    // No Content-Length: the body arrives chunked and is cut off at the limit.
    var streamed =
        post(
            "/import/csv",
            "text/csv",
            HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))));
    assertThat(streamed.statusCode()).isEqualTo(413);
    assertThat(plans()).isEqualTo(before);
    // Under the limit, the same feed works.
    var small = post("/import/csv", "text/csv", HttpRequest.BodyPublishers.ofString(rows(2)));
    assertThat(small.statusCode()).as(small.body()).isEqualTo(200);
    assertThat(plans()).isEqualTo(before + 2);
  }

  @Test
  void textThatIsNotUtf8_is400WithLineAndColumn_onHttpAsOnTheCommandLine(@TempDir Path dir)
      throws Exception {
    int before = plans();
    byte[] latin1 =
        (HEADER + "W1,Ren\u00e9e,Lee,617-555-0101,lab,2027-01-15\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    var r = post("/import/csv", "text/csv", HttpRequest.BodyPublishers.ofByteArray(latin1));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("HTTP body:2:7").contains("byte 0xE9 at line 2, column 7");
    assertThat(plans()).isEqualTo(before);

    Path file = dir.resolve("export.csv");
    Files.write(file, latin1);
    var cli =
        CommandLineTest.run(
            "import", "csv", file.toString(), "--db", "jdbc:h2:mem:cli" + System.nanoTime());
    assertThat(cli.code()).isEqualTo(2);
    assertThat(cli.err()).contains(file + ":2:7").contains("byte 0xE9 at line 2, column 7");
  }

  @Test
  void aFieldTooLong_is400NamingIt_andNothingIsStored() throws Exception {
    int before = plans();
    String longName = "L".repeat(800);
    var csv =
        post(
            "/import/csv",
            "text/csv",
            HttpRequest.BodyPublishers.ofString(
                HEADER + "T1,Sam," + longName + ",617-555-0101,lab,2027-01-15\n"));
    assertThat(csv.statusCode()).isEqualTo(400);
    assertThat(csv.body())
        .contains("HTTP body:2, column last_name")
        .contains("800 characters")
        .doesNotContain(longName);
    String patient =
        "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"name\":[{\"family\":\""
            + longName
            + "\",\"given\":[\"Sam\"]}]}";
    var fhir = post("/fhir", "application/fhir+json", HttpRequest.BodyPublishers.ofString(patient));
    assertThat(fhir.statusCode()).isEqualTo(400);
    assertThat(fhir.body()).contains(".name[0].family").doesNotContain(longName);
    String longId =
        "{\"resourceType\":\"Patient\",\"id\":\""
            + "9".repeat(65)
            + "\",\"name\":[{\"given\":[\"Sam\"]}]}";
    var id = post("/fhir", "application/fhir+json", HttpRequest.BodyPublishers.ofString(longId));
    assertThat(id.statusCode()).isEqualTo(400);
    assertThat(id.body()).contains(".id").contains("at most 64");
    assertThat(plans()).isEqualTo(before);
  }
}
