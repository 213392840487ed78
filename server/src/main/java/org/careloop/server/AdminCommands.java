package org.careloop.server;

import java.net.URI;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Optional;
import java.util.regex.Pattern;
import org.careloop.adapters.mail.EmailAddresses;
import picocli.CommandLine.Option;

/**
 * What the administrative commands ({@link PracticeCommands}, {@link PatientCommands}, {@link
 * UserCommands}, {@link AuditCommand}) share: who is acting, recorded with each audited change
 * ({@code --by}), and the checks of their option values.
 */
final class AdminCommands {
  private AdminCommands() {}

  /** Who is acting: recorded on every audit event. */
  static final class ActorMixin {
    @Option(
        names = "--by",
        description = "who is acting, for the audit trail (default: cli:<your user name>)")
    Optional<String> by = Optional.empty();

    String actor() {
      return by.filter(b -> !b.isBlank()).orElse("cli:" + System.getProperty("user.name"));
    }
  }

  static final Pattern MESSAGING_SERVICE = Pattern.compile("MG[0-9a-fA-F]{32}");
  static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  static String required(String option, String value) {
    if (value.isBlank()) throw new IllegalArgumentException(option + " must not be empty");
    return value.trim();
  }

  static Optional<String> optional(String value, java.util.function.UnaryOperator<String> check) {
    return value.equals("none") ? Optional.empty() : Optional.of(check.apply(value.trim()));
  }

  static String matching(String option, String value, Pattern p, String what) {
    if (!p.matcher(value).matches())
      throw new IllegalArgumentException(option + " '" + value + "' is not " + what);
    return value;
  }

  static ZoneId zone(String value) {
    try {
      return ZoneId.of(value);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "--zone '" + value + "' is not a time zone such as America/Chicago");
    }
  }

  static String url(String option, String value) {
    try {
      var uri = URI.create(value);
      if ((uri.getScheme() != null
              && (uri.getScheme().equals("https") || uri.getScheme().equals("http")))
          && uri.getHost() != null) return value;
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + " '" + value + "' is not an http(s) URL");
  }

  static String slotSearch(String value) {
    url("--slot-search", value);
    if (!URI.create(value).getPath().endsWith("/Slot"))
      throw new IllegalArgumentException(
          "--slot-search '"
              + value
              + "' is not a FHIR Slot search such as https://ehr.example/fhir/Slot?schedule=Schedule/12");
    return value;
  }

  static String smsSender(String value) {
    if (MESSAGING_SERVICE.matcher(value).matches() || E164.matcher(value).matches()) return value;
    throw new IllegalArgumentException(
        "--sms-sender '"
            + value
            + "' is neither a Messaging Service SID (MG + 32 hex digits) nor an E.164 number");
  }

  static String email(String value) {
    return email("--email-from", value);
  }

  static String email(String option, String value) {
    if (EmailAddresses.valid(value)) return value;
    throw new IllegalArgumentException(option + " '" + value + "' is not an email address");
  }

  static java.time.DayOfWeek dayOfWeek(String value) {
    try {
      return java.time.DayOfWeek.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--care-gap-report-day '" + value + "' is not a day of the week such as monday");
    }
  }

  static boolean onOff(String value) {
    return switch (value) {
      case "on" -> true;
      case "off" -> false;
      default ->
          throw new IllegalArgumentException(
              "--email-open-pixel takes on or off, not '" + value + "'");
    };
  }
}
