package org.careloop.app;

import java.time.Instant;
import java.util.Optional;

/**
 * One open case on a practice's worklist.
 *
 * @param owner the owner's name; their backup's while they are out of office
 * @param ownerUsername the username of whoever {@code owner} names
 * @param patientRef the patient's identifier at the source (an MRN, a FHIR id), as a person
 *     searches for it: {@code MRN1}, {@code Patient/123}
 * @param phone the patient's mobile, else their other phone
 * @param birthDate the patient's date of birth, when the source sent it
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
    boolean overdue,
    Optional<String> ownerUsername,
    String patientRef,
    Optional<String> phone,
    Optional<java.time.LocalDate> birthDate) {

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
