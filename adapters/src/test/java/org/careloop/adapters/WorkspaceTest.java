package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.careloop.adapters.jdbc.ReadModel;
import org.careloop.adapters.jdbc.Workspace;
import org.careloop.app.Practice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The workspace's rules: practice scope, owner and backup, and what closes a case. */
class WorkspaceTest {
  static final Instant T0 = BadInputTest.NOW;

  static Workspace.User user(String id, String practice, String name, String role) {
    return new Workspace.User(id, practice, id, name, "{noop}x", role, false);
  }

  static Workspace.Note note(Optional<String> outcome, boolean complete) {
    return new Workspace.Note(
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
      new org.careloop.app.Replies(
              store,
              new org.careloop.app.Engine(org.careloop.app.Protocols.defaults()),
              "default",
              org.careloop.app.SlotSource.NONE)
          .smsReceived("+16175550101", "Which lab do I go to?", "SM-1", T0);
      var ws = new Workspace(store, new ReadModel(db.dataSource(), TestDatabases.CIPHER));
      var cora = user("cora", "default", "Cora", "coordinator");
      var nina = user("nina", "default", "Nina", "nurse");
      var lena = user("lena", "other", "Lena", "coordinator");
      for (var u : new Workspace.User[] {cora, nina, lena}) ws.saveUser(u, T0);
      var items = ws.worklist("default", Workspace.Filter.NONE, T0);
      assertThat(items).hasSize(1);
      long task = items.get(0).taskId();
      assertThat(ws.worklist("other", Workspace.Filter.NONE, T0)).isEmpty();
      assertThat(ws.open(lena, task, T0)).isEmpty();
      assertThatThrownBy(() -> ws.assign(lena, task, "lena", Optional.empty(), T0))
          .isInstanceOf(Workspace.NotYours.class);
      assertThatThrownBy(() -> ws.assign(cora, task, "lena", Optional.empty(), T0))
          .hasMessage("no owner 'lena' in this practice");

      ws.assign(cora, task, "cora", Optional.of("nina"), T0);
      assertThat(ws.worklist("default", Workspace.Filter.NONE, T0).get(0).owner()).contains("Cora");
      // Cora is out: her case shows, and filters, under Nina.
      ws.setOut("cora", true);
      var nina_s =
          ws.worklist(
              "default",
              new Workspace.Filter(
                  Optional.empty(), Optional.of("nina"), Optional.empty(), Optional.empty()),
              T0);
      assertThat(nina_s).singleElement().satisfies(i -> assertThat(i.owner()).contains("Nina"));
      ws.setOut("cora", false);

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
      ws.document(cora, task, note(Optional.of("no answer"), false), Optional.empty(), T0);
      assertThatThrownBy(() ->
              ws.document(
                  cora, task, note(Optional.of("no answer"), true), Optional.of("unreachable"), T0))
          .hasMessage("unreachable needs 3 documented failed attempts; this case has 2");
      ws.document(cora, task, note(Optional.of("left voicemail"), false), Optional.empty(), T0);
      ws.document(
          cora, task, note(Optional.of("wrong number"), true), Optional.of("unreachable"), T0);
      assertThat(ws.worklist("default", Workspace.Filter.NONE, T0)).isEmpty();
      assertThat(ws.open(cora, task, T0).orElseThrow().closeReason()).contains("unreachable");
      assertThatThrownBy(
              () -> ws.document(cora, task, note(Optional.empty(), false), Optional.empty(), T0))
          .isInstanceOf(Workspace.NotYours.class)
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
}
