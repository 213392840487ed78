package org.careloop.server;

import java.time.Clock;
import java.util.Optional;
import org.careloop.adapters.jdbc.SandboxSender;
import org.careloop.adapters.mail.BounceMailbox;
import org.careloop.adapters.twilio.TwilioSignatures;
import org.careloop.adapters.twilio.TwilioSmsSender;
import org.careloop.app.messaging.ChannelSender;

/**
 * Which channels carry messages, from the environment. {@code sandbox} (the default) keeps every
 * message in the database; {@code twilio} sends SMS through Twilio; {@code smtp} sends email
 * through an SMTP server.
 *
 * @param signatures present when Twilio is configured: its webhooks are checked with it
 * @param bounces the mailbox bounce reports come back to, when CARELOOP_BOUNCE_IMAP_HOST is set
 */
public record Channels(
    ChannelSender sms,
    ChannelSender email,
    String smsMode,
    String emailMode,
    Optional<TwilioSignatures> signatures,
    Optional<BounceMailbox> bounces) {

  static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name))
        .or(() -> Optional.ofNullable(System.getProperty(name)))
        .filter(v -> !v.isBlank());
  }

  static String required(String name, String why) {
    return env(name).orElseThrow(() -> new IllegalStateException("set " + name + ": " + why));
  }

  /** Reads CARELOOP_SMS and CARELOOP_EMAIL and what each mode needs. */
  static Channels fromEnvironment(Clock clock) {
    var sandbox = new SandboxSender(clock);
    String smsMode = env("CARELOOP_SMS").orElse("sandbox");
    String emailMode = env("CARELOOP_EMAIL").orElse("sandbox");
    ChannelSender sms = sandbox;
    Optional<TwilioSignatures> signatures = Optional.empty();
    switch (smsMode) {
      case "sandbox" -> {}
      case "twilio" -> {
        String sid = required("TWILIO_ACCOUNT_SID", "CARELOOP_SMS=twilio sends with it");
        String token = required("TWILIO_AUTH_TOKEN", "CARELOOP_SMS=twilio sends with it");
        sms =
            new TwilioSmsSender(
                sid,
                token,
                env("CARELOOP_TWILIO_API_URL").orElse(TwilioSmsSender.TWILIO_API),
                env("CARELOOP_TWILIO_SENDER"),
                Careloop.publicUrl() + "/twilio/status");
        signatures = Optional.of(new TwilioSignatures(token));
      }
      default ->
          throw new IllegalStateException("CARELOOP_SMS must be sandbox or twilio, not " + smsMode);
    }
    ChannelSender email = sandbox;
    switch (emailMode) {
      case "sandbox" -> {}
      case "smtp" -> email = SmtpConfig.fromEnvironment();
      default ->
          throw new IllegalStateException(
              "CARELOOP_EMAIL must be sandbox or smtp, not " + emailMode);
    }
    Optional<BounceMailbox> bounces =
        env("CARELOOP_BOUNCE_IMAP_HOST")
            .map(host ->
                new BounceMailbox(
                    host,
                    Integer.parseInt(env("CARELOOP_BOUNCE_IMAP_PORT").orElse("993")),
                    !env("CARELOOP_BOUNCE_IMAP_TLS").orElse("true").equals("false"),
                    required("CARELOOP_BOUNCE_IMAP_USER", "the bounce mailbox is read with it"),
                    required("CARELOOP_BOUNCE_IMAP_PASSWORD", "the bounce mailbox is read with it"),
                    env("CARELOOP_BOUNCE_IMAP_FOLDER").orElse("INBOX")));
    return new Channels(sms, email, smsMode, emailMode, signatures, bounces);
  }
}
