package org.careloop.adapters;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;
import org.careloop.app.Reads;
import org.careloop.core.Channel;
import org.careloop.core.Milestone;
import org.careloop.core.MilestoneStatus;
import org.careloop.core.PlanState;
import org.careloop.core.PlanStatus;

/**
 * A stored plan said in the programs' words, read through the {@link Reads} port: its status, its
 * steps, what fired, what went out and which cases are open. Tests say what a plan did, not what
 * its timeline's English or a table's columns happen to be.
 *
 * <pre>
 * assertThatPlan(store, plan).hasStatus(PlanStatus.ACTIVE)
 *     .step("follow-up").isScheduled().hasAppointment("fhir:Appointment/a1");
 * assertThatPlan(store, plan).openCases().containsExactly("NOT_BOOKED follow-up");
 * </pre>
 */
final class PlanAssert extends AbstractAssert<PlanAssert, Reads.PlanView> {
  private final Reads read;

  private PlanAssert(Reads read, Reads.PlanView plan) {
    super(plan, PlanAssert.class);
    this.read = read;
  }

  /** The plan as stored now in a test database. */
  static PlanAssert assertThatPlan(org.careloop.adapters.jdbc.Database db, String planId) {
    return assertThatPlan(
        new org.careloop.adapters.jdbc.ReadModel(db.dataSource(), TestDatabases.CIPHER), planId);
  }

  /** The plan as stored now; fails when there is none with this id. */
  static PlanAssert assertThatPlan(Reads read, String planId) {
    var plan = read.plan(planId);
    Assertions.assertThat(plan).as("plan " + planId).isPresent();
    return new PlanAssert(read, plan.orElseThrow());
  }

  PlanAssert hasStatus(PlanStatus status) {
    Assertions.assertThat(actual.state().status()).as("status of " + id()).isEqualTo(status);
    return this;
  }

  /** Automated messages are held back, for {@code reason}. */
  PlanAssert isPausedFor(String reason) {
    Assertions.assertThat(actual.state().pause().map(PlanState.Pause::reason))
        .as("pause of " + id())
        .contains(reason);
    return this;
  }

  /** One of its steps, by key. */
  StepAssert step(String key) {
    var step = actual.state().milestone(key);
    Assertions.assertThat(step)
        .as("step " + key + " of " + id() + " (steps: " + keys() + ")")
        .isPresent();
    return new StepAssert(this, step.orElseThrow());
  }

  /** An agenda item (a check-in, an outreach, a care-gap tier) fired or was skipped. */
  PlanAssert hasFired(String agendaKey) {
    Assertions.assertThat(actual.state().fired(agendaKey))
        .as(agendaKey + " fired on " + id())
        .isTrue();
    return this;
  }

  /** An agenda item has not come to pass (yet). */
  PlanAssert hasNotFired(String agendaKey) {
    Assertions.assertThat(actual.state().fired(agendaKey))
        .as(agendaKey + " fired on " + id())
        .isFalse();
    return this;
  }

  /** A touchpoint reached the patient on {@code channel}. */
  PlanAssert reached(String agendaKey, Channel channel) {
    Assertions.assertThat(actual.state().reached(agendaKey, channel))
        .as(agendaKey + " reached the patient by " + channel + " on " + id())
        .isTrue();
    return this;
  }

  /** A touchpoint did not reach the patient on {@code channel}. */
  PlanAssert isNotReached(String agendaKey, Channel channel) {
    Assertions.assertThat(actual.state().reached(agendaKey, channel))
        .as(agendaKey + " reached the patient by " + channel + " on " + id())
        .isFalse();
    return this;
  }

  /** The templates of the messages queued for the plan, oldest first. */
  ListAssert<String> messages() {
    List<String> templates =
        read.outbox().stream()
            .filter(o -> o.planId().equals(id()) && o.kind().equals("MESSAGE"))
            .map(o -> o.template().orElse("-"))
            .toList();
    return Assertions.assertThat(templates).as("messages of " + id());
  }

  /** Its open cases as "NEED step", e.g. "NOT_BOOKED follow-up", sorted. */
  ListAssert<String> openCases() {
    List<String> cases =
        read.tasks().stream()
            .filter(t -> t.planId().equals(id()))
            .map(t -> t.need() + " " + t.milestoneKey().orElse("-"))
            .sorted()
            .toList();
    return Assertions.assertThat(cases).as("open cases of " + id());
  }

  /** Its one open case for {@code need} on {@code step}. */
  org.assertj.core.api.ObjectAssert<Reads.TaskRow> openCase(String need, String step) {
    var found =
        read.tasks().stream()
            .filter(t ->
                t.planId().equals(id())
                    && t.need().equals(need)
                    && t.milestoneKey().filter(step::equals).isPresent())
            .toList();
    Assertions.assertThat(found)
        .as("open " + need + " cases on " + step + " of " + id())
        .hasSize(1);
    return Assertions.assertThat(found.get(0));
  }

  private String id() {
    return actual.plan().id();
  }

  private List<String> keys() {
    return actual.state().milestones().stream().map(Milestone::key).toList();
  }

  /** One step of the plan. */
  static final class StepAssert extends AbstractAssert<StepAssert, Milestone> {
    private final PlanAssert plan;

    private StepAssert(PlanAssert plan, Milestone step) {
      super(step, StepAssert.class);
      this.plan = plan;
    }

    StepAssert hasStatus(MilestoneStatus status) {
      Assertions.assertThat(actual.status()).as("status of step " + actual.key()).isEqualTo(status);
      return this;
    }

    StepAssert isScheduled() {
      return hasStatus(MilestoneStatus.SCHEDULED);
    }

    StepAssert hasAppointment(String appointmentId) {
      Assertions.assertThat(actual.appointmentId())
          .as("appointment of step " + actual.key())
          .contains(appointmentId);
      return this;
    }

    StepAssert hasAppointmentAt(Instant start) {
      Assertions.assertThat(actual.appointmentStart())
          .as("appointment start of step " + actual.key())
          .contains(start);
      return this;
    }

    StepAssert isCompletedAt(Instant at) {
      hasStatus(MilestoneStatus.COMPLETED);
      Assertions.assertThat(actual.completedAt())
          .as("completion of step " + actual.key())
          .isEqualTo(Optional.of(at));
      return this;
    }

    /** Missed {@code times} appointments, the last at {@code at}. */
    StepAssert wasMissed(int times, Instant at) {
      Assertions.assertThat(actual.misses()).as("misses of step " + actual.key()).isEqualTo(times);
      Assertions.assertThat(actual.missedAt()).as("last miss of step " + actual.key()).contains(at);
      return this;
    }

    StepAssert isDueAt(Instant at) {
      Assertions.assertThat(actual.dueAt()).as("due date of step " + actual.key()).isEqualTo(at);
      return this;
    }

    /** Back to the plan, for its next assertion. */
    PlanAssert plan() {
      return plan;
    }
  }
}
