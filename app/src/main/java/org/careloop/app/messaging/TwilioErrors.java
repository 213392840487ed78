package org.careloop.app.messaging;

import java.util.Map;

/**
 * Twilio error codes that mean the number itself will never take a text, as opposed to a phone that
 * is off or a carrier hiccup. See twilio.com/docs/api/errors.
 */
public final class TwilioErrors {
  private static final Map<String, String> DEAD =
      Map.of(
          "21211", "invalid 'To' number",
          "21614", "'To' number is not a valid mobile number",
          "30005", "unknown destination handset",
          "30006", "landline or unreachable carrier",
          "21612", "the 'To' number cannot be reached by SMS");

  private TwilioErrors() {}

  /** Whether the error means the number will never take a text. */
  public static boolean deadNumber(String code) {
    return DEAD.containsKey(code);
  }

  /** The code with its meaning, for the timeline. */
  public static String describe(String code) {
    return code + " (" + DEAD.getOrDefault(code, "see Twilio's error reference") + ")";
  }
}
