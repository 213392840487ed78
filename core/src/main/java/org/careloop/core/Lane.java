package org.careloop.core;

/** The kind of follow-up a coordinator task belongs to. */
public enum Lane {
  REFERRAL,
  POST_VISIT,
  MISSED_APPOINTMENT,
  DISCHARGE,
  PRIOR_AUTHORIZATION,
  TELEHEALTH_READINESS,
  PREVENTIVE_RECALL,
  MONITORING,
  UNACCEPTED_TREATMENT,
  /** Patients a provider must look at (two consecutive misses, escalations). */
  PROVIDER_REVIEW
}
