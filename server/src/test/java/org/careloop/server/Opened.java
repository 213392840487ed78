package org.careloop.server;

import java.time.Instant;
import java.util.Optional;
import org.careloop.adapters.DatabaseInvariants;

/**
 * Opens careloop for a test and has {@link DatabaseInvariants} check its database after the test
 * (no outbox row without its plan, no two open cases for one need, …), as every adapters test's.
 */
final class Opened {
  private Opened() {}

  static Careloop careloop(
      String url, Optional<String> clockMode, Optional<Instant> simulatedStart, int poolSize) {
    DatabaseInvariants.opened(url);
    return Careloop.open(url, clockMode, simulatedStart, poolSize);
  }
}
