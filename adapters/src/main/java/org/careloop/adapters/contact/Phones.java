package org.careloop.adapters.contact;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.Optional;

/** Phone numbers from sources, normalised to E.164 with libphonenumber. */
public final class Phones {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  private Phones() {}

  /**
   * The number in E.164, or empty when it cannot be a phone number. {@code region} is the
   * practice's country for numbers written without one (US: "555-611-5414" → "+15556115414").
   */
  public static Optional<String> e164(String raw, String region) {
    if (raw.isBlank()) return Optional.empty();
    try {
      var number = UTIL.parse(raw, region);
      if (!UTIL.isPossibleNumber(number)) return Optional.empty();
      return Optional.of(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }
}
