package org.careloop.app.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.careloop.app.Store;
import org.careloop.app.TaskRecord;
import org.careloop.core.Effect;
import org.careloop.core.MilestoneStatus;
import org.careloop.core.PlanState;
import org.careloop.core.PlanStatus;
import org.careloop.core.Priority;
import org.careloop.core.TimelineEntry;

/**
 * One case per need. A plan has at most one open task per (step, need): a newer fact about the same
 * need (the next care-gap tier, another message that could not be sent) updates the open task
 * instead of adding a twin; a task resolves itself, with the reason on the plan's timeline, when
 * what it is about is done: its step booked or done, or its plan ended.
 */
final class CaseLifecycle {
  private CaseLifecycle() {}

  /** Opens each task, or brings the open one of its need up to date. */
  static void open(Store.Tx tx, String planId, List<TaskRecord> tasks, Instant now) {
    var fresh = new ArrayList<TaskRecord>();
    var freshNeeds = new java.util.HashSet<String>();
    var timeline = new ArrayList<TimelineEntry>();
    java.util.Map<String, Store.Tasks.OpenCase> open = null;
    for (var t : tasks) {
      if (t.need().isEmpty()) {
        fresh.add(t);
        continue;
      }
      if (open == null) {
        open = new java.util.HashMap<>();
        for (var c : tx.openCasesOfPlan(planId))
          open.putIfAbsent(TaskRecord.openNeed(c.need(), c.milestoneKey()), c);
      }
      String key = t.openNeed().orElseThrow();
      var c = open.get(key);
      if (c == null) {
        // The same need twice in one decision: the first stands.
        if (freshNeeds.add(key)) fresh.add(t);
        continue;
      }
      // A higher priority brings its own, nearer respond-by; else the earlier one stands.
      var was = Priority.valueOf(c.priority());
      var raised = Priority.valueOf(t.priority());
      boolean higher = raised.compareTo(was) < 0;
      tx.refreshCase(
          c.id(),
          t.title(),
          t.detail(),
          (higher ? raised : was).name(),
          higher || t.respondBy().isBefore(c.respondBy()) ? t.respondBy() : c.respondBy());
      CaseWrites.changed(tx, c.id(), "updated", now);
      timeline.add(
          new TimelineEntry(
              now, "case", "open case updated, not doubled (" + words(t.need().get()) + ")"));
    }
    if (!fresh.isEmpty()) {
      tx.insertTasks(fresh);
      CaseWrites.opened(tx, fresh.stream().map(TaskRecord::idempotencyKey).toList(), now);
    }
    if (!timeline.isEmpty()) tx.appendTimeline(planId, timeline);
  }

  /**
   * Resolves the open cases a decision ended: a step that became booked or done ends the needs to
   * get it booked; a plan that ended ends every need but worse symptoms.
   */
  static void follow(Store.Tx tx, PlanState before, PlanState after, Instant now) {
    record StepEnd(String step, String reason, java.util.function.Predicate<Effect.Need> ends) {}
    var ends = new ArrayList<StepEnd>();
    for (var m : after.milestones()) {
      var is = m.status();
      var was = before.milestone(m.key()).map(x -> x.status()).orElse(MilestoneStatus.PENDING);
      String status = is.name().toLowerCase(java.util.Locale.ROOT);
      if (is.isClosed() && !was.isClosed())
        ends.add(
            new StepEnd(
                m.key(), "step " + status, n -> n.endsWhenBooked() || n.endsWithTheOutcome()));
      else if (is == MilestoneStatus.SCHEDULED && !settled(was))
        ends.add(new StepEnd(m.key(), "step booked", Effect.Need::endsWhenBooked));
      else if (was == MilestoneStatus.SCHEDULED && !settled(is))
        ends.add(
            new StepEnd(
                m.key(), "visit outcome known (" + status + ")", Effect.Need::endsWithTheOutcome));
    }
    boolean planEnded = before.status() == PlanStatus.ACTIVE && after.status() != PlanStatus.ACTIVE;
    if (ends.isEmpty() && !planEnded) return;
    var timeline = new ArrayList<TimelineEntry>();
    for (var c : tx.openCasesOfPlan(after.planId())) {
      var need = need(c.need());
      if (need.isEmpty()) continue;
      Optional<String> reason = Optional.empty();
      for (var e : ends)
        if (e.ends().test(need.get()) && c.milestoneKey().filter(e.step()::equals).isPresent())
          reason = Optional.of(e.reason());
      if (reason.isEmpty() && planEnded && need.get().endsWithThePlan())
        reason = Optional.of("plan " + after.status().name().toLowerCase(java.util.Locale.ROOT));
      if (reason.isEmpty()) continue;
      tx.closeCase(c.id(), "resolved: " + reason.get(), now);
      CaseWrites.changed(tx, c.id(), "closed", now);
      timeline.add(
          new TimelineEntry(
              now, "case", "case resolved itself (" + words(c.need()) + "): " + reason.get()));
    }
    if (!timeline.isEmpty()) tx.appendTimeline(after.planId(), timeline);
  }

  /** Booked, done or cancelled: no one needs to get it booked any more. */
  private static boolean settled(MilestoneStatus s) {
    return s == MilestoneStatus.SCHEDULED || s.isClosed();
  }

  private static Optional<Effect.Need> need(String name) {
    for (var n : Effect.Need.values()) if (n.name().equals(name)) return Optional.of(n);
    return Optional.empty();
  }

  private static String words(String need) {
    return need.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }
}
