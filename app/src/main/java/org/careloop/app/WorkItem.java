package org.careloop.app;

import java.time.Instant;
import java.util.Optional;

/**
 * One open case on a practice's worklist.
 *
 * @param owner the owner's name; their backup's while they are out of office
 */
public record WorkItem(
    long taskId,
    String planId,
    String patient,
    String lane,
    String priority,
    String title,
    Instant respondBy,
    Instant createdAt,
    Optional<String> owner,
    Optional<String> ownerRole,
    Optional<String> escalatedTo,
    boolean overdue) {

  /** Filters of the worklist; empty means all. */
  public record Filter(
      Optional<String> lane,
      Optional<String> owner,
      Optional<String> priority,
      Optional<Integer> olderThanDays) {
    public static final Filter NONE =
        new Filter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }
}
