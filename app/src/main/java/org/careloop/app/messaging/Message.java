package org.careloop.app.messaging;

import java.util.Optional;

/**
 * A rendered message ready for a channel.
 *
 * @param to the contact point (phone in E.164, email address), or the EHR target
 * @param unsubscribeUrl for email: the signed one-click link for the List-Unsubscribe header
 * @param from the practice's sender identity on this channel, when it has its own
 * @param openPixelUrl for email, where the practice tracks opens: the pixel's address
 */
public record Message(
    String idempotencyKey,
    String channel,
    String to,
    Optional<String> subject,
    String body,
    Optional<String> unsubscribeUrl,
    Optional<String> from,
    Optional<String> openPixelUrl) {}
