package org.careloop.server;

import org.careloop.adapters.mail.SmtpSender;

/** The SMTP server email goes through, from CARELOOP_SMTP_* settings. */
final class SmtpConfig {
  private SmtpConfig() {}

  static SmtpSender fromEnvironment() {
    String host = Channels.required("CARELOOP_SMTP_HOST", "CARELOOP_EMAIL=smtp sends through it");
    int port = Integer.parseInt(Channels.env("CARELOOP_SMTP_PORT").orElse("587"));
    boolean starttls = !Channels.env("CARELOOP_SMTP_STARTTLS").orElse("true").equals("false");
    return new SmtpSender(
        host,
        port,
        starttls,
        Channels.env("CARELOOP_SMTP_USER"),
        Channels.env("CARELOOP_SMTP_PASSWORD"),
        Channels.required(
            "CARELOOP_EMAIL_FROM", "emails need a From address (a practice may set its own)"),
        Channels.env("CARELOOP_SMTP_RETURN_PATH"));
  }
}
