/**
 * careloop's pure core: plan state, events, effects and {@link org.careloop.core.PlanDecider}.
 *
 * <p>Nothing here does I/O, reads a clock, draws a random number or depends on a framework: the
 * same state, event, time and protocol always give the same {@link org.careloop.core.Decision}.
 */
@NullMarked
package org.careloop.core;

import org.jspecify.annotations.NullMarked;
