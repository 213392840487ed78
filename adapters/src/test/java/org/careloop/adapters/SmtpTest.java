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
import org.careloop.app.engine.Engine;
import org.careloop.app.engine.Runner;
import org.careloop.app.messaging.ChannelSender;
import org.careloop.app.messaging.Deliveries;
import org.careloop.app.messaging.Dispatcher;
import org.careloop.app.messaging.Links;
import org.careloop.app.messaging.Replies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Email through a real SMTP server (GreenMail): multipart, one-click unsubscribe that works. */
class SmtpTest {
  static final Instant T0 = BadInputTest.NOW;

  @RegisterExtension
  static GreenMailExtension smtp =
      new GreenMailExtension(
          com.icegreen.greenmail.util.ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

  @Test
  void email_isMultipartWithOneClickUnsubscribe_andTheLinkOptsTheAddressOut() throws Exception {
    try (var db = TestDatabases.open("h2")) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.importRow(
          store, "MRN1,Sarah Lee,,Sarah.Lee@Example.org,Dr. M,lab,,2026-04-01");
      var engine = new Engine(Shipped.protocols());
      var dispatcher = smtpDispatcher(engine);
      dispatcher.dispatchDue(store, T0, 10);

      var received = smtp.getReceivedMessages();
      assertThat(received).hasSize(1);
      var message = received[0];
      assertThat(message.getAllRecipients()[0].toString()).isEqualTo("Sarah.Lee@Example.org");
      assertThat(message.getFrom()[0].toString()).contains("care@riverside.example.org");
      // Bounces go to the return-path mailbox, not to the practice's From address.
      assertThat(message.getHeader("Return-Path"))
          .containsExactly("<bounces@riverside.example.org>");
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
      var replies = new Replies(store, engine, "default", org.careloop.app.SlotSource.NONE);
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

  @Test
  void openPixel_onlyWhereThePracticeTracksOpens_countsEachOpen_andTheFirstGoesOnTheTimeline()
      throws Exception {
    try (var db = TestDatabases.open("h2")) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.importRow(store, "MRN1,Sarah Lee,,sarah@example.org,Dr. M,lab,,2026-04-01");
      var engine = new Engine(Shipped.protocols());
      var dispatcher = smtpDispatcher(engine);
      dispatcher.dispatchDue(store, T0, 10);
      // Off by default: no pixel.
      assertThat(html(smtp.getReceivedMessages()[0])).doesNotContain("<img");

      var practice = store.inTransaction(tx -> tx.practice("default"));
      store.upsertPractice(
          new org.careloop.app.Practice(
              practice.id(),
              practice.name(),
              practice.zone(),
              practice.phone(),
              practice.bookingUrl(),
              practice.smsSender(),
              practice.emailFrom(),
              true,
              Optional.empty()));
      DispatcherTest.importRow(store, "MRN2,Ana Diaz,,ana@example.org,Dr. M,lab,,2026-04-01");
      dispatcher.dispatchDue(store, T0, 10);
      String html = html(smtp.getReceivedMessages()[1]);
      var pixel =
          java.util.regex.Pattern.compile(
                  "<img src=\"https://careloop\\.example\\.org/o/([A-Za-z0-9_-]+)\\.gif\" width=\"1\" height=\"1\" alt=\"\">")
              .matcher(html);
      assertThat(pixel.find()).as(html).isTrue();
      String code = pixel.group(1);

      var replies = new Replies(store, engine, "default", org.careloop.app.SlotSource.NONE);
      // A pixel is not a link: it redirects nowhere and books nothing.
      assertThat(replies.linkClicked(code, T0)).isEmpty();
      assertThat(replies.emailOpened("not-a-code", T0)).isFalse();
      assertThat(replies.emailOpened(code, T0.plusSeconds(60))).isTrue();
      assertThat(replies.emailOpened(code, T0.plusSeconds(120))).isTrue();
      var q = new Queries(db.dataSource());
      assertThat(
              q.strings("select clicks || ' ' || purpose from tracked_link where code = ?", code))
          .containsExactly("2 OPEN");
      assertThat(q.strings("select detail from timeline_entry where kind = 'opened'"))
          .singleElement()
          .asString()
          .startsWith("email ")
          .endsWith(":EMAIL opened");
      // An open is not a reply: the plan's messages are not paused.
      assertThat(q.strings("select detail from timeline_entry"))
          .noneMatch(t -> t.contains("paused"));
    }
  }

  /** A delivery status notification as Postfix writes one (RFC 3464). */
  static String postfixBounce(String reportId, String originalMessageId, String status) {
    return """
    From: MAILER-DAEMON@mx.example.org (Mail Delivery System)
    To: bounces@riverside.example.org
    Subject: Undelivered Mail Returned to Sender
    Message-ID: %1$s
    Date: Mon,  2 Mar 2026 10:05:01 -0500 (EST)
    MIME-Version: 1.0
    Content-Type: multipart/report; report-type=delivery-status;
    	boundary="ABC123.1772463901/mx.example.org"

    This is a MIME-encapsulated message.

    --ABC123.1772463901/mx.example.org
    Content-Description: Notification
    Content-Type: text/plain; charset=us-ascii

    This is the mail system at host mx.example.org.

    I'm sorry to have to inform you that your message could not
    be delivered to one or more recipients.

    <sarah@example.org>: host mx.example.org said: 550 %3$s <sarah@example.org>:
        Recipient address rejected: User unknown in virtual mailbox table

    --ABC123.1772463901/mx.example.org
    Content-Description: Delivery report
    Content-Type: message/delivery-status

    Reporting-MTA: dns; mx.example.org
    X-Postfix-Queue-ID: ABC123
    X-Postfix-Sender: rfc822; bounces@riverside.example.org
    Arrival-Date: Mon,  2 Mar 2026 10:05:00 -0500 (EST)

    Final-Recipient: rfc822; sarah@example.org
    Original-Recipient: rfc822;sarah@example.org
    Action: failed
    Status: %3$s
    Remote-MTA: dns; mx.example.org
    Diagnostic-Code: smtp; 550 %3$s <sarah@example.org>: Recipient address
        rejected: User unknown in virtual mailbox table

    --ABC123.1772463901/mx.example.org
    Content-Description: Undelivered Message Headers
    Content-Type: text/rfc822-headers

    Return-Path: <bounces@riverside.example.org>
    From: Riverside Family Medicine <care@riverside.example.org>
    To: sarah@example.org
    Message-ID: %2$s
    Subject: Your care plan with Riverside Family Medicine

    --ABC123.1772463901/mx.example.org--
    """
        .formatted(reportId, originalMessageId, status)
        .replace("\n", "\r\n");
  }

  @Test
  void asyncBounce_readFromTheReturnMailbox_marksTheAddressDead_andFallsBack_once()
      throws Exception {
    try (var db = TestDatabases.open("h2")) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.importRow(store, "MRN1,Sarah Lee,,sarah@example.org,Dr. M,lab,,2026-04-01");
      var engine = new Engine(Shipped.protocols());
      smtpDispatcher(engine).dispatchDue(store, T0, 10);
      var q = new Queries(db.dataSource());
      String messageId = q.strings("select provider_id from outbox").get(0);
      assertThat(messageId).startsWith("<").endsWith(">");

      var mailbox = smtp.setUser("bounces@riverside.example.org", "bounces", "secret");
      var session = jakarta.mail.Session.getInstance(new java.util.Properties());
      mailbox.deliver(
          new jakarta.mail.internet.MimeMessage(
              session,
              new java.io.ByteArrayInputStream(
                  postfixBounce("<r1@mx.example.org>", messageId, "5.1.1")
                      .getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
      // An out-of-office reply in the same mailbox is not a report.
      var auto = new jakarta.mail.internet.MimeMessage(session);
      auto.setFrom("sarah@example.org");
      auto.setSubject("Out of office");
      auto.setText("Back on Monday.");
      mailbox.deliver(auto);

      var reader =
          new org.careloop.adapters.mail.BounceMailbox(
              "127.0.0.1", smtp.getImap().getPort(), false, "bounces", "secret", "INBOX");
      var reports = reader.readNew();
      assertThat(reports)
          .containsExactly(
              new org.careloop.adapters.mail.BounceMailbox.Report(
                  "<r1@mx.example.org>", messageId, "failed", "5.1.1"));
      assertThat(reader.readNew()).as("read once").isEmpty();

      var deliveries = new Deliveries(engine);
      var r = reports.get(0);
      assertThat(
              deliveries.bounceReported(
                  store, r.reportId(), r.messageId(), r.action(), r.status(), T0.plusSeconds(60)))
          .isTrue();
      assertThat(
              deliveries.bounceReported(
                  store, r.reportId(), r.messageId(), r.action(), r.status(), T0.plusSeconds(90)))
          .as("the same report twice")
          .isFalse();
      assertThat(q.strings("select delivery_status || ' ' || delivery_error from outbox"))
          .containsExactly("bounced 5.1.1");
      assertThat(q.strings("select email_status from patient")).containsExactly("BOUNCED");
      assertThat(q.strings("select detail from timeline_entry order by id"))
          .anyMatch(t -> t.contains("email bounced: 5.1.1 (address not usable)"));
      // No mobile either: the intake becomes a person's call.
      assertThat(q.strings("select title from task")).hasSize(1);
    }
  }

  private static Dispatcher smtpDispatcher(Engine engine) {
    var mail =
        new SmtpSender(
            "127.0.0.1",
            smtp.getSmtp().getPort(),
            false,
            Optional.empty(),
            Optional.empty(),
            "Riverside Family Medicine <care@riverside.example.org>",
            Optional.of("bounces@riverside.example.org"));
    var sandbox = new SandboxSender(java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC));
    return new Dispatcher(
        Map.<String, ChannelSender>of(
            "SMS", sandbox, "EMAIL", mail, "EHR_NOTE", sandbox, "EHR_INBOX", sandbox),
        new Deliveries(engine),
        new Links("https://careloop.example.org/"));
  }

  private static String html(jakarta.mail.internet.MimeMessage message) throws Exception {
    return (String) ((MimeMultipart) message.getContent()).getBodyPart(1).getContent();
  }
}
