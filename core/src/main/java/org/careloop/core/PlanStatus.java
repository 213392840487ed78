package org.careloop.core;

/** Whether a plan is still followed up. */
public enum PlanStatus {
  ACTIVE,
  /** Every milestone is completed or cancelled. */
  COMPLETED,
  /** Ended at the source (care plan revoked, completed or entered in error). */
  ENDED
}
