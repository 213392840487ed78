package org.careloop.app.reports;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.careloop.app.MetricFacts.ClickFact;
import org.careloop.app.MetricFacts.Facts;
import org.careloop.app.MetricFacts.MessageFact;
import org.careloop.app.MetricFacts.NoteFact;
import org.careloop.app.MetricFacts.PlanFact;
import org.careloop.app.MetricFacts.ReplyFact;
import org.careloop.app.MetricFacts.TaskFact;
import org.careloop.core.Lane;
import org.careloop.core.Milestone;
import org.careloop.core.MilestoneStatus;
import org.careloop.core.PlanFlags;
import org.careloop.core.PlanState;
import org.careloop.core.PlanStatus;
import org.careloop.core.Reach;
import org.careloop.core.StepKind;

/** A practice's history written by hand, fact by fact, for the dashboard's figures. */
final class HandMadeHistory {
  static final ZoneId ZONE = ZoneId.of("America/Chicago");

  final List<PlanFact> plans = new ArrayList<>();
  final List<MessageFact> messages = new ArrayList<>();
  final List<ReplyFact> replies = new ArrayList<>();
  final List<ClickFact> clicks = new ArrayList<>();
  final List<TaskFact> tasks = new ArrayList<>();
  final List<NoteFact> notes = new ArrayList<>();

  static Instant t(String iso) {
    return Instant.parse(iso);
  }

  /** A step being written. */
  static final class Step {
    final String key;
    final StepKind kind;
    final Instant due;
    MilestoneStatus status = MilestoneStatus.PENDING;
    Optional<Instant> completed = Optional.empty();
    Optional<Instant> missed = Optional.empty();
    Optional<Instant> booked = Optional.empty();
    Optional<Instant> appointment = Optional.empty();

    Step(String key, StepKind kind, Instant due) {
      this.key = key;
      this.kind = kind;
      this.due = due;
    }

    Step done(String at) {
      status = MilestoneStatus.COMPLETED;
      completed = Optional.of(t(at));
      return this;
    }

    Step missed(String at) {
      status = MilestoneStatus.MISSED;
      missed = Optional.of(t(at));
      return this;
    }

    /** Booked at {@code at}, first; the status stays what it is. */
    Step booked(String at) {
      booked = Optional.of(t(at));
      return this;
    }

    /** Booked (again) for a visit at {@code start}. */
    Step scheduled(String start) {
      status = MilestoneStatus.SCHEDULED;
      appointment = Optional.of(t(start));
      return this;
    }

    Step cancelled() {
      status = MilestoneStatus.CANCELLED;
      return this;
    }

    Milestone milestone(int seq) {
      return new Milestone(
          key,
          seq,
          kind,
          kind.patientWords(),
          due,
          Optional.empty(),
          status,
          appointment.map(a -> "appt-" + key),
          appointment,
          completed,
          missed,
          Optional.empty(),
          due,
          missed.isPresent() ? 1 : 0,
          0,
          Optional.empty(),
          booked);
    }
  }

  static Step step(String key, StepKind kind, String due) {
    return new Step(key, kind, t(due));
  }

  /** A plan of {@code protocol} for {@code patient}, started at {@code anchor}. */
  PlanBuilder plan(String id, String protocol, String patient, String anchor, Step... steps) {
    return new PlanBuilder(id, protocol, patient, t(anchor), List.of(steps));
  }

  final class PlanBuilder {
    private final String id;
    private final String protocol;
    private final String patient;
    private final Instant anchor;
    private final List<Step> steps;
    private Optional<Long> value = Optional.empty();
    private Optional<Instant> firstMessage = Optional.empty();

    PlanBuilder(String id, String protocol, String patient, Instant anchor, List<Step> steps) {
      this.id = id;
      this.protocol = protocol;
      this.patient = patient;
      this.anchor = anchor;
      this.steps = steps;
    }

    PlanBuilder worth(long cents) {
      value = Optional.of(cents);
      return this;
    }

    PlanBuilder firstMessage(String at) {
      firstMessage = Optional.of(t(at));
      return this;
    }

    void add() {
      var milestones = new ArrayList<Milestone>();
      for (int i = 0; i < steps.size(); i++) milestones.add(steps.get(i).milestone(i + 1));
      plans.add(
          new PlanFact(
              new PlanState(
                  id,
                  "p1",
                  patient,
                  protocol,
                  1,
                  PlanStatus.ACTIVE,
                  anchor,
                  anchor,
                  PlanFlags.NONE,
                  new Reach(true, true, true, Optional.empty(), ZONE),
                  milestones,
                  0,
                  false,
                  Set.of(),
                  Optional.empty(),
                  Optional.empty(),
                  value,
                  firstMessage),
              "Patient " + patient,
              "MRN-" + patient));
    }
  }

  /** A message that went out; its key is {@code planId:n}. */
  String message(String planId, String channel, String template, String at) {
    String key = planId + ":" + messages.size();
    messages.add(new MessageFact(key, planId, channel, template, t(at)));
    return key;
  }

  void reply(String planId, String classified, String at) {
    replies.add(new ReplyFact(planId, "sms", classified, t(at)));
  }

  void click(String planId, String messageKey, String purpose, String at) {
    clicks.add(new ClickFact(planId, messageKey, purpose, t(at)));
  }

  TaskFact task(long id, String planId, Lane lane, String created, String respondBy) {
    var task =
        new TaskFact(
            id, planId, lane, t(created), t(respondBy), Optional.empty(), Optional.empty());
    tasks.add(task);
    return task;
  }

  void closed(long id, String at) {
    tasks.replaceAll(x ->
        x.id() == id
            ? new TaskFact(
                id,
                x.planId(),
                x.lane(),
                x.createdAt(),
                x.respondBy(),
                Optional.of(t(at)),
                Optional.of("done"))
            : x);
  }

  void note(TaskFact task, String at, Optional<String> barrier, Optional<String> callOutcome) {
    notes.add(
        new NoteFact(
            task.id(),
            task.planId(),
            t(at),
            callOutcome.isPresent() ? "call" : "note",
            barrier,
            callOutcome));
  }

  Facts facts(Optional<Long> appointmentValueCents) {
    return new Facts(ZONE, appointmentValueCents, plans, messages, replies, clicks, tasks, notes);
  }
}
