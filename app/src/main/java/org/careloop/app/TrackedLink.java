package org.careloop.app;

import java.util.Optional;

/**
 * A short link careloop put in a message.
 *
 * @param outboxKey the message it was in
 * @param purpose BOOKING or INFO; a click on a booking link counts as a positive response
 * @param firstClick whether this click was the first
 */
public record TrackedLink(
    String code,
    String outboxKey,
    Optional<String> planId,
    String purpose,
    String target,
    boolean firstClick) {}
