package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.careloop.adapters.jdbc.SandboxSender;
import org.careloop.adapters.mail.SmtpSender;
import org.careloop.app.ChannelSender;
import org.careloop.app.Deliveries;
import org.careloop.app.Dispatcher;
import org.careloop.app.Engine;
import org.careloop.app.Links;
import org.careloop.app.Protocols;
import org.careloop.app.Replies;
import org.careloop.app.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Email through a real SMTP server (GreenMail): multipart, one-click unsubscribe that works. */
class SmtpTest {
  static final Instant T0 = BadInputTest.NOW;

  @RegisterExtension
  static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @Test
  void email_isMultipartWithOneClickUnsubscribe_andTheLinkOptsTheAddressOut() throws Exception {
    try (var db = TestDatabases.open("h2")) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.importRow(
          store, "MRN1,Sarah Lee,,Sarah.Lee@Example.org,Dr. M,lab,,2026-04-01");
      var engine = new Engine(Protocols.defaults());
      var mail =
          new SmtpSender(
              "127.0.0.1",
              smtp.getSmtp().getPort(),
              false,
              Optional.empty(),
              Optional.empty(),
              "Riverside Family Medicine <care@riverside.example.org>");
      var sandbox = new SandboxSender(java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC));
      var dispatcher =
          new Dispatcher(
              Map.<String, ChannelSender>of(
                  "SMS", sandbox, "EMAIL", mail, "EHR_NOTE", sandbox, "EHR_INBOX", sandbox),
              new Deliveries(engine),
              new Links("https://careloop.example.org/"));
      dispatcher.dispatchDue(store, T0, 10);

      var received = smtp.getReceivedMessages();
      assertThat(received).hasSize(1);
      var message = received[0];
      assertThat(message.getAllRecipients()[0].toString()).isEqualTo("Sarah.Lee@Example.org");
      assertThat(message.getFrom()[0].toString()).contains("care@riverside.example.org");
      assertThat(message.getSubject()).isEqualTo("Your care plan with Riverside Family Medicine");
      var parts = (MimeMultipart) message.getContent();
      assertThat(parts.getContentType()).startsWith("multipart/alternative");
      assertThat(parts.getCount()).isEqualTo(2);
      assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
      assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
      assertThat((String) parts.getBodyPart(1).getContent())
          .contains("<a href=\"https://careloop.example.org/l/");
      String unsubscribe = message.getHeader("List-Unsubscribe")[0];
      assertThat(unsubscribe).matches("<https://careloop\\.example\\.org/u/EMAIL\\.[^>]+>");
      assertThat(message.getHeader("List-Unsubscribe-Post"))
          .containsExactly("List-Unsubscribe=One-Click");

      // A forged token does nothing; the real one opts the address out.
      var replies = new Replies(store, engine, "default");
      String token =
          unsubscribe.substring(unsubscribe.indexOf("/u/") + 3, unsubscribe.length() - 1);
      assertThat(replies.emailUnsubscribe(token.substring(0, token.length() - 2) + "xx", T0))
          .isFalse();
      assertThat(replies.emailUnsubscribe(token, T0)).isTrue();

      // The day-7 check-in is not emailed: no SMS either, so a person gets the case.
      new Runner(store, engine, dispatcher).advance(T0, T0.plus(Duration.ofDays(8)), t -> {});
      assertThat(smtp.getReceivedMessages()).hasSize(1);
      var q = new Queries(db.dataSource());
      assertThat(q.strings("select title from task"))
          .containsExactly("Patient opted out of automated messages: reach them personally");
    }
  }
}
