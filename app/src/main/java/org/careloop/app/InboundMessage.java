package org.careloop.app;

import java.time.Instant;
import java.util.Optional;
import org.careloop.core.Channel;

/**
 * A message from a patient, as stored.
 *
 * @param providerId the channel's id (Twilio's MessageSid): a repeated webhook stores nothing twice
 * @param addressKey the ledger key of the number it came from
 * @param classified what careloop made of it: STOP, START, HELP, BOOK, FREE_TEXT
 */
public record InboundMessage(
    String providerId,
    Channel channel,
    String addressKey,
    Optional<String> patientId,
    Optional<String> planId,
    String body,
    String classified,
    Instant receivedAt) {}
