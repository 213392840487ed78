package org.careloop.core;

import java.time.ZoneId;
import java.util.Optional;

/**
 * How a patient can be reached, without the contact points themselves: the core decides on
 * channels, the adapters hold the phone numbers and addresses.
 */
public record Reach(
    boolean sms, boolean email, boolean phone, Optional<Channel> preferred, ZoneId zone) {

  /** Whether a message can go out on this channel at all. */
  public boolean has(Channel channel) {
    return switch (channel) {
      case SMS -> sms;
      case EMAIL -> email;
      case VOICE -> phone;
    };
  }
}
