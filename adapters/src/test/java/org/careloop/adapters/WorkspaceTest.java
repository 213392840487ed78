package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.adapters.jdbc.ReadModel;
import org.careloop.app.Practice;
import org.careloop.app.casework.Workspace;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The workspace's rules: practice scope, owner and backup, and what closes a case. */
class WorkspaceTest {
  static final Instant T0 = BadInputTest.NOW;

  static org.careloop.app.Person user(String id, String practice, String name, String role) {
    return new org.careloop.app.Person(
        id, practice, id, name, "{noop}x", role, false, java.util.Optional.empty());
  }

  static org.careloop.app.CaseNote note(Optional<String> outcome, boolean complete) {
    return new org.careloop.app.CaseNote(
        T0,
        "",
        "",
        complete ? Optional.of("spoke to the patient") : Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        complete ? Optional.of("call back Friday") : Optional.empty(),
        Optional.empty(),
        false,
        outcome);
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void ownersBackupsAndClosing_followTheRules_withinOnePractice(String kind) throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      store.upsertPractice(
          new Practice(
              "other", "Other", java.time.ZoneId.of("UTC"), Optional.empty(), Optional.empty()));
      DispatcherTest.importRow(store, "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-04-01");
      // Her question becomes a case for a person.
      new org.careloop.app.messaging.Replies(
              store,
              new org.careloop.app.engine.Engine(Shipped.protocols()),
              "default",
              org.careloop.app.SlotSource.NONE)
          .smsReceived("+16175550101", "Which lab do I go to?", "SM-1", T0);
      var engine = new org.careloop.app.engine.Engine(Shipped.protocols());
      var ws = new Workspace(store, new ReadModel(db.dataSource(), TestDatabases.CIPHER), engine);
      var admin = new org.careloop.app.admin.Administration(store);
      var cora = user("cora", "default", "Cora", "coordinator");
      var nina = user("nina", "default", "Nina", "nurse");
      var lena = user("lena", "other", "Lena", "coordinator");
      for (var u : new org.careloop.app.Person[] {cora, nina, lena}) admin.savePerson(u, T0);
      var items = ws.worklist("default", org.careloop.app.WorkItem.Filter.NONE, T0);
      assertThat(items).hasSize(1);
      long task = items.get(0).taskId();
      assertThat(ws.worklist("other", org.careloop.app.WorkItem.Filter.NONE, T0)).isEmpty();
      assertThat(ws.open(lena, task, T0)).isEmpty();
      assertThatThrownBy(() -> ws.assign(lena, task, "lena", Optional.empty(), T0))
          .isInstanceOf(org.careloop.app.casework.Casework.NotYours.class);
      assertThatThrownBy(() -> ws.assign(cora, task, "lena", Optional.empty(), T0))
          .hasMessage("no owner 'lena' in this practice");

      ws.assign(cora, task, "cora", Optional.of("nina"), T0);
      assertThat(ws.worklist("default", org.careloop.app.WorkItem.Filter.NONE, T0).get(0).owner())
          .contains("Cora");
      // Cora is out: her case shows, and filters, under Nina.
      admin.setOut("cora", true);
      var nina_s =
          ws.worklist(
              "default",
              new org.careloop.app.WorkItem.Filter(
                  Optional.empty(), Optional.of("nina"), Optional.empty(), Optional.empty()),
              T0);
      assertThat(nina_s).singleElement().satisfies(i -> assertThat(i.owner()).contains("Nina"));
      admin.setOut("cora", false);

      assertThatThrownBy(() ->
              ws.document(
                  cora,
                  task,
                  note(Optional.of("left voicemail"), true),
                  Optional.of("completed"),
                  T0))
          .hasMessageContaining("does not complete a case");
      assertThatThrownBy(() ->
              ws.document(cora, task, note(Optional.empty(), false), Optional.of("declined"), T0))
          .hasMessage("closing needs the current status and the next promised action documented");
      // Over-long text is refused by its field's name, and nothing of the note is kept.
      var longStatus =
          new org.careloop.app.CaseNote(
              T0,
              "",
              "",
              Optional.of("s".repeat(61)),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              false,
              Optional.of("no answer"));
      assertThatThrownBy(() -> ws.document(cora, task, longStatus, Optional.empty(), T0))
          .hasMessage("case status: is 61 characters long; at most 60 are taken");
      assertThatThrownBy(() -> ws.escalate(cora, task, "nurse", "w".repeat(2001), T0))
          .hasMessageStartingWith("why: is 2001 characters long");
      ws.document(cora, task, note(Optional.of("no answer"), false), Optional.empty(), T0);
      assertThatThrownBy(() ->
              ws.document(
                  cora, task, note(Optional.of("no answer"), true), Optional.of("unreachable"), T0))
          .hasMessage("unreachable needs 3 documented failed attempts; this case has 2");
      ws.document(cora, task, note(Optional.of("left voicemail"), false), Optional.empty(), T0);
      ws.document(
          cora, task, note(Optional.of("wrong number"), true), Optional.of("unreachable"), T0);
      assertThat(ws.worklist("default", org.careloop.app.WorkItem.Filter.NONE, T0)).isEmpty();
      assertThat(ws.open(cora, task, T0).orElseThrow().closeReason()).contains("unreachable");
      assertThatThrownBy(
              () -> ws.document(cora, task, note(Optional.empty(), false), Optional.empty(), T0))
          .isInstanceOf(org.careloop.app.casework.Casework.NotYours.class)
          .hasMessage("case " + task + " is closed");

      var q = new Queries(db.dataSource());
      assertThat(
              q.strings(
                  "select actor || ' ' || action from audit_event where action like 'case.view%' order by id"))
          .containsExactly("lena case.view.refused", "cora case.view");
      // Free text the coordinator wrote is encrypted at rest.
      assertThat(q.strings("select next_action from task_note where next_action is not null"))
          .allMatch(v -> v.startsWith("enc1:"));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void casesGivenInBulk_allOrNone(String kind) throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var engine = new org.careloop.app.engine.Engine(Shipped.protocols());
      var replies =
          new org.careloop.app.messaging.Replies(
              store, engine, "default", org.careloop.app.SlotSource.NONE);
      DispatcherTest.importRow(store, "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-04-01");
      DispatcherTest.importRow(store, "MRN2,Ana Diaz,617-555-0102,,Dr. M,lab,,2026-04-01");
      replies.smsReceived("+16175550101", "Which lab do I go to?", "SM-1", T0);
      replies.smsReceived("+16175550102", "Is it fasting?", "SM-2", T0);
      var ws = new Workspace(store, new ReadModel(db.dataSource(), TestDatabases.CIPHER), engine);
      var admin = new org.careloop.app.admin.Administration(store);
      var cora = user("cora", "default", "Cora", "coordinator");
      var nina = user("nina", "default", "Nina", "nurse");
      for (var u : new org.careloop.app.Person[] {cora, nina}) admin.savePerson(u, T0);
      var ids =
          ws.worklist("default", org.careloop.app.WorkItem.Filter.NONE, T0).stream()
              .map(org.careloop.app.WorkItem::taskId)
              .toList();
      assertThat(ids).hasSize(2);
      // One case that is not the practice's: nothing changes, not even the first.
      assertThatThrownBy(() -> ws.assignAll(cora, List.of(ids.get(0), 999_999L), "nina", T0))
          .isInstanceOf(org.careloop.app.casework.Casework.NotYours.class);
      assertThat(ws.worklist("default", org.careloop.app.WorkItem.Filter.NONE, T0))
          .allMatch(i -> i.owner().isEmpty());
      assertThat(ws.assignAll(cora, List.of(ids.get(1), ids.get(0), ids.get(1)), "nina", T0))
          .isEqualTo(2);
      assertThat(ws.worklist("default", org.careloop.app.WorkItem.Filter.NONE, T0))
          .extracting(i -> i.owner().orElse("-"))
          .containsExactly("Nina", "Nina");
      assertThat(
              new Queries(db.dataSource())
                  .count("select count(*) from audit_event where action = 'case.assign'"))
          .isEqualTo(2);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aCallThatDidNotReachThePatient_makesTheCaseDueAtTheNextAttempt_notOverdue(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.importRow(store, "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-04-01");
      var engine = new org.careloop.app.engine.Engine(Shipped.protocols());
      new org.careloop.app.messaging.Replies(
              store, engine, "default", org.careloop.app.SlotSource.NONE)
          .smsReceived("+16175550101", "Which lab do I go to?", "SM-1", T0);
      var ws = new Workspace(store, new ReadModel(db.dataSource(), TestDatabases.CIPHER), engine);
      var cora = user("cora", "default", "Cora", "coordinator");
      new org.careloop.app.admin.Administration(store).savePerson(cora, T0);
      var item = ws.worklist("default", org.careloop.app.WorkItem.Filter.NONE, T0).get(0);
      long task = item.taskId();
      // Monday 10:00 in New York: the reply case is due by Tuesday's close (next business day).
      assertThat(item.priority()).isEqualTo("HIGH");
      assertThat(item.respondBy()).isEqualTo(Instant.parse("2026-03-03T22:00:00Z"));
      java.util.function.Supplier<Instant> due =
          () ->
              ws.worklist("default", org.careloop.app.WorkItem.Filter.NONE, T0).get(0).respondBy();

      // Tuesday 16:00: no answer. The next attempt is due by Wednesday's close, not overdue.
      var tuesday = Instant.parse("2026-03-03T21:00:00Z");
      ws.document(cora, task, note(Optional.of("no answer"), false), Optional.empty(), tuesday);
      assertThat(due.get()).isEqualTo(Instant.parse("2026-03-04T22:00:00Z"));
      // Asked to call back on Saturday: due by the close of the business day before it, Friday.
      var callBack =
          new org.careloop.app.CaseNote(
              tuesday,
              "",
              "",
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.of("call back"),
              Optional.of(java.time.LocalDate.parse("2026-03-07")),
              false,
              Optional.of("asked to call back"));
      ws.document(cora, task, callBack, Optional.empty(), tuesday.plusSeconds(60));
      assertThat(due.get()).isEqualTo(Instant.parse("2026-03-06T22:00:00Z"));
      // A wrong number is not an attempt to repeat: the case stays due when it was.
      ws.document(
          cora,
          task,
          note(Optional.of("wrong number"), false),
          Optional.empty(),
          tuesday.plusSeconds(120));
      assertThat(due.get()).isEqualTo(Instant.parse("2026-03-06T22:00:00Z"));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aBookingStopsTheSequence_escalationReachesTheProviderQueue_andGapsCanBeTakenUp(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.importRow(store, "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-03-05");
      DispatcherTest.importRow(store, "MRN2,Ana Diaz,617-555-0102,,Dr. M,imaging,,2026-03-05");
      DispatcherTest.importRow(store, "MRN3,Li Wei,617-555-0103,,Dr. M,lab,,2026-03-05");
      var engine = new org.careloop.app.engine.Engine(Shipped.protocols());
      var replies =
          new org.careloop.app.messaging.Replies(
              store, engine, "default", org.careloop.app.SlotSource.NONE);
      replies.smsReceived("+16175550101", "Can I come Friday?", "SM-1", T0);
      replies.smsReceived("+16175550102", "Is the scan needed?", "SM-2", T0);
      var ws = new Workspace(store, new ReadModel(db.dataSource(), TestDatabases.CIPHER), engine);
      var admin = new org.careloop.app.admin.Administration(store);
      var cora = user("cora", "default", "Cora", "coordinator");
      var drm = user("drm", "default", "Dr. M", "provider");
      admin.savePerson(cora, T0);
      admin.savePerson(drm, T0);
      var items = ws.worklist("default", org.careloop.app.WorkItem.Filter.NONE, T0);
      long sarah =
          items.stream()
              .filter(i -> i.patient().equals("Sarah Lee"))
              .findFirst()
              .orElseThrow()
              .taskId();
      long ana =
          items.stream()
              .filter(i -> i.patient().equals("Ana Diaz"))
              .findFirst()
              .orElseThrow()
              .taskId();

      // Claimed with no backup named: a colleague in the lane's backup role covers.
      admin.savePerson(user("carl", "default", "Carl", "coordinator"), T0);
      ws.assign(cora, sarah, "cora", Optional.empty(), T0);
      var q0 = new Queries(db.dataSource());
      assertThat(
              q0.strings(
                  "select t.backup_role || ' ' || b.username from task t join app_user b on b.id = t.backup_user where t.id = "
                      + sarah))
          .containsExactly("coordinator carl");
      // A new case is owned at once: the least loaded person in the lane's owner role, with a
      // backup in its backup role.
      admin.savePerson(user("nora", "default", "Nora", "nurse"), T0);
      replies.smsReceived("+16175550103", "Do I need to fast?", "SM-4", T0.plusSeconds(60));
      assertThat(
              q0.matching(
                  "select t.lane || ' ' || o.username || ' ' || b.username, t.title from task t join app_user o on o.id = t.owner_user"
                      + " join app_user b on b.id = t.backup_user where t.id > "
                      + ana,
                  "Patient replied: read and answer"))
          .containsExactly("MONITORING nora carl");
      // Sarah writes again while her reply case is open: the open case takes the newer words,
      // with no twin beside it.
      long before = q0.count("select count(*) from task");
      replies.smsReceived("+16175550101", "Also, can my husband come?", "SM-5", T0.plusSeconds(90));
      assertThat(q0.count("select count(*) from task")).isEqualTo(before);
      assertThat(q0.decrypted("select detail from task where id = " + sarah, "task.detail"))
          .singleElement()
          .asString()
          .contains("Also, can my husband come?");
      // A booking in the past (a typo's year) is refused, and changes nothing.
      assertThatThrownBy(
              () -> ws.recordBooking(cora, sarah, Instant.parse("2024-03-06T14:00:00Z"), T0))
          .isInstanceOf(org.careloop.app.InputRejected.class)
          .hasMessageContaining("in the past");
      assertThat(
              ws.open(cora, sarah, T0)
                  .orElseThrow()
                  .plan()
                  .state()
                  .current()
                  .orElseThrow()
                  .status())
          .isNotEqualTo(org.careloop.core.MilestoneStatus.SCHEDULED);
      ws.recordBooking(cora, sarah, Instant.parse("2026-03-06T14:00:00Z"), T0);
      var q = new Queries(db.dataSource());
      assertThat(q.strings("select detail from timeline_entry where kind = 'event' order by id"))
          .anyMatch(t -> t.startsWith("appointment manual:" + sarah + ":"));
      var sarahPlan = ws.open(cora, sarah, T0).orElseThrow().plan().state();
      assertThat(sarahPlan.current().orElseThrow().status())
          .isEqualTo(org.careloop.core.MilestoneStatus.SCHEDULED);

      // A one-off message: inside the patient's hours it is queued; at night, or after STOP, not.
      ws.sendMessage(cora, ana, "SMS", "CHECK_IN", T0);
      assertThat(
              q.strings(
                  "select template || ' ' || channel from outbox where idempotency_key like '%:oneoff:%'"))
          .containsExactly("CHECK_IN SMS");
      // Three a day from staff, all together: a fourth waits a day after the first.
      ws.sendMessage(cora, ana, "SMS", "CHECK_IN", T0.plusSeconds(60));
      ws.sendOwnWords(cora, ana, "SMS", "Hi Ana, just checking in.", T0.plusSeconds(120));
      assertThatThrownBy(() -> ws.sendMessage(cora, ana, "SMS", "CHECK_IN", T0.plusSeconds(180)))
          .hasMessage(
              "3 messages from staff went to the patient in the last 24 hours: not sent; the next"
                  + " can go from 2026-03-03T10:00");
      assertThat(q.count("select count(*) from outbox where idempotency_key like '%:oneoff:%'"))
          .isEqualTo(3);
      // On a practice holiday the outbox would hold it, so the person is told now.
      var holiday = java.util.List.of(java.time.LocalDate.parse("2026-03-02"));
      admin.holidays("ada", "default", holiday, true, T0);
      assertThatThrownBy(() -> ws.sendMessage(cora, ana, "SMS", "REMINDER", T0))
          .hasMessage("a practice holiday (2026-03-02): not sent; it can go from the next day");
      admin.holidays("ada", "default", holiday, false, T0);
      assertThatThrownBy(() ->
              ws.sendMessage(cora, ana, "SMS", "CHECK_IN", Instant.parse("2026-03-03T03:00:00Z")))
          .hasMessage(
              "outside the patient's allowed hours: not sent; it can go from 2026-03-03T08:00");
      replies.smsReceived("+16175550102", "STOP", "SM-3", T0);
      assertThatThrownBy(() -> ws.sendMessage(cora, ana, "SMS", "REMINDER", T0))
          .hasMessage("the patient opted out of SMS: not sent");
      assertThatThrownBy(() -> ws.sendMessage(cora, ana, "EMAIL", "REMINDER", T0))
          .hasMessage("no usable EMAIL on file for the patient: not sent");
      assertThatThrownBy(() -> ws.escalate(cora, ana, "janitor", "x", T0))
          .hasMessageContaining("escalate to one of");
      ws.escalate(cora, ana, "provider", "asks whether the scan is needed", T0);
      assertThat(ws.reviewQueue(drm, T0).cases())
          .extracting(org.careloop.app.WorkItem::taskId)
          .containsExactly(ana);

      // Twenty days later Sarah's step (due 03-05, never kept) is 15-30 days into a care gap.
      Instant later = Instant.parse("2026-03-25T15:00:00Z");
      var review = ws.reviewQueue(drm, later);
      assertThat(review.gaps())
          .extracting(org.careloop.app.Reads.GapRow::patient)
          .contains("Ana Diaz");
      long taken = ws.reviewGap(drm, review.gaps().get(0).planId(), later);
      assertThat(ws.reviewGap(drm, review.gaps().get(0).planId(), later)).isEqualTo(taken);
      assertThat(q.strings("select lane || ' ' || owner_role from task where id = " + taken))
          .containsExactly("PROVIDER_REVIEW provider");
      assertThat(q.strings("select action from audit_event where actor = 'drm' order by id"))
          .contains("review.view", "review.take");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aOneOffMessage_keepsTheAllowedHoursOfThePlansOwnProtocol(String kind) throws Exception {
    // The practice's program narrows the hours to 10:00-16:00; 16:30 is inside the default
    // 08:00-21:00 but outside the program's own hours.
    String text =
        ProtocolFileTest.shipped("treatment-plan-follow-up.v1.yaml")
            .replace(
                "allowed-hours: {from: \"08:00\", to: \"21:00\"}",
                "allowed-hours: {from: \"10:00\", to: \"16:00\"}");
    var narrowed =
        org.careloop.adapters.protocol.ProtocolFile.read("narrow.yaml", text)
            .protocol()
            .orElseThrow();
    assertThat(narrowed.allowedHours().from()).isEqualTo(java.time.LocalTime.of(10, 0));
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var engine =
          new org.careloop.app.engine.Engine(
              new org.careloop.app.Protocols(java.util.List.of(narrowed)));
      DispatcherTest.importRow(
          store, engine, "MRN2,Ana Diaz,617-555-0102,,Dr. M,imaging,,2026-03-05");
      new org.careloop.app.messaging.Replies(
              store, engine, "default", org.careloop.app.SlotSource.NONE)
          .smsReceived("+16175550102", "Is the scan needed?", "SM-2", T0);
      var ws = new Workspace(store, new ReadModel(db.dataSource(), TestDatabases.CIPHER), engine);
      var admin = new org.careloop.app.admin.Administration(store);
      var cora = user("cora", "default", "Cora", "coordinator");
      admin.savePerson(cora, T0);
      long ana = ws.worklist("default", org.careloop.app.WorkItem.Filter.NONE, T0).get(0).taskId();
      ws.assign(cora, ana, "cora", Optional.empty(), T0);

      // 16:30 in Boston on 3 March.
      assertThatThrownBy(() ->
              ws.sendMessage(cora, ana, "SMS", "CHECK_IN", Instant.parse("2026-03-03T21:30:00Z")))
          .hasMessage(
              "outside the patient's allowed hours: not sent; it can go from 2026-03-04T10:00");
      // 11:00 in Boston: inside both.
      ws.sendMessage(cora, ana, "SMS", "CHECK_IN", Instant.parse("2026-03-03T16:00:00Z"));
      assertThat(
              new Queries(db.dataSource())
                  .strings(
                      "select template || ' ' || channel from outbox where idempotency_key like '%:oneoff:%'"))
          .containsExactly("CHECK_IN SMS");
    }
  }
}
