package org.careloop.app.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careloop.app.reports.HandMadeHistory.step;
import static org.careloop.core.StepKind.IMAGING;
import static org.careloop.core.StepKind.LAB;
import static org.careloop.core.StepKind.REFERRAL;
import static org.careloop.core.StepKind.THERAPY;
import static org.careloop.core.StepKind.TREATMENT;
import static org.careloop.core.StepKind.VISIT;

import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.careloop.app.MetricFacts.Facts;
import org.careloop.core.Lane;
import org.careloop.core.StepKind;
import org.junit.jupiter.api.Test;

/**
 * Every dashboard figure on a history written by hand: two weeks of a Chicago practice (1–14
 * November 2026, the clocks going back on the 1st) beside the two weeks before, each figure's exact
 * value worked out from the facts below.
 */
class DashboardTest {
  static final Period PERIOD =
      new Period(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 14), HandMadeHistory.ZONE);

  static final String T = History.TREATMENT;
  static final String PV = History.POST_VISIT;
  static final String R = History.RECALL;
  static final String D = History.DENTAL;

  static Facts history() {
    var h = new HandMadeHistory();
    // Treatment plans. pa: a lab done on time; a referral booked, missed, booked again.
    h.plan(
            "T1",
            T,
            "pa",
            "2026-09-20T15:00:00Z",
            step("s1", LAB, "2026-11-03T15:00:00Z").done("2026-11-04T15:00:00Z"),
            step("s2", REFERRAL, "2026-11-05T15:00:00Z")
                .booked("2026-11-02T15:00:00Z")
                .missed("2026-11-06T16:00:00Z")
                .scheduled("2026-11-20T15:00:00Z"))
        .add();
    // pb: a visit never done, a week past due by the end of the period.
    h.plan("T2", T, "pb", "2026-10-01T15:00:00Z", step("s1", VISIT, "2026-11-02T15:00:00Z")).add();
    // pc: imaging due late in the period (not yet a week late); a step of the weeks before done.
    h.plan(
            "T3",
            T,
            "pc",
            "2026-10-10T15:00:00Z",
            step("s1", IMAGING, "2026-11-12T15:00:00Z"),
            step("s2", LAB, "2026-10-25T15:00:00Z").done("2026-10-26T15:00:00Z"))
        .add();
    // pd: a plan older than 12 months, its step done on the day.
    h.plan(
            "T4",
            T,
            "pd",
            "2025-09-01T15:00:00Z",
            step("s1", LAB, "2026-11-10T15:00:00Z").done("2026-11-10T18:00:00Z"))
        .add();
    // pa again: a called-off step counts nowhere.
    h.plan(
            "T5",
            T,
            "pa",
            "2026-10-15T15:00:00Z",
            step("s1", LAB, "2026-11-08T15:00:00Z").cancelled())
        .add();
    // pe: missed in the weeks before; said STOP.
    h.plan(
            "T6",
            T,
            "pe",
            "2026-09-01T15:00:00Z",
            step("s1", VISIT, "2026-10-20T15:00:00Z").missed("2026-10-21T14:00:00Z"))
        .add();
    h.message("T6", "sms", "MISSED_APPOINTMENT", "2026-10-21T14:30:00Z");
    h.reply("T6", "STOP", "2026-10-22T15:00:00Z");
    // pf: due at 23:30 on 31 October in Chicago (the weeks before), done the next morning.
    h.plan(
            "T7",
            T,
            "pf",
            "2026-10-01T15:00:00Z",
            step("s1", LAB, "2026-11-01T04:30:00Z").done("2026-11-01T10:00:00Z"))
        .add();
    // pg: therapy missed; a message two days later; the patient wrote back.
    h.plan(
            "T8",
            T,
            "pg",
            "2026-10-05T15:00:00Z",
            step("s1", THERAPY, "2026-11-09T15:00:00Z").missed("2026-11-09T20:00:00Z"))
        .add();
    h.message("T8", "sms", "MISSED_APPOINTMENT", "2026-11-11T20:00:00Z");
    h.reply("T8", "FREE_TEXT", "2026-11-12T15:00:00Z");
    // ph: a referral missed, nobody reached out yet.
    h.plan(
            "T9",
            T,
            "ph",
            "2026-10-05T15:00:00Z",
            step("s1", REFERRAL, "2026-11-13T15:00:00Z").missed("2026-11-13T18:00:00Z"))
        .add();
    h.message("T1", "sms", "MISSED_APPOINTMENT", "2026-11-06T18:30:00Z");

    // Post-visit. qa: summary in 1 h (sms, then email), booked in 3 days, done in 7; answered.
    h.plan(
            "PV1",
            PV,
            "qa",
            "2026-11-02T15:00:00Z",
            step("s1", VISIT, "2026-11-09T15:00:00Z")
                .booked("2026-11-05T15:00:00Z")
                .done("2026-11-09T16:00:00Z"))
        .firstMessage("2026-11-02T16:00:00Z")
        .add();
    h.message("PV1", "sms", "POST_VISIT_SUMMARY", "2026-11-02T16:00:00Z");
    h.message("PV1", "email", "POST_VISIT_SUMMARY", "2026-11-02T16:00:05Z");
    h.message("PV1", "sms", "CHECK_IN", "2026-11-06T15:00:00Z");
    h.reply("PV1", "FREE_TEXT", "2026-11-03T10:00:00Z");
    // qb: summary after 3 h, never booked; asked for HELP only.
    h.plan("PV2", PV, "qb", "2026-11-04T15:00:00Z", step("s1", VISIT, "2026-11-11T15:00:00Z"))
        .firstMessage("2026-11-04T18:00:00Z")
        .add();
    h.message("PV2", "sms", "POST_VISIT_SUMMARY", "2026-11-04T18:00:00Z");
    h.reply("PV2", "HELP", "2026-11-04T19:00:00Z");
    // qc, qd: older visits whose 30 days past due end in the period: one done in time, one not.
    h.plan(
            "PV3",
            PV,
            "qc",
            "2026-09-20T15:00:00Z",
            step("s1", VISIT, "2026-10-05T15:00:00Z").done("2026-10-30T15:00:00Z"))
        .add();
    h.plan("PV4", PV, "qd", "2026-09-25T15:00:00Z", step("s1", VISIT, "2026-10-10T15:00:00Z"))
        .add();

    // Recall. ra: texted, booking link used, booked. rb (worth $250): emailed, then done.
    h.plan(
            "R1",
            R,
            "ra",
            "2026-10-20T15:00:00Z",
            step("s1", VISIT, "2026-11-10T15:00:00Z").booked("2026-11-03T15:00:00Z"))
        .add();
    String r1 = h.message("R1", "sms", "RECALL_DUE", "2026-11-01T15:00:00Z");
    h.click("R1", r1, "BOOKING", "2026-11-02T15:00:00Z");
    h.plan(
            "R2",
            R,
            "rb",
            "2026-10-20T15:00:00Z",
            step("s1", VISIT, "2026-11-10T15:00:00Z").done("2026-11-07T15:00:00Z"))
        .worth(25_000)
        .add();
    h.message("R2", "email", "RECALL_DUE", "2026-11-02T15:00:00Z");
    // rc booked before any message: not recovered; rd recovered in the weeks before.
    h.plan(
            "R3",
            R,
            "rc",
            "2026-10-20T15:00:00Z",
            step("s1", VISIT, "2026-11-10T15:00:00Z").booked("2026-11-04T15:00:00Z"))
        .add();
    h.plan(
            "R4",
            R,
            "rd",
            "2026-10-01T15:00:00Z",
            step("s1", VISIT, "2026-11-01T15:00:00Z").booked("2026-10-25T15:00:00Z"))
        .add();
    h.message("R4", "sms", "RECALL_DUE", "2026-10-20T15:00:00Z");

    // Dental. da ($4,200): day-1 text, day-3 email opened and its link used, accepted, scheduled.
    h.plan(
            "D1",
            D,
            "da",
            "2026-11-02T15:00:00Z",
            step("accept", TREATMENT, "2026-12-02T15:00:00Z").done("2026-11-06T10:00:00Z"),
            step("procedure", StepKind.PROCEDURE, "2026-11-20T10:00:00Z")
                .booked("2026-11-08T15:00:00Z")
                .scheduled("2026-11-25T15:00:00Z"))
        .worth(420_000)
        .add();
    h.message("D1", "sms", "DENTAL_TREATMENT_WAITING", "2026-11-03T15:00:00Z");
    String d1Email = h.message("D1", "email", "DENTAL_DETAILS", "2026-11-05T15:00:00Z");
    h.click("D1", d1Email, "OPEN", "2026-11-05T16:00:00Z");
    h.click("D1", d1Email, "BOOKING", "2026-11-05T16:05:00Z");
    // db ($900): three touches, nothing.
    h.plan("D2", D, "db", "2026-11-03T15:00:00Z", step("accept", TREATMENT, "2026-12-03T15:00:00Z"))
        .worth(90_000)
        .add();
    h.message("D2", "sms", "DENTAL_TREATMENT_WAITING", "2026-11-04T15:00:00Z");
    h.message("D2", "email", "DENTAL_DETAILS", "2026-11-06T15:00:00Z");
    h.message("D2", "sms", "DENTAL_SPOT_SAVED", "2026-11-10T15:00:00Z");
    // dc ($1,500): accepted the same day, before any message.
    h.plan(
            "D3",
            D,
            "dc",
            "2026-11-01T15:00:00Z",
            step("accept", TREATMENT, "2026-12-01T15:00:00Z").done("2026-11-01T20:00:00Z"))
        .worth(150_000)
        .add();
    // dd ($2,000): the weeks before, accepted after the day-1 text.
    h.plan(
            "D4",
            D,
            "dd",
            "2026-10-20T15:00:00Z",
            step("accept", TREATMENT, "2026-11-19T15:00:00Z").done("2026-10-22T15:00:00Z"))
        .worth(200_000)
        .add();
    h.message("D4", "sms", "DENTAL_TREATMENT_WAITING", "2026-10-21T15:00:00Z");

    // Cases and what people documented on them.
    var t1 =
        h.task(1, "T1", Lane.MISSED_APPOINTMENT, "2026-11-06T16:00:00Z", "2026-11-07T16:00:00Z");
    h.note(t1, "2026-11-06T17:00:00Z", Optional.empty(), Optional.of("reached"));
    h.closed(1, "2026-11-06T17:05:00Z");
    var t2 = h.task(2, "PV2", Lane.POST_VISIT, "2026-11-04T18:00:00Z", "2026-11-05T18:00:00Z");
    h.note(t2, "2026-11-05T20:00:00Z", Optional.of("transportation"), Optional.of("no answer"));
    h.task(3, "PV1", Lane.POST_VISIT, "2026-11-02T16:00:00Z", "2026-11-03T16:00:00Z");
    h.closed(3, "2026-11-03T09:00:00Z");
    h.task(4, "T9", Lane.MISSED_APPOINTMENT, "2026-11-13T18:00:00Z", "2026-11-14T18:00:00Z");
    var t5 =
        h.task(5, "T6", Lane.MISSED_APPOINTMENT, "2026-10-21T14:00:00Z", "2026-10-22T14:00:00Z");
    h.note(t5, "2026-10-21T15:00:00Z", Optional.of("cost"), Optional.empty());
    var t6 =
        h.task(6, "D2", Lane.UNACCEPTED_TREATMENT, "2026-11-10T15:00:00Z", "2026-11-11T15:00:00Z");
    h.note(t6, "2026-11-10T19:00:00Z", Optional.of("cost"), Optional.empty());
    h.note(t6, "2026-11-11T15:00:00Z", Optional.empty(), Optional.of("reached"));
    return h.facts(Optional.of(18_000L));
  }

  static final Dashboard.View VIEW = Dashboard.of(history(), PERIOD);

  static Dashboard.Figure figure(String id) {
    return VIEW.figure(id);
  }

  static Map<String, String> shares(Value v) {
    var out = new LinkedHashMap<String, String>();
    v.byGroup().forEach((g, x) -> out.put(g, x.counted() + "/" + x.of()));
    return out;
  }

  static Duration hours(long h) {
    return Duration.ofHours(h);
  }

  @Test
  void thePeriod_isTheDaysInThePracticesZone() {
    assertThat(PERIOD.start()).isEqualTo("2026-11-01T05:00:00Z"); // CDT until 2 a.m.
    assertThat(PERIOD.end()).isEqualTo("2026-11-15T06:00:00Z"); // CST
    assertThat(PERIOD.previous())
        .isEqualTo(
            new Period(
                LocalDate.of(2026, 10, 18), LocalDate.of(2026, 10, 31), HandMadeHistory.ZONE));
  }

  @Test
  void treatmentPlanFigures() {
    var gap = figure("care-gap-rate");
    assertThat(gap.now().counted() + "/" + gap.now().of()).isEqualTo("4/6");
    assertThat(gap.before().counted() + "/" + gap.before().of()).isEqualTo("1/3");
    assertThat(gap.now().number(PERIOD))
        .hasValueSatisfying(
            v -> assertThat(v).isCloseTo(66.67, org.assertj.core.data.Offset.offset(0.01)));

    var completion = figure("milestone-completion");
    assertThat(completion.now().counted() + "/" + completion.now().of()).isEqualTo("3/9");
    assertThat(completion.before().counted() + "/" + completion.before().of()).isEqualTo("1/3");

    var outreach = figure("missed-to-outreach");
    assertThat(outreach.now().counted() + "/" + outreach.now().of()).isEqualTo("2/3");
    assertThat(outreach.now().median()).contains(hours(1));
    assertThat(outreach.now().p90()).contains(hours(48));
    assertThat(outreach.before().median()).contains(Duration.ofMinutes(30));

    var back = figure("re-engagement");
    assertThat(back.now().counted() + "/" + back.now().of()).isEqualTo("2/3");
    assertThat(back.before().counted() + "/" + back.before().of()).isEqualTo("0/1");

    var time = figure("coordinator-time");
    assertThat(time.now().sum()).isEqualTo(6 + 6 + 2 + 6);
    assertThat(time.before().sum()).isEqualTo(2);
    // 14 days and the hour the clocks went back: 337 hours.
    assertThat(time.now().number(PERIOD))
        .hasValueSatisfying(v ->
            assertThat(v)
                .isCloseTo(20 / 60.0 / (337 / 168.0), org.assertj.core.data.Offset.offset(1e-9)));
  }

  @Test
  void postVisitFigures() {
    var booked = figure("booked-within-7-days");
    assertThat(booked.now().counted() + "/" + booked.now().of()).isEqualTo("1/2");
    var recall = figure("recall-compliance-30-days");
    assertThat(recall.now().counted() + "/" + recall.now().of()).isEqualTo("1/2");
    var summary = figure("summary-within-2-hours");
    assertThat(summary.now().counted() + "/" + summary.now().of()).isEqualTo("1/2");
    assertThat(summary.before().of()).isZero();
    assertThat(summary.before().number(PERIOD.previous())).isEmpty();

    var response = figure("post-visit-response-by-channel");
    assertThat(shares(response.now()))
        .containsExactly(Map.entry("email", "1/1"), Map.entry("sms", "1/3"));
    var complete = figure("time-to-complete-by-channel");
    assertThat(complete.now().byGroup()).containsOnlyKeys("sms");
    assertThat(complete.now().median()).contains(Duration.ofDays(7));
  }

  @Test
  void recallFigures() {
    assertThat(figure("appointments-recovered").now().counted()).isEqualTo(2);
    assertThat(figure("appointments-recovered").before().counted()).isEqualTo(1);
    // ra at the practice's $180, rb at its own $250.
    assertThat(figure("revenue-attributed").now().sum()).isEqualTo(43_000);
    assertThat(figure("revenue-attributed").before().sum()).isEqualTo(18_000);
    assertThat(shares(figure("recall-response-by-channel").now()))
        .containsExactly(Map.entry("email", "0/1"), Map.entry("sms", "1/1"));
    assertThat(figure("staff-time-saved").now().sum())
        .isEqualTo(2 * RecallFigures.MINUTES_PER_MESSAGE);
  }

  @Test
  void dentalFigures() {
    var accepted = figure("acceptance-rate");
    assertThat(accepted.now().counted() + "/" + accepted.now().of()).isEqualTo("2/3");
    assertThat(accepted.before().counted() + "/" + accepted.before().of()).isEqualTo("1/1");
    // dc accepted before any message: not recovered by careloop.
    assertThat(figure("revenue-recovered").now().sum()).isEqualTo(420_000);
    assertThat(figure("revenue-recovered").before().sum()).isEqualTo(200_000);
    assertThat(shares(figure("touchpoint-opens").now()))
        .containsExactly(Map.entry("dental details (email)", "1/2"));
    assertThat(shares(figure("touchpoint-clicks").now()))
        .containsExactly(
            Map.entry("dental details (email)", "1/2"),
            Map.entry("dental spot saved (sms)", "0/1"),
            Map.entry("dental treatment waiting (sms)", "0/2"));
    assertThat(shares(figure("touchpoint-conversion").now()))
        .containsExactly(
            Map.entry("dental details (email)", "1/2"),
            Map.entry("dental spot saved (sms)", "0/1"),
            Map.entry("dental treatment waiting (sms)", "0/2"));
    assertThat(VIEW.funnel())
        .containsExactly(
            new Dashboard.Stage("presented", 3),
            new Dashboard.Stage("accepted", 2),
            new Dashboard.Stage("scheduled", 1),
            new Dashboard.Stage("completed", 0));
  }

  @Test
  void coordinationFigures() {
    var first = figure("first-response-by-lane");
    assertThat(shares(first.now()))
        .containsExactly(
            Map.entry("missed appointment", "1/2"),
            Map.entry("post visit", "1/2"),
            Map.entry("unaccepted treatment", "1/1"));
    assertThat(first.now().median()).contains(hours(4));
    assertThat(first.now().p90()).contains(hours(26));
    assertThat(first.now().byGroup().get("post visit").median()).contains(hours(26));

    var contact = figure("contact-rate");
    assertThat(contact.now().counted() + "/" + contact.now().of()).isEqualTo("2/3");
    var referral = figure("referral-conversion");
    assertThat(referral.now().counted() + "/" + referral.now().of()).isEqualTo("1/2");
    var noShow = figure("no-show-recovery");
    assertThat(noShow.now().counted() + "/" + noShow.now().of()).isEqualTo("1/3");
    assertThat(noShow.before().counted() + "/" + noShow.before().of()).isEqualTo("0/1");
    var onTime = figure("post-visit-tasks-on-time");
    assertThat(onTime.now().counted() + "/" + onTime.now().of()).isEqualTo("1/2");

    var trigger = figure("trigger-to-next-step");
    assertThat(trigger.now().counted() + "/" + trigger.now().of()).isEqualTo("3/5");
    assertThat(trigger.now().median()).contains(hours(91));
    assertThat(trigger.now().p90()).contains(hours(169));

    assertThat(shares(figure("barriers-by-kind").now()))
        .containsExactly(Map.entry("cost", "1/1"), Map.entry("transportation", "1/1"));
    assertThat(shares(figure("barriers-by-kind").before()))
        .containsExactly(Map.entry("cost", "1/1"));
  }

  @Test
  void everyFigure_isCheckedAbove_andHasADefinition() {
    assertThat(Dashboard.METRICS).hasSize(26);
    assertThat(Dashboard.METRICS)
        .allSatisfy(m -> assertThat(m.definition()).hasSizeGreaterThan(40));
    assertThat(Dashboard.METRICS.stream().map(Metric::id).distinct()).hasSize(26);
  }

  @Test
  void activity_countsEachDayInThePracticesZone() {
    assertThat(VIEW.weekly()).isFalse();
    assertThat(VIEW.activity()).hasSize(14);
    // 6 November: three messages (T1, PV1's check-in, D2's email), D1 accepted at 04:00, T1's
    // referral missed, T1's case opened.
    assertThat(VIEW.activity().get(5))
        .isEqualTo(new Dashboard.Bucket(LocalDate.of(2026, 11, 6), 3, 1, 1, 1));
    assertThat(VIEW.activity().stream().mapToInt(Dashboard.Bucket::messages).sum()).isEqualTo(13);
    var quarter =
        Dashboard.of(
            history(), Period.ending(LocalDate.of(2026, 11, 14), 91, HandMadeHistory.ZONE));
    assertThat(quarter.weekly()).isTrue();
    assertThat(quarter.activity()).hasSize(14);
  }

  @Test
  void figures_inWords_asThePageAndTheCsvSayThem() {
    var gap = figure("care-gap-rate");
    assertThat(Shown.value(gap.now(), PERIOD)).isEqualTo("67% (4 of 6)");
    assertThat(Shown.value(gap.before(), PERIOD.previous())).isEqualTo("33% (1 of 3)");
    assertThat(Shown.change(gap, PERIOD)).isEqualTo("+33 points");
    var outreach = figure("missed-to-outreach");
    assertThat(Shown.value(outreach.now(), PERIOD))
        .isEqualTo("median 1 h, 90th percentile 2 d (2 of 3)");
    assertThat(Shown.change(outreach, PERIOD)).isEqualTo("+30 min median");
    var revenue = figure("revenue-attributed");
    assertThat(Shown.value(revenue.now(), PERIOD)).isEqualTo("$430.00");
    assertThat(Shown.change(revenue, PERIOD)).isEqualTo("+$250.00");
    assertThat(Shown.value(figure("coordinator-time").now(), PERIOD)).isEqualTo("0.2 h a week");
    assertThat(Shown.value(figure("summary-within-2-hours").before(), PERIOD.previous()))
        .isEqualTo("none in the period");
    assertThat(Shown.change(figure("summary-within-2-hours"), PERIOD)).isEqualTo("no comparison");
    assertThat(Shown.value(figure("trigger-to-next-step").now(), PERIOD))
        .isEqualTo("median 3 d 19 h, 90th percentile 7 d 1 h (3 of 5)");
    assertThat(Shown.change(figure("appointments-recovered"), PERIOD)).isEqualTo("+1");
  }
}
