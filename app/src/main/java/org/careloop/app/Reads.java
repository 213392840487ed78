package org.careloop.app;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.careloop.core.PlanState;

/**
 * What people read: plans with their timelines, the outbox, open tasks, care gaps, how each program
 * is doing. Read without locking, outside the engine's transactions.
 */
public interface Reads {

  /** One line of the plan list. */
  record PlanRow(
      String id,
      String patient,
      String status,
      String protocol,
      String nextStep,
      Optional<Instant> nextDue,
      Optional<Instant> nextWakeupAt,
      String sourceKey) {}

  /** A timeline line. */
  record TimelineRow(Instant at, String kind, String text) {}

  /** A plan in full. */
  record PlanView(PlanRow plan, PlanState state, List<TimelineRow> timeline) {}

  /** An outbox line. */
  record OutboxRow(
      long id,
      String key,
      String planId,
      String kind,
      String channel,
      Optional<String> template,
      String status,
      int attempts,
      Instant createdAt,
      Optional<Instant> sentAt,
      Optional<String> lastError) {}

  /** A message delivered to the sandbox: what would have gone out. */
  record SandboxRow(
      Instant deliveredAt,
      String key,
      String channel,
      String recipient,
      Optional<String> subject,
      String body) {}

  /**
   * A task line; {@code need} is what it is for ({@code Effect.Need}, "-" for a task older than
   * needs), {@code milestoneKey} the step it is about.
   */
  record TaskRow(
      long id,
      String planId,
      String patient,
      String lane,
      String priority,
      String title,
      String detail,
      String status,
      Instant respondBy,
      Instant createdAt,
      Optional<String> owner,
      Optional<String> escalatedTo,
      String need,
      Optional<String> milestoneKey) {}

  /**
   * A care gap: a step past due and not done, or booked with no outcome from the source ({@code
   * outcomeUnknown}), in the tier its plan's own protocol puts it.
   *
   * @param dueDate the day it was due, in the patient's zone
   * @param attempts the outreach made on the plan: automated messages sent and calls documented
   */
  record GapRow(
      String planId,
      String patientId,
      String patient,
      String provider,
      String step,
      String description,
      Instant dueAt,
      java.time.LocalDate dueDate,
      long daysOverdue,
      int tier,
      String protocolId,
      int protocolVersion,
      boolean outcomeUnknown,
      int attempts) {}

  /**
   * How each program is doing: plans started; the share whose first message went out within 2 hours
   * of the start (a post-visit summary); the share booked or done within 7 days of the start; and,
   * among steps due at least 30 days ago, the share done within 30 days of the due date (recall
   * compliance).
   */
  record ProgramRow(
      String protocol,
      int plans,
      int messaged,
      int firstMessageWithin2h,
      int bookedWithin7d,
      int dueSince30d,
      int doneWithin30dOfDue) {}

  /** Every plan, by patient name. */
  default List<PlanRow> plans() {
    return plans(Optional.empty());
  }

  /** One practice's plans (or all, when empty), by patient name. */
  List<PlanRow> plans(Optional<String> practiceId);

  /** Every outbox row, oldest first. */
  default List<OutboxRow> outbox() {
    return outbox(Optional.empty());
  }

  /** One practice's outbox (its plans' messages and write-backs), or everything when empty. */
  List<OutboxRow> outbox(Optional<String> practiceId);

  /** Open tasks ranked: priority tier first, then respond-by time. */
  default List<TaskRow> tasks() {
    return tasks(Optional.empty());
  }

  /** One practice's open tasks (or all, when empty), ranked. */
  List<TaskRow> tasks(Optional<String> practiceId);

  /** Messages delivered in sandbox mode, newest first, at most {@code limit}. */
  default List<SandboxRow> sandbox(int limit) {
    return sandbox(limit, Optional.empty());
  }

  /** The newest messages the sandbox channel took for one practice's plans (or all). */
  List<SandboxRow> sandbox(int limit, Optional<String> practiceId);

  /** How each program is doing, by protocol. */
  List<ProgramRow> programs(Instant now);

  /** Active plans, counted without loading them. */
  long activePlanCount();

  /** Patient messages delivered, counted without loading them. */
  long sentMessageCount();

  /** A plan in full, or empty when there is none with this id. */
  Optional<PlanView> plan(String id);

  /**
   * Open care gaps ({@link org.careloop.core.CareGap}), each plan on the protocol version it runs
   * on ({@code protocolOf}), one practice's plans (or all, when empty), worst first.
   */
  List<GapRow> careGaps(
      Instant now,
      Function<PlanState, org.careloop.core.Protocol> protocolOf,
      Optional<String> practiceId);
}
