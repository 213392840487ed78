package org.careloop.core;

import java.time.ZoneId;
import java.util.Optional;

/**
 * How a patient can be reached, without the contact points themselves: the core decides on
 * channels, the adapters hold the phone numbers and addresses.
 *
 * @param region the patient's state or province code (e.g. {@code FL}) where state law narrows the
 *     hours messages may go out
 */
public record Reach(
    boolean sms,
    boolean email,
    boolean phone,
    Optional<Channel> preferred,
    ZoneId zone,
    Optional<String> region) {

  public Reach(
      boolean sms, boolean email, boolean phone, Optional<Channel> preferred, ZoneId zone) {
    this(sms, email, phone, preferred, zone, Optional.empty());
  }

  /** Whether a message can go out on this channel at all. */
  public boolean has(Channel channel) {
    return switch (channel) {
      case SMS -> sms;
      case EMAIL -> email;
      case VOICE -> phone;
    };
  }
}
