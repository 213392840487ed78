package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.careloop.adapters.protocol.ProtocolFile;
import org.careloop.core.AllowedHours;
import org.careloop.core.Channel;
import org.careloop.core.Effect;
import org.careloop.core.Lane;
import org.careloop.core.Priority;
import org.careloop.core.Protocol;
import org.junit.jupiter.api.Test;

/**
 * Protocols as YAML: the shipped file is the engine's program, and each mistake is named by line.
 */
class ProtocolFileTest {

  static String shipped(String name) throws Exception {
    try (var in = ProtocolFile.class.getResourceAsStream("/protocols/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theShippedTreatmentPlanFile_isTheEnginesProgram() throws Exception {
    var r =
        ProtocolFile.read(
            "treatment-plan-follow-up.v1.yaml", shipped("treatment-plan-follow-up.v1.yaml"));
    assertThat(r.problems()).isEmpty();
    var p = r.protocol().orElseThrow();
    assertThat(p.id()).isEqualTo("treatment-plan-follow-up");
    assertThat(p.version()).isEqualTo(1);
    assertThat(p.betweenSteps())
        .containsExactly(
            new Protocol.Touch(7, Set.of(Channel.SMS), Effect.Template.CHECK_IN),
            new Protocol.Touch(14, Set.of(Channel.EMAIL), Effect.Template.CHECK_IN),
            new Protocol.Touch(21, Set.of(Channel.SMS), Effect.Template.CHECK_IN),
            new Protocol.Touch(42, Set.of(Channel.EMAIL, Channel.SMS), Effect.Template.REMINDER));
    assertThat(p.defaultStepInterval()).isEqualTo(Duration.ofDays(42));
    assertThat(p.lateImportWindow()).isEqualTo(Duration.ofDays(14));
    assertThat(p.missedAppointment().replyWindow()).isEqualTo(Duration.ofHours(48));
    assertThat(p.missedAppointment().rebookGrace()).isEqualTo(Duration.ofHours(2));
    assertThat(p.missedAppointment().providerReviewAfterMisses()).isEqualTo(2);
    assertThat(p.missedAppointment()).isEqualTo(Protocol.Defaults.MISSED_APPOINTMENT);
    assertThat(p.outcomeCheck()).isEqualTo(Protocol.Defaults.OUTCOME_CHECK);
    assertThat(p.gapTiers()).containsExactly(1, 8, 15, 31);
    assertThat(p.touchCap()).isEqualTo(8);
    assertThat(p.allowedHours()).isEqualTo(AllowedHours.DEFAULT);
    assertThat(p.sendWindow()).isEmpty();
    assertThat(p.positiveReplyPause()).isEqualTo(Duration.ofDays(7));
    assertThat(p.triggers())
        .containsExactly(
            "care-plan-created", "order-created", "referral-created", "csv-row-imported");
    assertThat(p.intake())
        .contains(new Protocol.Intake(Set.of(Channel.SMS), Effect.Template.INTAKE));
    assertThat(p.expireAfter()).isEmpty();
    assertThat(p.onPositiveReply()).isEmpty();
    assertThat(p.enrolWhen()).isEmpty();
    assertThat(p.touchesFromFirstMessage()).isFalse();
    assertThat(p.gapActions()).isEqualTo(Protocol.GapAction.DEFAULTS);
  }

  /** The shipped file with one line replaced. */
  static ProtocolFile.Result withLine(String from, String to) throws Exception {
    String text = shipped("treatment-plan-follow-up.v1.yaml");
    assertThat(text).contains(from);
    return ProtocolFile.read("p.yaml", text.replace(from, to));
  }

  static int lineOf(String text, String needle) {
    return (int) text.substring(0, text.indexOf(needle)).lines().count()
        + (text.substring(0, text.indexOf(needle)).endsWith("\n") ? 1 : 0);
  }

  @Test
  void lint_namesFileLineAndProblem_forEachMistake() throws Exception {
    String text = shipped("treatment-plan-follow-up.v1.yaml");
    int checkIn14 = lineOf(text, "  - {after: 14d");
    int touchCap = lineOf(text, "touch-cap: 8");

    // Unreachable: a second touch at an offset another already fires at.
    assertThat(
            withLine("  - {after: 21d, channels: [sms]", "  - {after: 14d, channels: [sms]")
                .problems())
        .extracting(Object::toString)
        .containsExactly(
            "p.yaml:"
                + (checkIn14 + 1)
                + ": between-steps[3] at 14d is unreachable: between-steps[2] already fires at 14d after the last progress");
    // A touchpoint without a template, and one naming a template that does not exist.
    assertThat(
            withLine(
                    "{after: 14d, channels: [email], template: CHECK_IN}",
                    "{after: 14d, channels: [email]}")
                .problems())
        .extracting(Object::toString)
        .containsExactly(
            "p.yaml:"
                + checkIn14
                + ": between-steps[2]: a touchpoint without a template (it sends on [EMAIL]): name one, e.g. template: CHECK_IN, or make it a task");
    assertThat(
            withLine("template: CHECK_IN}\n  - {after: 21d", "template: CHEK_IN}\n  - {after: 21d")
                .problems())
        .singleElement()
        .asString()
        .startsWith(
            "p.yaml:"
                + checkIn14
                + ": between-steps[2]: template 'CHEK_IN' is not defined (defined: [CANCELLED_REBOOK, CARE_GAP, CHECK_IN,");
    // A send window reaching into the night; allowed hours too.
    assertThat(
            withLine(
                    "# send-window: {days: [mon, tue, wed, thu, fri], from: \"10:00\", to: \"14:00\"}",
                    "send-window: {days: [mon, fri], from: \"18:00\", to: \"22:30\"}")
                .problems())
        .extracting(Object::toString)
        .containsExactly(
            "p.yaml:"
                + lineOf(text, "# send-window")
                + ": send-window 18:00–22:30 reaches into the night: it must lie within the allowed hours 08:00–21:00");
    assertThat(
            withLine(
                    "allowed-hours: {from: \"08:00\", to: \"21:00\"}",
                    "allowed-hours: {from: \"06:00\", to: \"21:00\"}")
                .problems())
        .extracting(Object::toString)
        .containsExactly(
            "p.yaml:"
                + lineOf(text, "allowed-hours:")
                + ": allowed-hours 06:00–21:00 reach into the night: automated messages stay within 08:00–21:00 of the patient's day");
    // A missing cap.
    assertThat(withLine("touch-cap: 8 ", "# no cap ").problems())
        .extracting(Object::toString)
        .containsExactly(
            "p.yaml:5: no touch-cap: without a cap on automated messages per step a patient could be messaged without end (e.g. touch-cap: 8)");
    // A loop without an exit.
    assertThat(
            withLine(
                    "{after: 21d, channels: [sms], template: CHECK_IN}",
                    "{after: 21d, every: 7d, channels: [sms], template: CHECK_IN}")
                .problems())
        .extracting(Object::toString)
        .containsExactly(
            "p.yaml:"
                + (checkIn14 + 1)
                + ": between-steps[3]: a repeat without an exit: say times: N, or until: due (it stops when the step falls due)");
    // Unknown event, unknown field.
    assertThat(withLine("csv-row-imported]", "csv-row-imported, visit-done]").problems())
        .singleElement()
        .asString()
        .startsWith(
            "p.yaml:"
                + lineOf(text, "triggers:")
                + ": unknown event 'visit-done' in triggers (known: [appointment-no-show,");
    assertThat(withLine("  rebook-grace: 2h", "  rebook-grace: 2h\n  rebok-grace: 3h").problems())
        .singleElement()
        .asString()
        .startsWith(
            "p.yaml:"
                + (lineOf(text, "  rebook-grace") + 1)
                + ": unknown field 'rebok-grace' in missed-appointment (known: reply-window, rebook-grace,");
    // A bad value, and YAML that does not parse.
    assertThat(withLine("positive-reply-pause: 7d", "positive-reply-pause: 7 days").problems())
        .extracting(Object::toString)
        .containsExactly(
            "p.yaml:"
                + lineOf(text, "positive-reply-pause")
                + ": positive-reply-pause '7 days' is not a duration such as 30m, 48h or 7d");
    assertThat(
            withLine(
                    "  - {after: 7d, channels: [sms], template: CHECK_IN}",
                    "  - {after: 7d, channels: [sms, template: CHECK_IN}")
                .problems())
        .singleElement()
        .asString()
        .startsWith("p.yaml:")
        .contains("not valid YAML");
    assertThat(touchCap).isPositive();
  }

  @Test
  void aCycleCap_isReadFromTheFile_andTheLintNamesWhatDoesNotFit() throws Exception {
    var postVisit = ProtocolFile.read("post-visit.v2.yaml", shipped("post-visit.v2.yaml"));
    assertThat(postVisit.problems()).isEmpty();
    assertThat(postVisit.protocol().orElseThrow().cycleCap())
        .contains(new org.careloop.core.Protocol.CycleCap(2, 1));
    assertThat(
            ProtocolFile.read("post-visit.v1.yaml", shipped("post-visit.v1.yaml"))
                .protocol()
                .orElseThrow()
                .cycleCap())
        .isEmpty();
    String text = shipped("treatment-plan-follow-up.v1.yaml");
    int line = lineOf(text, "touch-cap: 8");
    assertThat(
            withLine("touch-cap: 8 ", "cycle-cap: {automated: 0, human: 1}\ntouch-cap: 8 ")
                .problems())
        .extracting(Object::toString)
        .singleElement()
        .asString()
        .startsWith("p.yaml:" + line + ": automated '0' is not a whole number from 1");
    assertThat(withLine("touch-cap: 8 ", "cycle-cap: {automated: 2}\ntouch-cap: 8 ").problems())
        .extracting(Object::toString)
        .containsExactly(
            "p.yaml:"
                + line
                + ": cycle-cap names both automated and human, e.g. cycle-cap: {automated: 2,"
                + " human: 1}");
  }

  @Test
  void afterAcceptance_isForPresentedTreatmentPlans_andTheLintSaysSo() throws Exception {
    var dental =
        ProtocolFile.read(
            "dental-unaccepted-treatment.v2.yaml", shipped("dental-unaccepted-treatment.v2.yaml"));
    assertThat(dental.problems()).isEmpty();
    assertThat(dental.protocol().orElseThrow().afterAcceptance())
        .contains(java.time.Duration.ofDays(14));
    String text = shipped("treatment-plan-follow-up.v1.yaml");
    int line = lineOf(text, "touch-cap: 8");
    assertThat(
            withLine("touch-cap: 8 ", "after-acceptance: {schedule-within: 14d}\ntouch-cap: 8 ")
                .problems())
        .extracting(Object::toString)
        .containsExactly(
            "p.yaml:"
                + line
                + ": after-acceptance is for presented treatment plans: triggers has no"
                + " treatment-plan-presented");
    assertThat(
            withLine("touch-cap: 8 ", "after-acceptance: {within: 14d}\ntouch-cap: 8 ").problems())
        .extracting(Object::toString)
        .anyMatch(p -> p.contains("unknown field 'within' in after-acceptance"));
  }

  @Test
  void series_isCalendarUnlessTheFileSaysAfterPrevious_andTheLintNamesAnythingElse()
      throws Exception {
    assertThat(Shipped.treatmentPlan().series()).isEqualTo(Protocol.Series.CALENDAR);
    String interval = "default-interval: 42d";
    var after = withLine(interval, interval + "\n  series: after-previous");
    assertThat(after.problems()).isEmpty();
    assertThat(after.protocol().orElseThrow().series()).isEqualTo(Protocol.Series.AFTER_PREVIOUS);
    int line = lineOf(shipped("treatment-plan-follow-up.v1.yaml"), interval) + 1;
    assertThat(withLine(interval, interval + "\n  series: weekly").problems())
        .extracting(Object::toString)
        .singleElement()
        .asString()
        .startsWith("p.yaml:" + line + ":")
        .contains("series")
        .contains("calendar")
        .contains("after-previous");
  }

  @Test
  void careGapTiers_sayWhatEachTierDoes_andTheLintNamesWhatDoesNotFit() throws Exception {
    String tiers = "care-gap-tiers: [1d, 8d, 15d, 31d]";
    var r =
        withLine(
            tiers,
            "care-gap-tiers:\n"
                + "  - {after: 2d, do: task, lane: preventive-recall, priority: routine, respond-within: 3d}\n"
                + "  - 9d\n"
                + "  - {after: 16d, do: message, template: REMINDER, channels: [email]}\n"
                + "  - {after: 40d, do: report}");
    assertThat(r.problems()).isEmpty();
    var p = r.protocol().orElseThrow();
    assertThat(p.gapTiers()).containsExactly(2, 9, 16, 40);
    assertThat(p.gapActions())
        .containsExactly(
            new Protocol.GapAction.Task(
                Optional.of(Lane.PREVENTIVE_RECALL), Priority.ROUTINE, Duration.ofDays(3)),
            // A tier written as a duration keeps its shipped action (tier 2: a coordinator task).
            new Protocol.GapAction.Task(Optional.empty(), Priority.HIGH, Duration.ofDays(1)),
            new Protocol.GapAction.Message(Effect.Template.REMINDER, List.of(Channel.EMAIL)),
            new Protocol.GapAction.Report());

    String text = shipped("treatment-plan-follow-up.v1.yaml");
    int line = lineOf(text, tiers);
    assertThat(
            withLine(
                    tiers,
                    "care-gap-tiers:\n"
                        + "  - {after: 1d, do: call}\n"
                        + "  - {after: 8d, do: message}\n"
                        + "  - {after: 15d, do: report, lane: monitoring}\n"
                        + "  - {do: report}")
                .problems())
        .extracting(Object::toString)
        .containsExactlyInAnyOrder(
            "p.yaml:"
                + (line + 1)
                + ": care-gap tier 1: do 'call' is not message, task, notify-provider or report",
            "p.yaml:" + (line + 2) + ": care-gap tier 2: a message needs a template",
            "p.yaml:" + (line + 3) + ": care-gap tier 3: lane does not go with do: report",
            "p.yaml:" + (line + 4) + ": care-gap tier 4 has no after (such as 8d)");
  }

  @Test
  void missedAppointmentAndOutcomeCheck_sayWhatHappens_andTheLintNamesWhatDoesNotFit()
      throws Exception {
    String missed = "  provider-review-after-misses: 2";
    var r =
        withLine(
            missed,
            missed
                + "\n  outreach-channels: [email]\n  no-reply-task:\n    lane: front-desk-recall\n"
                + "    priority: routine\n    title: No-show, call to rebook\n    respond-within: 3d\n"
                + "outcome-check:\n  grace-business-days: 2\n  task: {lane: discharge, priority:"
                + " urgent, title: \"Did the patient come?\", respond-within: 4h}");
    assertThat(r.problems())
        .singleElement()
        .asString()
        .contains("lane 'front-desk-recall' is not one of");
    r =
        withLine(
            missed,
            missed
                + "\n  outreach-channels: [email]\n  no-reply-task:\n    lane: preventive-recall\n"
                + "    priority: routine\n    title: No-show, call to rebook\n    respond-within: 3d\n"
                + "outcome-check:\n  grace-business-days: 2\n  task: {lane: discharge, priority:"
                + " urgent, title: \"Did the patient come?\", respond-within: 4h}");
    assertThat(r.problems()).isEmpty();
    var p = r.protocol().orElseThrow();
    assertThat(p.missedAppointment())
        .isEqualTo(
            new Protocol.MissedAppointment(
                Duration.ofHours(48),
                Duration.ofHours(2),
                2,
                List.of(Channel.EMAIL),
                new Protocol.StaffTask(
                    Lane.PREVENTIVE_RECALL,
                    Priority.ROUTINE,
                    "No-show, call to rebook",
                    Duration.ofDays(3))));
    assertThat(p.outcomeCheck())
        .isEqualTo(
            new Protocol.OutcomeCheck(
                2,
                new Protocol.StaffTask(
                    Lane.DISCHARGE,
                    Priority.URGENT,
                    "Did the patient come?",
                    Duration.ofHours(4))));

    String text = shipped("treatment-plan-follow-up.v1.yaml");
    int line = lineOf(text, missed);
    assertThat(
            withLine(
                    missed,
                    missed
                        + "\n  outreach-channels: []\n"
                        + "outcome-check: {grace-business-days: 0}")
                .problems())
        .extracting(Object::toString)
        .containsExactlyInAnyOrder(
            "p.yaml:"
                + (line + 1)
                + ": missed-appointment: outreach-channels needs at least one of sms, email",
            "p.yaml:"
                + (line + 2)
                + ": grace-business-days '0' is not a whole number of business days from 1 to 10");
    assertThat(withLine("  reply-window: 48h", "  reply-window: 0h").problems())
        .extracting(Object::toString)
        .containsExactly(
            "p.yaml:"
                + lineOf(text, "  reply-window: 48h")
                + ": missed-appointment: reply-window must be above 0");
  }

  @Test
  void theReadmesMissedAppointmentExample_isWhatAProtocolThatLeavesItOutGets() throws Exception {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
    int from = readme.indexOf("```yaml\n  missed-appointment:");
    assertThat(from).isPositive();
    String block =
        readme
            .substring(from + "```yaml\n".length(), readme.indexOf("```", from + 7))
            .lines()
            .map(l -> l.startsWith("  ") ? l.substring(2) : l)
            .collect(java.util.stream.Collectors.joining("\n"));
    String text = shipped("treatment-plan-follow-up.v1.yaml");
    int start = text.indexOf("missed-appointment:");
    int end = text.indexOf("\n\n", start);
    var r = ProtocolFile.read("p.yaml", text.substring(0, start) + block + text.substring(end));
    assertThat(r.problems()).isEmpty();
    var p = r.protocol().orElseThrow();
    assertThat(p.missedAppointment()).isEqualTo(Protocol.Defaults.MISSED_APPOINTMENT);
    assertThat(p.outcomeCheck()).isEqualTo(Protocol.Defaults.OUTCOME_CHECK);
  }

  @Test
  void repeats_taskTouches_andHourOffsets_becomeTouches() throws Exception {
    var r =
        withLine(
            "  - {after: 21d, channels: [sms], template: CHECK_IN}\n",
            "  - {after: 21d, every: 7d, times: 2, channels: [sms], template: CHECK_IN}\n"
                + "  - {after: 36h, channels: [sms], template: CHECK_IN}\n"
                + "  - after: 10d\n"
                + "    task: {lane: post-visit, priority: high, title: \"Call the patient\", respond-within: 1d}\n");
    assertThat(r.problems()).isEmpty();
    var touches = r.protocol().orElseThrow().betweenSteps();
    assertThat(touches)
        .extracting(Protocol.Touch::offsetKey)
        .containsExactly("h36", "d7", "d10", "d14", "d21", "d28", "d42");
    assertThat(touches.get(2).task())
        .hasValueSatisfying(t -> assertThat(t.title()).isEqualTo("Call the patient"));
  }
}
