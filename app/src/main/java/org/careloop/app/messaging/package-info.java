/**
 * Messaging: the outbox carried out once per message, deliveries and their fallback, patients'
 * replies, message wording, and the port each channel implements.
 */
@NullMarked
package org.careloop.app.messaging;

import org.jspecify.annotations.NullMarked;
