package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A signed-in person who asks for something wrong gets careloop's own page and a way back. */
class ErrorPagesTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start("errorpages", Instant.parse("2026-12-01T15:00:00Z"));
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  @Test
  void badRequest_forbidden_andNotFound_areCarelopsPages_withAWayBack() throws Exception {
    var http = SignInTest.browser();
    assertThat(SignInTest.formSignIn(http, server.base(), "cora", DemoUsers.PASSWORD))
        .endsWith("/work");
    record Case(String path, int status, String heading) {}
    for (var c :
        new Case[] {
          new Case("/work?page=second", 400, "Not understood"),
          new Case("/work/audit", 403, "Not allowed"),
          new Case("/work/cases/987654", 404, "Not found"),
          new Case("/work/nothing-here", 404, "Not found")
        }) {
      var r =
          http.send(
              // As a browser asks: for a page.
              HttpRequest.newBuilder(URI.create(server.base() + c.path()))
                  .header("Accept", "text/html,application/xhtml+xml")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(c.path()).isEqualTo(c.status());
      assertThat(r.body())
          .as(c.path())
          .contains(c.heading())
          .contains("href=\"/work\"")
          .contains("/workspace.css")
          .doesNotContain("Whitelabel")
          .doesNotContain("Exception");
    }
  }
}
