package org.careloop.server;

import java.time.Clock;
import java.util.Optional;
import org.careloop.adapters.jdbc.SandboxSender;
import org.careloop.adapters.twilio.TwilioSignatures;
import org.careloop.adapters.twilio.TwilioSmsSender;
import org.careloop.app.ChannelSender;

/**
 * Which channels carry messages, from the environment. {@code sandbox} (the default) keeps every
 * message in the database; {@code twilio} sends SMS through Twilio; {@code smtp} sends email
 * through an SMTP server.
 *
 * @param signatures present when Twilio is configured: its webhooks are checked with it
 */
public record Channels(
    ChannelSender sms,
    ChannelSender email,
    String smsMode,
    String emailMode,
    Optional<TwilioSignatures> signatures) {

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
    return new Channels(sms, email, smsMode, emailMode, signatures);
  }
}
