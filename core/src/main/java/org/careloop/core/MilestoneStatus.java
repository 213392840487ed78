package org.careloop.core;

/** Where one step of a plan stands. */
public enum MilestoneStatus {
  /** Not booked yet. */
  PENDING,
  /** An appointment is booked for it. */
  SCHEDULED,
  COMPLETED,
  /** Its appointment was missed (no-show, or cancelled and not rebooked). */
  MISSED,
  /** Past due without completion: a care gap. */
  OVERDUE,
  CANCELLED;

  /** Completed or cancelled: nothing more happens for this step. */
  public boolean isClosed() {
    return this == COMPLETED || this == CANCELLED;
  }
}
