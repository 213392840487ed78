package org.careloop.adapters.mail;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.search.FlagTerm;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.angus.mail.dsn.DeliveryStatus;
import org.eclipse.angus.mail.dsn.MultipartReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailbox bounces come back to (the envelope sender of careloop's emails), read over IMAP. Each
 * unread delivery status notification (RFC 3464: {@code multipart/report; report-type=
 * delivery-status}) becomes a {@link Report} naming the message it is about by its Message-ID.
 * Everything read is flagged seen, so a report is handed over once per mailbox.
 */
public final class BounceMailbox {
  private static final Logger log = LoggerFactory.getLogger(BounceMailbox.class);

  /**
   * What a mail server said about one recipient of one message.
   *
   * @param reportId the report's own Message-ID (or one made from what it is about)
   * @param messageId the Message-ID of the email that bounced
   * @param action failed, delayed, delivered, relayed or expanded
   * @param status the enhanced status code, e.g. {@code 5.1.1}
   */
  public record Report(String reportId, String messageId, String action, String status) {

    /** Whether the mail server gave up for good. */
    public boolean failed() {
      return action.equalsIgnoreCase("failed") && status.startsWith("5.");
    }
  }

  private final Session session;
  private final String protocol;
  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private final String folder;

  /**
   * @param tls IMAPS (keep it on for any server that is not on this machine)
   */
  public BounceMailbox(
      String host, int port, boolean tls, String user, String password, String folder) {
    this.protocol = tls ? "imaps" : "imap";
    var props = new Properties();
    props.put("mail." + protocol + ".connectiontimeout", "10000");
    props.put("mail." + protocol + ".timeout", "20000");
    this.session = Session.getInstance(props);
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.folder = folder;
  }

  /** Reads the unread messages and returns the delivery reports among them. */
  public List<Report> readNew() {
    var reports = new ArrayList<Report>();
    try (var store = session.getStore(protocol)) {
      store.connect(host, port, user, password);
      var inbox = store.getFolder(folder);
      inbox.open(Folder.READ_WRITE);
      try {
        var unread = inbox.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
        int other = 0;
        for (var message : unread) {
          var found = reportsOf((jakarta.mail.internet.MimeMessage) message);
          if (found.isEmpty()) other++;
          reports.addAll(found);
          message.setFlag(Flags.Flag.SEEN, true);
        }
        if (other > 0)
          log.info("bounce mailbox: {} message(s) that are not delivery reports", other);
      } finally {
        inbox.close(false);
      }
    } catch (MessagingException e) {
      // The class only: a server's text can quote addresses.
      throw new IllegalStateException(
          "reading the bounce mailbox failed: " + e.getClass().getSimpleName(), e);
    }
    return reports;
  }

  private static List<Report> reportsOf(jakarta.mail.internet.MimeMessage message)
      throws MessagingException {
    Object content;
    try {
      content = message.getContent();
    } catch (IOException e) {
      return List.of();
    }
    if (!(content instanceof MultipartReport report)
        || !(report.getReport() instanceof DeliveryStatus status)) return List.of();
    var returned = report.getReturnedMessage();
    Optional<String> original =
        Optional.ofNullable(returned == null ? null : returned.getHeader("Message-ID", null))
            .map(String::trim);
    if (original.isEmpty()) return List.of();
    String reportId =
        Optional.ofNullable(message.getHeader("Message-ID"))
            .filter(h -> h.length > 0)
            .map(h -> h[0].trim())
            .orElse("");
    var out = new ArrayList<Report>();
    for (int i = 0; i < status.getRecipientDSNCount(); i++) {
      var dsn = status.getRecipientDSN(i);
      String action = Optional.ofNullable(dsn.getHeader("Action", null)).orElse("").trim();
      String code = Optional.ofNullable(dsn.getHeader("Status", null)).orElse("").trim();
      String id = reportId.isEmpty() ? original.get() + "/" + action + "/" + code : reportId;
      out.add(
          new Report(
              status.getRecipientDSNCount() > 1 ? id + "#" + i : id, original.get(), action, code));
    }
    return out;
  }
}
