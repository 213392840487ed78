package org.careloop.app;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The coordinator cases (tasks) as people work them. */
public interface Cases {
  /**
   * A case of the practice, locked until the transaction ends; another practice's is never found.
   */
  Optional<CaseRef> lockCase(String practiceId, long taskId);

  /** A documented entry on a case: its kind (booking, call, note, close) and what it says. */
  void addCaseNote(long taskId, CaseNote note);

  /** Documented call attempts on the case whose outcome is one of {@code outcomes}. */
  long callsWithOutcome(long taskId, java.util.Set<String> outcomes);

  /** The id of the practice's person with this user name. */
  Optional<String> personId(String practiceId, String username);

  /** The backup role of a case that has no backup person yet. */
  Optional<String> unfilledBackupRole(long taskId);

  /** The first person (by user name) of the practice in {@code role} other than {@code not}. */
  Optional<String> firstInRole(String practiceId, String role, String not);

  /** Gives the case an owner, and a backup when one is named (else the backup stays). */
  void assignCase(long taskId, String ownerId, Optional<String> backupId);

  /** The plan's oldest open case in {@code lane}. */
  Optional<Long> openCaseOfPlan(String planId, String lane);

  /** Closes the case, with why. */
  void closeCase(long taskId, String reason, Instant at);

  /**
   * The practice's open cases that pass {@code filter}, ranked by priority tier, then respond-by
   * time; a case whose owner is out of office shows its backup as the owner.
   */
  List<WorkItem> worklist(String practiceId, WorkItem.Filter filter, Instant now);

  /** A case as a person opens it: its own row, without its plan. */
  record CaseFile(
      String status,
      String lane,
      String priority,
      String title,
      String detail,
      Instant respondBy,
      Optional<String> owner,
      Optional<String> closeReason,
      String planId,
      String patientId,
      Optional<Escalation> escalation) {}

  /** Who a case was escalated to, when and why. */
  record Escalation(String to, Instant at, String reason) {}

  /** A case of the practice; another practice's is never found. */
  Optional<CaseFile> caseOfPractice(String practiceId, long taskId);

  /**
   * What people documented on a case of the practice, oldest first, each with its author's name.
   */
  List<CaseNote> caseNotes(String practiceId, long taskId);

  /**
   * A text message between the practice and the patient: careloop's ({@code fromPatient} false:
   * which message, {@code words} its template; an answer to a text carries its own words) or the
   * patient's (their words, until they are purged). {@code status} is where it stands: sent,
   * delivered, failed, withheld; for the patient's, what careloop made of it.
   */
  record TextLine(
      Instant at, boolean fromPatient, Optional<String> words, String what, String status) {}

  /** The patient's text messages with the practice, oldest first: the SMS thread of a case. */
  List<TextLine> textThread(String practiceId, String patientId);

  /** A case: the plan, patient and step it is about, its tier, and whether it is still open. */
  record CaseRef(
      long taskId,
      String planId,
      String patientId,
      Optional<String> milestoneKey,
      String priority,
      boolean open) {}

  /** The case is next due at {@code respondBy} (a call is to be tried again). */
  void nextAttemptBy(long taskId, Instant respondBy);
}
