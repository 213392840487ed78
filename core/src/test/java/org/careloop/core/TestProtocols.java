package org.careloop.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Protocols built in code for the core's tests, which run without the protocol files. */
final class TestProtocols {

  private TestProtocols() {}

  /**
   * A treatment-plan follow-up program as the decider's tests know it: check-ins on days 7, 14 and
   * 21 and a reminder on day 42; missed appointment outreach with a 48-hour reply window; care-gap
   * tiers at 1, 8, 15 and 31 days past due. Test data only: the product reads its programs from the
   * protocol files.
   */
  static Protocol treatmentPlan() {
    return new Protocol(
        "treatment-plan-follow-up",
        1,
        List.of(
            new Protocol.Touch(7, Set.of(Channel.SMS), Effect.Template.CHECK_IN),
            new Protocol.Touch(14, Set.of(Channel.EMAIL), Effect.Template.CHECK_IN),
            new Protocol.Touch(21, Set.of(Channel.SMS), Effect.Template.CHECK_IN),
            new Protocol.Touch(42, Set.of(Channel.EMAIL, Channel.SMS), Effect.Template.REMINDER)),
        Duration.ofDays(42),
        Duration.ofDays(14),
        Protocol.Defaults.MISSED_APPOINTMENT,
        Protocol.Defaults.OUTCOME_CHECK,
        List.of(1, 8, 15, 31),
        8,
        AllowedHours.DEFAULT,
        Optional.empty(),
        Duration.ofDays(7),
        List.of("care-plan-created", "order-created", "referral-created", "csv-row-imported"),
        Optional.of(new Protocol.Intake(Set.of(Channel.SMS), Effect.Template.INTAKE)),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        Protocol.GapAction.DEFAULTS,
        Optional.empty(),
        Optional.empty(),
        Protocol.Series.CALENDAR);
  }

  /** A copy of {@code p} with other missed-appointment rules, outcome check and tier actions. */
  static Protocol with(
      Protocol p,
      Protocol.MissedAppointment missed,
      Protocol.OutcomeCheck outcome,
      List<Protocol.GapAction> actions) {
    return new Protocol(
        p.id(),
        p.version(),
        p.betweenSteps(),
        p.defaultStepInterval(),
        p.lateImportWindow(),
        missed,
        outcome,
        p.gapTiers(),
        p.touchCap(),
        p.allowedHours(),
        p.sendWindow(),
        p.positiveReplyPause(),
        p.triggers(),
        p.intake(),
        p.expireAfter(),
        p.onPositiveReply(),
        p.enrolWhen(),
        p.touchesFromFirstMessage(),
        actions,
        p.cycleCap(),
        p.afterAcceptance(),
        p.series());
  }
}
