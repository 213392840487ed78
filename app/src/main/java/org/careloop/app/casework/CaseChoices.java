package org.careloop.app.casework;

import java.util.List;
import java.util.Set;

/**
 * What a person picks from when working a case: whom to escalate to, the one-off messages, close
 * reasons, barriers and call outcomes, and when a patient counts as unreachable.
 */
public final class CaseChoices {
  private CaseChoices() {}

  /** Roles a person can escalate a case to. */
  public static final List<String> ESCALATE_TO = List.of("nurse", "provider", "manager");

  /** Templates a person may send as a one-off message. */
  public static final List<String> ONE_OFF_TEMPLATES = List.of("CHECK_IN", "REMINDER", "CARE_GAP");

  /** Why a case closes. A voicemail is not one. */
  public static final List<String> CLOSE_REASONS =
      List.of("completed", "declined", "unreachable", "transferred", "deceased", "other");

  /** Barriers the field names. */
  public static final List<String> BARRIERS =
      List.of(
          "fear",
          "confusion",
          "transportation",
          "work schedule",
          "technology",
          "language",
          "cost",
          "low urgency",
          "phone tag",
          "insurance",
          "other");

  /**
   * Call outcomes after which the patient is to be called again: the case is next due at the
   * promised attempt, not overdue because the first call went unanswered.
   */
  public static final java.util.Set<String> TRY_AGAIN =
      java.util.Set.of("left voicemail", "no answer", "asked to call back");

  /** Call outcomes a person logs; none of them closes a case. */
  public static final List<String> CALL_OUTCOMES =
      List.of("reached", "left voicemail", "no answer", "wrong number", "asked to call back");

  /** Outcomes that are a failed attempt to reach the patient. */
  public static final Set<String> FAILED_CALLS =
      Set.of("left voicemail", "no answer", "wrong number");

  /** Unreachable closes a case only after this many documented failed call attempts. */
  public static final int UNREACHABLE_AFTER = 3;

  /** The longest case status a person may write (a short phrase: "left voicemail twice"). */
  public static final int CASE_STATUS_LENGTH = 60;
}
