package org.careloop.core;

import static org.careloop.core.Narration.day;

import java.time.Duration;

/**
 * A step past due moves through the protocol's care-gap tiers: a second outreach, a coordinator
 * task, the provider told, then the weekly care-gap report.
 */
final class CareGapTiers {

  private CareGapTiers() {}

  static void gapTier(DecisionDraft d, Agenda.Item item, Milestone m) {
    if (m.status() == MilestoneStatus.PENDING || m.status() == MilestoneStatus.MISSED) {
      d.replace(m.withStatus(MilestoneStatus.OVERDUE));
      m = d.state.milestone(m.key()).orElseThrow();
    }
    String range = d.protocol.gapTierRange(item.tier());
    d.note(
        item.at(),
        "decision",
        "care gap on step "
            + m.key()
            + ": tier "
            + item.tier()
            + " ("
            + range
            + " days past due "
            + day(m.dueAt())
            + ")"
            + (m.status() == MilestoneStatus.SCHEDULED ? "; the visit's outcome is unknown" : ""));
    switch (d.protocol.gapAction(item.tier())) {
      case Protocol.GapAction.Message message -> {
        if (m.lastTouchAt().filter(t -> t.isAfter(d.now.minus(Duration.ofDays(1)))).isPresent()) {
          d.note(d.now, "skipped", "care-gap outreach: the patient was messaged in the last 24 h");
        } else {
          Touchpoints.touch(
              d,
              item,
              m,
              message.channels().stream().sorted().toList(),
              message.template(),
              "second outreach: step past due");
        }
      }
      case Protocol.GapAction.Task task -> {
        if (Cycles.allowHuman(d, m, item.key()))
          d.effects.add(
              new Effect.CreateTask(
                  "task:" + item.key(),
                  Effect.Need.NOT_BOOKED,
                  task.lane()
                      .orElse(m.kind() == StepKind.REFERRAL ? Lane.REFERRAL : Lane.MONITORING),
                  task.priority(),
                  "Care gap: " + m.kind().patientWords() + " " + range + " days past due",
                  m.description()
                      + " was due "
                      + day(m.dueAt())
                      + " and is not done. Automated messages so far: "
                      + m.automatedTouches()
                      + ".",
                  d.now.plus(task.respondWithin()),
                  m.key()));
      }
      case Protocol.GapAction.NotifyProvider notify -> {
        if (Cycles.allowHuman(d, m, item.key()))
          d.effects.add(
              new Effect.NotifyProvider(
                  "provider:" + item.key(),
                  m.key(),
                  "Care gap: "
                      + m.description()
                      + " was due "
                      + day(m.dueAt())
                      + " and is not completed ("
                      + range
                      + " days)."));
      }
      case Protocol.GapAction.Report report ->
          d.note(item.at(), "decision", "patient is on the weekly care-gap report");
    }
  }
}
