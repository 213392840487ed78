package org.careloop.app.reports;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.careloop.app.MetricFacts.ClickFact;
import org.careloop.app.MetricFacts.Facts;
import org.careloop.app.MetricFacts.MessageFact;
import org.careloop.app.MetricFacts.NoteFact;
import org.careloop.app.MetricFacts.PlanFact;
import org.careloop.app.MetricFacts.ReplyFact;
import org.careloop.app.MetricFacts.TaskFact;
import org.careloop.core.Milestone;
import org.careloop.core.MilestoneStatus;

/** A practice's facts, indexed by plan, with the questions the figures ask of them. */
public final class History {
  /** The shipped programs' protocols, as the figures group them. */
  static final String TREATMENT = "treatment-plan-follow-up";

  static final String POST_VISIT = "post-visit";
  static final String RECALL = "weekly-recall";
  static final String DENTAL = "dental-unaccepted-treatment";

  private final Facts facts;
  private final Map<String, PlanFact> plansById;
  private final Map<String, List<MessageFact>> messages;
  private final Map<String, List<ReplyFact>> replies;
  private final Map<String, List<ClickFact>> clicks;
  private final Map<String, List<NoteFact>> notes;
  private final Map<Long, List<NoteFact>> notesByTask;

  public History(Facts facts) {
    this.facts = facts;
    this.plansById = new java.util.HashMap<>();
    for (var p : facts.plans()) plansById.put(p.state().planId(), p);
    this.messages = facts.messagesByPlan();
    this.replies = facts.repliesByPlan();
    this.clicks = facts.clicksByPlan();
    this.notes = facts.notesByPlan();
    this.notesByTask = facts.notesByTask();
  }

  public Facts facts() {
    return facts;
  }

  /** The plans of one protocol. */
  List<PlanFact> plans(String protocolId) {
    return facts.plans().stream().filter(p -> p.state().protocolId().equals(protocolId)).toList();
  }

  /** A plan by its id. */
  Optional<PlanFact> plan(String planId) {
    return Optional.ofNullable(plansById.get(planId));
  }

  /** A step's appointment missed: the plan, the step, when careloop learnt of it. */
  record Miss(String planId, Milestone step, Instant at) {}

  /** The misses among {@code plans} that careloop learnt of in the period. */
  List<Miss> missesIn(Period period, List<PlanFact> plans) {
    var out = new java.util.ArrayList<Miss>();
    for (var plan : plans)
      for (var m : steps(plan))
        m.missedAt()
            .filter(period::holds)
            .ifPresent(at -> out.add(new Miss(plan.state().planId(), m, at)));
    return out;
  }

  /** A plan's steps that were not called off. */
  static List<Milestone> steps(PlanFact plan) {
    return plan.state().milestones().stream()
        .filter(m -> m.status() != MilestoneStatus.CANCELLED)
        .toList();
  }

  List<MessageFact> messages(String planId) {
    return messages.getOrDefault(planId, List.of());
  }

  List<ReplyFact> replies(String planId) {
    return replies.getOrDefault(planId, List.of());
  }

  List<ClickFact> clicks(String planId) {
    return clicks.getOrDefault(planId, List.of());
  }

  List<NoteFact> notes(String planId) {
    return notes.getOrDefault(planId, List.of());
  }

  List<NoteFact> notesOn(TaskFact task) {
    return notesByTask.getOrDefault(task.id(), List.of());
  }

  /** The first message on a plan sent at or after {@code t}. */
  Optional<MessageFact> firstMessageFrom(String planId, Instant t) {
    return messages(planId).stream().filter(m -> !m.sentAt().isBefore(t)).findFirst();
  }

  /** Whether any message went out on the plan before {@code t}. */
  boolean messagedBefore(String planId, Instant t) {
    return messages(planId).stream().anyMatch(m -> m.sentAt().isBefore(t));
  }

  /**
   * The first reach-out to the patient at or after {@code t}: a message sent, a call documented.
   */
  Optional<Instant> firstOutreachFrom(String planId, Instant t) {
    var message = firstMessageFrom(planId, t).map(MessageFact::sentAt);
    var call =
        notes(planId).stream()
            .filter(n -> n.outcome().isPresent() && !n.at().isBefore(t))
            .map(NoteFact::at)
            .findFirst();
    return Optional.ofNullable(earliest(message, call));
  }

  /**
   * Whether the patient answered in {@code [from, to)}: a reply other than STOP or HELP, or a
   * booking link used.
   */
  boolean answered(String planId, Instant from, Instant to) {
    Predicate<Instant> within = t -> !t.isBefore(from) && t.isBefore(to);
    return replies(planId).stream()
            .anyMatch(r ->
                within.test(r.at())
                    && !r.classified().equals("STOP")
                    && !r.classified().equals("HELP"))
        || clicks(planId).stream()
            .anyMatch(c -> c.purpose().equals("BOOKING") && within.test(c.firstAt()));
  }

  /** A plan's worth: its own value (a presented treatment's), else the practice's per visit. */
  Optional<Long> valueCents(PlanFact plan) {
    return plan.state().valueCents().or(facts::appointmentValueCents);
  }

  private static @org.jspecify.annotations.Nullable Instant earliest(
      Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) return b.orElse(null);
    if (b.isEmpty()) return a.get();
    return a.get().isBefore(b.get()) ? a.get() : b.get();
  }
}
