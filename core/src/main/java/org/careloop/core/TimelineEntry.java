package org.careloop.core;

import java.time.Instant;

/**
 * One line of a plan's history: what happened, what was decided, and why.
 *
 * @param kind a short machine word: event, decision, effect, skipped
 */
public record TimelineEntry(Instant at, String kind, String text) {}
