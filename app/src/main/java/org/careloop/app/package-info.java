/**
 * Use cases and the ports they need: activating plans, applying events and wake-ups in one
 * transaction per decision, and dispatching the outbox.
 */
@NullMarked
package org.careloop.app;

import org.jspecify.annotations.NullMarked;
