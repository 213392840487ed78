package org.careloop.core;

import static org.careloop.core.Narration.day;

import java.time.Duration;
import java.util.List;

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
    var tiers = d.protocol.gapTiers();
    String range =
        item.tier() < tiers.size()
            ? tiers.get(item.tier() - 1) + "–" + (tiers.get(item.tier()) - 1)
            : tiers.get(tiers.size() - 1) + "+";
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
            + ")");
    switch (item.tier()) {
      case 1 -> {
        if (m.lastTouchAt().filter(t -> t.isAfter(d.now.minus(Duration.ofDays(1)))).isPresent()) {
          d.note(d.now, "skipped", "care-gap outreach: the patient was messaged in the last 24 h");
        } else {
          Touchpoints.touch(
              d,
              item,
              m,
              List.of(Channel.SMS),
              Effect.Template.CARE_GAP,
              "second outreach: step past due");
        }
      }
      case 2 ->
          d.effects.add(
              new Effect.CreateTask(
                  "task:" + item.key(),
                  m.kind() == StepKind.REFERRAL ? Lane.REFERRAL : Lane.MONITORING,
                  Priority.HIGH,
                  "Care gap: " + m.kind().patientWords() + " " + range + " days past due",
                  m.description()
                      + " was due "
                      + day(m.dueAt())
                      + " and is not done. Automated messages so far: "
                      + m.automatedTouches()
                      + ".",
                  d.now.plus(Duration.ofDays(1)),
                  m.key()));
      case 3 ->
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
      default -> d.note(item.at(), "decision", "patient is on the weekly care-gap report");
    }
  }
}
