package org.careloop.app.casework;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.app.CaseNote;
import org.careloop.app.Limits;
import org.careloop.app.Store;
import org.careloop.app.StoredPlan;
import org.careloop.app.TaskRecord;
import org.careloop.app.engine.CaseWrites;
import org.careloop.app.engine.Engine;
import org.careloop.core.Lane;
import org.careloop.core.Milestone;
import org.careloop.core.PlanEvent;
import org.careloop.core.Priority;
import org.careloop.core.TimelineEntry;

/**
 * What a person does with a case from the worklist: books the patient by phone, sends them one
 * message, sends the case up. Each runs in one transaction, only on an open case of the person's
 * practice, and is audited.
 */
public final class Casework {

  /** Who acts: the signed-in person. */
  public record Actor(
      String id, String username, String practiceId, String displayName, String role) {}

  /** A case the person may not touch: not of their practice, or already closed. */
  public static final class NotYours extends RuntimeException {
    public NotYours(String message) {
      super(message);
    }
  }

  /** The person's role does not allow the action (a coordinator taking a provider's decision). */
  public static final class NotAllowed extends RuntimeException {
    public NotAllowed(String message) {
      super(message);
    }
  }

  private final Store store;
  private final Engine engine;

  public Casework(Store store, Engine engine) {
    this.store = store;
    this.engine = engine;
  }

  /** Refuses the action unless {@code by} holds one of {@code roles}. */
  public static void requireRole(Actor by, String action, String... roles) {
    if (!List.of(roles).contains(by.role()))
      throw new NotAllowed(action + " needs the role " + String.join(" or ", roles));
  }

  /** The open case {@code taskId} of the person's practice, locked; refused otherwise. */
  public static org.careloop.app.Cases.CaseRef ownCase(Store.Tx tx, Actor by, long taskId) {
    var found = tx.lockCase(by.practiceId(), taskId);
    if (found.isEmpty()) throw new NotYours("no case " + taskId);
    if (!found.get().open()) throw new NotYours("case " + taskId + " is closed");
    return found.get();
  }

  /**
   * A person booked the patient (by phone, at the desk): the plan's step is scheduled, so its
   * automated messages stop, the same as a booking from the EHR.
   */
  public void recordBooking(Actor by, long taskId, Instant start, Instant now) {
    // A booking is for a visit to come; one that already happened is recorded as kept at the
    // source, not booked here.
    if (start.isBefore(now))
      throw new org.careloop.app.InputRejected(
          "start",
          "the appointment time " + start + " is in the past; a booking is for a visit to come");
    store.inTransaction(tx -> {
      var c = ownCase(tx, by, taskId);
      engine.apply(
          tx,
          c.planId(),
          new PlanEvent.AppointmentBooked(
              "manual:" + taskId + ":" + start.toEpochMilli(),
              c.milestoneKey().filter(k -> !k.isBlank()),
              start),
          now);
      tx.addCaseNote(
          taskId,
          new CaseNote(
              now,
              by.id(),
              "booking",
              Optional.of("booked for " + start),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              false,
              Optional.empty()));
      tx.audit(by.username(), by.practiceId(), "case.booking", "task " + taskId, null, now);
      return null;
    });
  }

  /** A person sends the case up: to a nurse, a provider (their review queue) or a manager. */
  public void escalate(Actor by, long taskId, String to, String why, Instant now) {
    if (!CaseChoices.ESCALATE_TO.contains(to))
      throw new IllegalArgumentException(
          "escalate to one of " + CaseChoices.ESCALATE_TO + ", not '" + to + "'");
    if (why.isBlank()) throw new IllegalArgumentException("say why the case goes up");
    Limits.check(why, Limits.NOTE, "why");
    store.inTransaction(tx -> {
      var c = ownCase(tx, by, taskId);
      tx.escalateTask(taskId, to, "escalated by " + by.displayName() + ": " + why, now);
      tx.appendTimeline(
          c.planId(),
          List.of(
              new TimelineEntry(
                  now,
                  "escalated",
                  "case " + taskId + " escalated to the " + to + " by " + by.displayName())));
      tx.audit(by.username(), by.practiceId(), "case.escalate", "task " + taskId, "to " + to, now);
      return null;
    });
  }

  /**
   * Documents a case: a call outcome and the field's documentation. With {@code closeReason} it
   * also closes the case; a voicemail never does, and "unreachable" needs {@value
   * #CaseChoices.UNREACHABLE_AFTER} documented failed attempts.
   */
  public void document(
      Actor by, long taskId, CaseNote note, Optional<String> closeReason, Instant now) {
    note.caseStatus()
        .ifPresent(v -> Limits.check(v, CaseChoices.CASE_STATUS_LENGTH, "case status"));
    note.understood().ifPresent(v -> Limits.check(v, Limits.NOTE, "what the patient understood"));
    note.nextAction().ifPresent(v -> Limits.check(v, Limits.NOTE, "next promised action"));
    note.barrier()
        .ifPresent(b -> {
          if (!CaseChoices.BARRIERS.contains(b))
            throw new IllegalArgumentException(
                "barrier '" + b + "' is not one of " + CaseChoices.BARRIERS);
        });
    note.outcome()
        .ifPresent(o -> {
          if (!CaseChoices.CALL_OUTCOMES.contains(o))
            throw new IllegalArgumentException(
                "call outcome '" + o + "' is not one of " + CaseChoices.CALL_OUTCOMES);
        });
    closeReason.ifPresent(r -> {
      if (!CaseChoices.CLOSE_REASONS.contains(r))
        throw new IllegalArgumentException(
            "close reason '" + r + "' is not one of " + CaseChoices.CLOSE_REASONS);
    });
    store.inTransaction(tx -> {
      var ref = ownCase(tx, by, taskId);
      if (closeReason.filter("completed"::equals).isPresent()
          && note.outcome().filter(o -> !o.equals("reached")).isPresent())
        throw new IllegalArgumentException(
            "a call that did not reach the patient ("
                + note.outcome().get()
                + ") does not complete a case");
      if (closeReason.isPresent()) {
        if (note.caseStatus().isEmpty() || note.nextAction().isEmpty())
          throw new IllegalArgumentException(
              "closing needs the current status and the next promised action documented");
        if (closeReason.get().equals("unreachable")) {
          long failed =
              tx.callsWithOutcome(taskId, CaseChoices.FAILED_CALLS)
                  + (note.outcome().filter(CaseChoices.FAILED_CALLS::contains).isPresent() ? 1 : 0);
          if (failed < CaseChoices.UNREACHABLE_AFTER)
            throw new IllegalArgumentException(
                "unreachable needs "
                    + CaseChoices.UNREACHABLE_AFTER
                    + " documented failed attempts; this case has "
                    + failed);
        }
      }
      tx.addCaseNote(
          taskId,
          new CaseNote(
              now,
              by.id(),
              closeReason.isPresent() ? "close" : note.outcome().isPresent() ? "call" : "note",
              note.caseStatus(),
              note.barrier(),
              note.understood(),
              note.nextAction(),
              note.targetDate(),
              note.escalationNeeded(),
              note.outcome()));
      if (closeReason.isPresent()) {
        tx.closeCase(taskId, closeReason.get(), now);
        CaseWrites.changed(tx, taskId, "closed", now);
      } else if (note.outcome().filter(CaseChoices.TRY_AGAIN::contains).isPresent())
        tx.nextAttemptBy(taskId, nextAttempt(tx, ref, note.targetDate(), now));
      tx.audit(
          by.username(),
          by.practiceId(),
          closeReason.isPresent() ? "case.close" : "case.document",
          "task " + taskId,
          closeReason
              .map(r -> "reason " + r)
              .orElse(note.outcome().map(o -> "call: " + o).orElse(null)),
          now);
      return null;
    });
  }

  /** The practice's rules for a patient on file: its zone and holidays, for respond-by times. */
  private static org.careloop.core.SendRules rulesOf(Store.Tx tx, String patientId, Instant now) {
    return java.util.Objects.requireNonNull(tx.contacts(List.of(patientId), now).get(patientId))
        .rules();
  }

  /**
   * A call that did not reach the patient was answered in time: the case is next due at the attempt
   * the person promised (the target date), else by its tier's window from now, on the practice's
   * calendar.
   */
  private Instant nextAttempt(
      Store.Tx tx,
      org.careloop.app.Cases.CaseRef ref,
      Optional<java.time.LocalDate> target,
      Instant now) {
    var rules = rulesOf(tx, ref.patientId(), now);
    return engine
        .lanes()
        .nextAttempt(Priority.valueOf(ref.priority()), now, target, rules.zone(), rules.holidays());
  }

  /**
   * A provider takes up a plan from the care-gap part of their review queue: it becomes a review
   * case (one open at a time per plan) for their decision, due by the practice's calendar.
   *
   * @return the case's id
   */
  public long reviewGap(Actor by, String planId, Instant now) {
    requireRole(by, "taking a care gap up for provider review", "provider");
    return store.inTransaction(tx -> {
      var state =
          tx.lockPlan(planId)
              .map(StoredPlan::state)
              .filter(s -> s.practiceId().equals(by.practiceId()))
              .orElseThrow(() -> new NotYours("no plan " + planId));
      var open = tx.openCaseOfPlan(planId, Lane.PROVIDER_REVIEW.name());
      if (open.isPresent()) return open.get();
      var step = state.current();
      var task =
          new TaskRecord(
              planId + ":review:gap:" + now.toEpochMilli(),
              planId,
              state.patientId(),
              Lane.PROVIDER_REVIEW.name(),
              Priority.HIGH.name(),
              "Care gap review: "
                  + step.map(m -> m.kind().patientWords()).orElse("plan")
                  + " overdue",
              "Taken up from the provider review queue by "
                  + by.displayName()
                  + ". Decide the next step.",
              now.plus(Duration.ofDays(1)),
              now,
              "OPEN",
              step.map(Milestone::key),
              "",
              "",
              Optional.empty(),
              // One open review per plan is held by its lane (above), not by a need.
              Optional.empty());
      var rules = rulesOf(tx, state.patientId(), now);
      tx.insertTasks(List.of(engine.lanes().shape(task, rules.zone(), rules.holidays())));
      CaseWrites.opened(tx, List.of(task.idempotencyKey()), now);
      tx.audit(by.username(), by.practiceId(), "review.take", "plan " + planId, null, now);
      return tx.openCaseOfPlan(planId, Lane.PROVIDER_REVIEW.name()).orElseThrow();
    });
  }

  /** Takes a case: {@code ownerUsername} owns it, with a backup of the same practice. */
  public void assign(
      Actor by, long taskId, String ownerUsername, Optional<String> backupUsername, Instant now) {
    store.inTransaction(tx -> {
      assignIn(tx, by, taskId, ownerUsername, backupUsername, now);
      return null;
    });
  }

  /**
   * Gives every case of {@code taskIds} to {@code ownerUsername}, all or none: one case not of the
   * person's practice, or an owner not of it, changes nothing.
   *
   * @return how many cases were given
   */
  public int assignAll(Actor by, List<Long> taskIds, String ownerUsername, Instant now) {
    if (taskIds.isEmpty()) throw new IllegalArgumentException("choose the cases to reassign");
    return store.inTransaction(tx -> {
      for (long id : new java.util.TreeSet<>(taskIds))
        assignIn(tx, by, id, ownerUsername, Optional.empty(), now);
      return new java.util.TreeSet<>(taskIds).size();
    });
  }

  private void assignIn(
      Store.Tx tx,
      Actor by,
      long taskId,
      String ownerUsername,
      Optional<String> backupUsername,
      Instant now) {
    ownCase(tx, by, taskId);
    String owner = person(tx, by.practiceId(), ownerUsername, "owner");
    Optional<String> backup =
        backupUsername
            .filter(b -> !b.isBlank())
            .map(b -> person(tx, by.practiceId(), b, "backup"))
            // No backup named and none yet: the first colleague in the lane's backup role.
            .or(() ->
                tx.unfilledBackupRole(taskId)
                    .flatMap(role -> tx.firstInRole(by.practiceId(), role, owner)));
    if (backup.filter(owner::equals).isPresent())
      throw new IllegalArgumentException("the backup must be someone other than the owner");
    tx.assignCase(taskId, owner, backup);
    tx.audit(
        by.username(),
        by.practiceId(),
        "case.assign",
        "task " + taskId,
        "owner " + ownerUsername + backup.map(b -> ", backup set").orElse(""),
        now);
  }

  private static String person(Store.Tx tx, String practiceId, String username, String what) {
    return tx.personId(practiceId, username)
        .orElseThrow(() ->
            new IllegalArgumentException("no " + what + " '" + username + "' in this practice"));
  }
}
