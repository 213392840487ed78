package org.careloop.app;

import java.time.Instant;
import java.util.Optional;
import org.careloop.core.PlanState;

/** A plan as stored: its state, the optimistic version, and its next wake-up. */
public record StoredPlan(PlanState state, long version, Optional<Instant> nextWakeupAt) {}
