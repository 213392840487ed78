package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.careloop.adapters.jdbc.ReadModel;
import org.careloop.app.WorkItem;
import org.careloop.app.casework.Casework;
import org.careloop.app.casework.Workspace;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A provider's decision in the review queue: its own field, audited, a provider's alone, and the
 * case goes where the decision says (to the coordinators when staff must act, closed when not),
 * leaving the queue either way.
 */
class ProviderDecisionTest {
  static final Instant T0 = BadInputTest.NOW;

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aDecision_isRecordedAudited_andSendsTheCaseWhereItSays(String kind) throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var f = Fixture.of(db);
      var ws = f.ws();
      var cora = f.cora();
      var drm = f.drm();
      var drx = f.drx();
      long sarah = f.sarah();
      long ana = f.ana();
      // The case shows the patient's text thread: careloop's messages and her words.
      assertThat(ws.open(cora, ana, T0).orElseThrow().texts())
          .anySatisfy(t -> {
            assertThat(t.fromPatient()).isFalse();
            assertThat(t.words()).isEmpty(); // which message, not its words: they are not kept
            assertThat(t.status()).isEqualTo("pending");
          })
          .anySatisfy(t -> {
            assertThat(t.fromPatient()).isTrue();
            assertThat(t.words()).contains("Is the scan needed?");
            assertThat(t.status()).isEqualTo("free text");
          })
          .noneMatch(t -> t.words().filter(w -> w.contains("fasting")).isPresent());
      ws.escalate(cora, ana, "provider", "asks whether the scan is needed", T0);
      ws.escalate(cora, sarah, "provider", "asks about fasting", T0);
      assertThat(ws.reviewQueue(drm, T0).cases())
          .extracting(WorkItem::taskId)
          .containsExactlyInAnyOrder(ana, sarah);
      var q = new Queries(db.dataSource());

      // Only a provider decides, only from the list, 'other' only with the note; another
      // practice's provider finds no such case. None of it leaves a trace.
      assertThatThrownBy(() -> ws.decide(cora, ana, "see the patient sooner", Optional.empty(), T0))
          .hasMessage("a decision on a case is a provider's to record");
      assertThatThrownBy(() -> ws.decide(drm, ana, "operate", Optional.empty(), T0))
          .hasMessageStartingWith("decision 'operate' is not one of");
      assertThatThrownBy(() -> ws.decide(drm, ana, "other (see the note)", Optional.of(" "), T0))
          .hasMessage("'other' needs the decision written in the note");
      assertThatThrownBy(() -> ws.decide(drx, ana, "see the patient sooner", Optional.empty(), T0))
          .isInstanceOf(Casework.NotYours.class);
      assertThat(q.count("select count(*) from task_note where decision is not null")).isZero();

      // Staff must act: the case goes to a coordinator with the decision on it, off the queue.
      ws.decide(drm, ana, "see the patient sooner", Optional.of("within two weeks, not four"), T0);
      assertThat(
              q.strings(
                  "select t.status || ' ' || t.escalated_to || ' ' || u.username from task t join"
                      + " app_user u on u.id = t.owner_user where t.id = "
                      + ana))
          .containsExactly("OPEN coordinator cora");
      assertThat(q.strings("select decision from task_note where task_id = " + ana))
          .containsExactly("see the patient sooner");
      // The note is stored encrypted, like every other free text of a case.
      assertThat(q.strings("select next_action from task_note where task_id = " + ana))
          .singleElement()
          .satisfies(v -> assertThat(v).doesNotContain("two weeks"));
      assertThat(ws.open(cora, ana, T0).orElseThrow().notes())
          .anySatisfy(n -> {
            assertThat(n.decision()).contains("see the patient sooner");
            assertThat(n.nextAction()).contains("within two weeks, not four");
          });
      // Nothing more for staff: the case closes.
      ws.decide(drm, sarah, "continue the plan as it is", Optional.empty(), T0);
      assertThat(q.strings("select status || ' ' || close_reason from task where id = " + sarah))
          .containsExactly("CLOSED completed");
      assertThat(ws.reviewQueue(drm, T0).cases()).isEmpty();
      assertThat(
              q.strings(
                  "select action || ' ' || subject || ' ' || detail from audit_event where action ="
                      + " 'case.decision' order by id"))
          .containsExactly(
              "case.decision task " + ana + " see the patient sooner",
              "case.decision task " + sarah + " continue the plan as it is");
      assertThat(q.strings("select detail from timeline_entry where kind = 'decision' order by id"))
          .filteredOn(d -> d.startsWith("case "))
          .containsExactly(
              "case "
                  + ana
                  + ": provider decision by Dr. M: see the patient sooner; the case goes"
                  + " to the coordinators",
              "case "
                  + sarah
                  + ": provider decision by Dr. M: continue the plan as it is; the"
                  + " case is closed");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void notNeeded_endsThePlan_whileContinue_resumesItsMessages(String kind) throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var f = Fixture.of(db);
      var ws = f.ws();
      var cora = f.cora();
      var drm = f.drm();
      long sarah = f.sarah();
      long ana = f.ana();
      ws.escalate(cora, sarah, "provider", "asks whether the lab is needed", T0);
      ws.escalate(cora, ana, "provider", "asks whether the lab is needed", T0);
      var q = new Queries(db.dataSource());
      String sarahPlan =
          q.strings("select plan_id from task where id = " + sarah).stream()
              .findFirst()
              .orElseThrow();
      String anaPlan =
          q.strings("select plan_id from task where id = " + ana).stream()
              .findFirst()
              .orElseThrow();
      // A reminder still waits in the outbox for each: the decision must stop Sarah's.
      assertThat(q.count("select count(*) from outbox where status = 'PENDING'")).isPositive();

      Instant later = T0.plusSeconds(600);
      ws.decide(drm, sarah, "stop following up: not needed", Optional.empty(), later);
      ws.decide(drm, ana, "continue the plan as it is", Optional.empty(), later);

      // Sarah's plan ends with no wake-up left; Ana's goes on.
      assertThat(
              q.strings(
                  "select status || ' ' || coalesce(cast(next_wakeup_at as varchar(40)), 'none')"
                      + " from plan where id = '"
                      + sarahPlan
                      + "'"))
          .containsExactly("ENDED none");
      assertThat(q.strings("select status from plan where id = '" + anaPlan + "'"))
          .containsExactly("ACTIVE");
      assertThat(
              q.count(
                  "select count(*) from task where status = 'OPEN' and plan_id = '"
                      + sarahPlan
                      + "'"))
          .isZero();
      assertThat(q.strings("select detail from timeline_entry where plan_id = '" + sarahPlan + "'"))
          .anySatisfy(d ->
              assertThat(d)
                  .isEqualTo(
                      "follow-up stopped by Dr. M: not needed (provider decision); follow-up"
                          + " ends"))
          .anySatisfy(d -> assertThat(d).endsWith("; the case is closed and the plan ends"));

      // What was waiting for Sarah is held back at send time.
      var sms = new DispatcherTest.Flaky(0, false);
      DispatcherTest.dispatcher(java.util.Map.of("SMS", sms), f.engine())
          .dispatchDue(f.store(), later.plus(java.time.Duration.ofDays(3)), 50);
      assertThat(
              q.count(
                  "select count(*) from outbox where status = 'SENT' and plan_id = '"
                      + sarahPlan
                      + "'"))
          .isZero();
      assertThat(
              q.strings(
                  "select status || ' ' || last_error from outbox where plan_id = '"
                      + sarahPlan
                      + "'"))
          .containsExactly("WITHHELD withheld at send: the plan is ended now");
      // "Continue the plan as it is" answers the question that paused Ana's messages.
      assertThat(q.strings("select status from outbox where plan_id = '" + anaPlan + "'"))
          .containsExactly("SENT");
      assertThat(sms.delivered.get()).isEqualTo(1);
    }
  }

  /**
   * Two patients of the default practice who texted a question, each with an open case; a
   * coordinator and a provider there, and a provider of another practice.
   */
  record Fixture(
      org.careloop.app.Store store,
      org.careloop.app.engine.Engine engine,
      Workspace ws,
      org.careloop.app.Person cora,
      org.careloop.app.Person drm,
      org.careloop.app.Person drx,
      long sarah,
      long ana) {
    static Fixture of(org.careloop.adapters.jdbc.Database db) throws Exception {
      var store = TestDatabases.storeWithTwoPractices(db);
      DispatcherTest.importRow(store, "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-03-05");
      DispatcherTest.importRow(store, "MRN2,Ana Diaz,617-555-0102,,Dr. M,imaging,,2026-03-05");
      var engine = new org.careloop.app.engine.Engine(Shipped.protocols());
      var replies =
          new org.careloop.app.messaging.Replies(
              store, engine, "default", org.careloop.app.SlotSource.NONE);
      replies.smsReceived("+16175550101", "Is the lab fasting?", "SM-1", T0);
      replies.smsReceived("+16175550102", "Is the scan needed?", "SM-2", T0);
      var ws = new Workspace(store, new ReadModel(db.dataSource(), TestDatabases.CIPHER), engine);
      var admin = new org.careloop.app.admin.Administration(store);
      var cora = WorkspaceTest.user("cora", "default", "Cora", "coordinator");
      var drm = WorkspaceTest.user("drm", "default", "Dr. M", "provider");
      var drx = WorkspaceTest.user("drx", "lakeside", "Dr. X", "provider");
      admin.savePerson(cora, T0);
      admin.savePerson(drm, T0);
      admin.savePerson(drx, T0);
      var items = ws.worklist("default", WorkItem.Filter.NONE, T0);
      return new Fixture(
          store, engine, ws, cora, drm, drx, taskOf(items, "Sarah Lee"), taskOf(items, "Ana Diaz"));
    }
  }

  static long taskOf(java.util.List<WorkItem> items, String patient) {
    return items.stream()
        .filter(i -> i.patient().equals(patient))
        .findFirst()
        .orElseThrow()
        .taskId();
  }
}
