/** Twilio: SMS through the official Java SDK, and the verification of Twilio's webhooks. */
@NullMarked
package org.careloop.adapters.twilio;

import org.jspecify.annotations.NullMarked;
