package org.careloop.app;

import java.time.Instant;
import java.util.Optional;

/**
 * Work for a person, as stored.
 *
 * @param ownerRole who owns it by its lane (coordinator, nurse, …); backupRole, who covers
 * @param escalatedTo the role told at once (worse symptoms), if any
 * @param need what it is for (a care gap, a call to make, a reply to read): a plan has one open
 *     task per step and need
 */
public record TaskRecord(
    String idempotencyKey,
    String planId,
    String patientId,
    String lane,
    String priority,
    String title,
    String detail,
    Instant respondBy,
    Instant createdAt,
    String status,
    Optional<String> milestoneKey,
    String ownerRole,
    String backupRole,
    Optional<String> escalatedTo,
    Optional<String> need) {

  /** The key its need is open under in its plan, while it is open: the need and the step. */
  public Optional<String> openNeed() {
    return need.map(n -> openNeed(n, milestoneKey));
  }

  public static String openNeed(String need, Optional<String> milestoneKey) {
    return need + ":" + milestoneKey.orElse("");
  }
}
