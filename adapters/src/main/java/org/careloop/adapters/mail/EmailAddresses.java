package org.careloop.adapters.mail;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/** Email addresses read as the mail library reads them (RFC 822, strictly). */
public final class EmailAddresses {
  private EmailAddresses() {}

  /** Whether {@code value} is an address (with or without a display name) mail can be sent from. */
  public static boolean valid(String value) {
    try {
      new InternetAddress(value, true);
      return true;
    } catch (AddressException e) {
      return false;
    }
  }
}
