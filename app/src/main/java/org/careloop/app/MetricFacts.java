package org.careloop.app;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.careloop.core.Lane;
import org.careloop.core.PlanState;

/**
 * The stored facts the dashboard counts from: one practice's plans that were alive in a span of
 * time, with the messages sent on them, the patients' replies and clicks, the cases opened and what
 * people documented. Read without locks.
 */
public interface MetricFacts {

  /**
   * The facts of the practice's plans alive at some time from {@code since} (started before {@code
   * until} and not closed before {@code since}, less a margin for figures that look back).
   */
  Facts facts(String practiceId, Instant since, Instant until);

  /** A plan with the patient it is for, as people know them. */
  record PlanFact(PlanState state, String patient, String ref) {}

  /**
   * A message of a plan to its patient that went out; {@code channel} in lower case (sms, email).
   */
  record MessageFact(String key, String planId, String channel, String template, Instant sentAt) {}

  /** A patient's text on a plan: STOP, START, HELP, BOOK or FREE_TEXT. */
  record ReplyFact(String planId, String channel, String classified, Instant at) {}

  /** The first use of a tracked link of a message: an email opened, a booking link clicked. */
  record ClickFact(String planId, String messageKey, String purpose, Instant firstAt) {}

  /** A case: a task of a plan. */
  record TaskFact(
      long id,
      String planId,
      Lane lane,
      Instant createdAt,
      Instant respondBy,
      Optional<Instant> closedAt,
      Optional<String> closeReason) {}

  /** An entry a person documented on a case; {@code kind} is call, note and the like. */
  record NoteFact(
      long taskId,
      String planId,
      Instant at,
      String kind,
      Optional<String> barrier,
      Optional<String> outcome) {}

  /**
   * One practice's facts.
   *
   * @param appointmentValueCents what the practice says a kept appointment is worth, when it said
   */
  record Facts(
      ZoneId zone,
      Optional<Long> appointmentValueCents,
      List<PlanFact> plans,
      List<MessageFact> messages,
      List<ReplyFact> replies,
      List<ClickFact> clicks,
      List<TaskFact> tasks,
      List<NoteFact> notes) {
    public Facts {
      plans = List.copyOf(plans);
      messages = messages.stream().sorted(Comparator.comparing(MessageFact::sentAt)).toList();
      replies = replies.stream().sorted(Comparator.comparing(ReplyFact::at)).toList();
      clicks = List.copyOf(clicks);
      tasks = List.copyOf(tasks);
      notes = notes.stream().sorted(Comparator.comparing(NoteFact::at)).toList();
    }

    /** Each plan's messages, oldest first. */
    public Map<String, List<MessageFact>> messagesByPlan() {
      return messages.stream().collect(Collectors.groupingBy(MessageFact::planId));
    }

    /** Each plan's replies, oldest first. */
    public Map<String, List<ReplyFact>> repliesByPlan() {
      return replies.stream().collect(Collectors.groupingBy(ReplyFact::planId));
    }

    /** Each plan's link uses. */
    public Map<String, List<ClickFact>> clicksByPlan() {
      return clicks.stream().collect(Collectors.groupingBy(ClickFact::planId));
    }

    /** Each plan's documented entries, oldest first. */
    public Map<String, List<NoteFact>> notesByPlan() {
      return notes.stream().collect(Collectors.groupingBy(NoteFact::planId));
    }

    /** Each case's documented entries, oldest first. */
    public Map<Long, List<NoteFact>> notesByTask() {
      return notes.stream().collect(Collectors.groupingBy(NoteFact::taskId));
    }
  }
}
