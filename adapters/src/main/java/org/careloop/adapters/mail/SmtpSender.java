package org.careloop.adapters.mail;

import jakarta.mail.Address;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.Optional;
import java.util.Properties;
import org.careloop.app.Store;
import org.careloop.app.messaging.ChannelSender;
import org.careloop.app.messaging.Message;

/**
 * Sends email through an SMTP server: multipart text and HTML, with a one-click {@code
 * List-Unsubscribe} (RFC 8058) so mail clients offer the patient a real unsubscribe button. An
 * address the server refuses outright is a dead contact point; anything else is retried.
 */
public final class SmtpSender implements ChannelSender {
  private final Session session;
  private final InternetAddress defaultFrom;
  private final Optional<String> user;
  private final Optional<String> password;

  /**
   * @param starttls require STARTTLS (keep it on for any server that is not on this machine)
   * @param returnPath the envelope sender, where mail servers send bounce reports (the mailbox
   *     {@link BounceMailbox} reads); by default the From address
   */
  public SmtpSender(
      String host,
      int port,
      boolean starttls,
      Optional<String> user,
      Optional<String> password,
      String defaultFrom,
      Optional<String> returnPath) {
    var props = new Properties();
    returnPath.ifPresent(r -> props.put("mail.smtp.from", r));
    props.put("mail.smtp.host", host);
    props.put("mail.smtp.port", String.valueOf(port));
    props.put("mail.smtp.auth", String.valueOf(user.isPresent()));
    props.put("mail.smtp.starttls.enable", String.valueOf(starttls));
    props.put("mail.smtp.starttls.required", String.valueOf(starttls));
    props.put("mail.smtp.connectiontimeout", "10000");
    props.put("mail.smtp.timeout", "20000");
    props.put("mail.smtp.writetimeout", "20000");
    this.session = Session.getInstance(props);
    this.user = user;
    this.password = password;
    try {
      this.defaultFrom = new InternetAddress(defaultFrom, true);
    } catch (AddressException e) {
      throw new IllegalArgumentException("the email From address is not valid: " + defaultFrom, e);
    }
  }

  @Override
  public Optional<String> send(Store.Tx tx, Message m) {
    try {
      var mail = new MimeMessage(session);
      mail.setFrom(m.from().map(SmtpSender::address).orElse(defaultFrom));
      mail.setRecipient(RecipientType.TO, address(m.to()));
      mail.setSubject(m.subject().orElse(""), "UTF-8");
      var text = new MimeBodyPart();
      text.setText(m.body(), "UTF-8", "plain");
      var html = new MimeBodyPart();
      html.setText(Html.of(m.body(), m.openPixelUrl()), "UTF-8", "html");
      var alternatives = new MimeMultipart("alternative");
      alternatives.addBodyPart(text);
      alternatives.addBodyPart(html);
      mail.setContent(alternatives);
      if (m.unsubscribeUrl().isPresent()) {
        mail.setHeader("List-Unsubscribe", "<" + m.unsubscribeUrl().get() + ">");
        mail.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
      }
      mail.saveChanges();
      if (user.isPresent()) Transport.send(mail, user.get(), password.orElse(""));
      else Transport.send(mail);
      return Optional.ofNullable(mail.getMessageID());
    } catch (SendFailedException e) {
      Address[] invalid = e.getInvalidAddresses();
      if (invalid != null && invalid.length > 0)
        throw new PermanentFailure(
            "the mail server refused the address", Optional.of("smtp-550"), true);
      throw new IllegalStateException("SMTP send failed: " + e.getClass().getSimpleName());
    } catch (MessagingException e) {
      // The class only: a server's text can quote the address.
      throw new IllegalStateException("SMTP send failed: " + e.getClass().getSimpleName());
    }
  }

  private static InternetAddress address(String text) {
    try {
      return new InternetAddress(text, true);
    } catch (AddressException e) {
      throw new PermanentFailure("not a valid email address", Optional.of("address"), true);
    }
  }
}
