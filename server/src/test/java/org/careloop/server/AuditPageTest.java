package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The audit page: one practice's events, filtered and paged, and the same as a CSV file. */
class AuditPageTest {
  static final Instant TODAY = Instant.parse("2026-12-01T15:00:00Z");
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start("auditpage", TODAY);
    var admin = server.careloop().administration();
    for (int i = 0; i < 120; i++)
      admin.audit("cora", Optional.of(Careloop.DEFAULT_PRACTICE), "case.view", "task " + i, TODAY);
    admin.audit("nina", Optional.of(Careloop.DEFAULT_PRACTICE), "case.view", "task 7", TODAY);
    admin.audit("lena", Optional.of("lakeside"), "case.view", "task 9", TODAY);
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  static HttpResponse<String> get(HttpClient http, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.base() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aManager_pagesAndFiltersTheirPracticesTrail_andDownloadsItAsCsv() throws Exception {
    var http = SignInTest.browser();
    assertThat(SignInTest.formSignIn(http, server.base(), "max", DemoUsers.PASSWORD))
        .endsWith("/work");
    var page = get(http, "/work/audit");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("page 1 of").doesNotContain(">lena<");
    assertThat(page.body().split("<tr>").length - 2).isEqualTo(WorkspaceController.AUDIT_PAGE);

    var nina = get(http, "/work/audit?person=nina");
    assertThat(nina.body()).contains("1 event(s); page 1 of 1").contains(">nina<");
    assertThat(nina.body()).doesNotContain(">cora<");

    var bad = get(http, "/work/audit?from=yesterday");
    assertThat(bad.statusCode()).isEqualTo(200);
    assertThat(bad.body()).contains("from: &#39;yesterday&#39; is not a date");

    var csv = get(http, "/work/audit/export.csv?person=cora");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
    assertThat(csv.headers().firstValue("Content-Disposition"))
        .contains("attachment; filename=\"careloop-audit.csv\"");
    var lines = csv.body().lines().toList();
    assertThat(lines.get(0)).isEqualTo("seq,at,person,action,subject,patient,detail");
    assertThat(lines).hasSize(121);
    assertThat(lines.subList(1, lines.size())).allMatch(l -> l.contains(",cora,case.view,"));

    // Looking at the trail is on the trail.
    assertThat(server.careloop().administration().auditTrail(5))
        .extracting(e -> e.action())
        .contains("audit.export", "audit.view");
  }

  @Test
  void aCoordinator_cannotSeeTheTrail() throws Exception {
    var http = SignInTest.browser();
    SignInTest.formSignIn(http, server.base(), "cora", DemoUsers.PASSWORD);
    assertThat(get(http, "/work/audit").statusCode()).isEqualTo(403);
    assertThat(get(http, "/work/audit/export.csv").statusCode()).isEqualTo(403);
  }
}
