package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.careloop.adapters.jdbc.ReadModel;
import org.careloop.app.InputRejected;
import org.careloop.app.WorkItem;
import org.careloop.app.casework.Workspace;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A message in a coordinator's own words, end to end: checked before it is queued, stored
 * encrypted, sent once under the messaging rules, signed with the practice's name and the STOP
 * line.
 */
class OwnWordsMessageTest {
  static final Instant T0 = BadInputTest.NOW;

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void ownWords_areChecked_storedEncrypted_andSentSigned(String kind) throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.importRow(store, "MRN2,Ana Diaz,617-555-0102,,Dr. M,imaging,,2026-03-05");
      var engine = new org.careloop.app.engine.Engine(Shipped.protocols());
      new org.careloop.app.messaging.Replies(
              store, engine, "default", org.careloop.app.SlotSource.NONE)
          .smsReceived("+16175550102", "Can my daughter drive me?", "SM-1", T0);
      var ws = new Workspace(store, new ReadModel(db.dataSource(), TestDatabases.CIPHER), engine);
      var cora = WorkspaceTest.user("cora", "default", "Cora", "coordinator");
      new org.careloop.app.admin.Administration(store).savePerson(cora, T0);
      long ana =
          ProviderDecisionTest.taskOf(ws.worklist("default", WorkItem.Filter.NONE, T0), "Ana Diaz");
      var q = new Queries(db.dataSource());
      long queued = q.count("select count(*) from outbox");

      // Refused before anything is queued: what the visit is for, a night-time send.
      assertThatThrownBy(() -> ws.sendOwnWords(cora, ana, "SMS", "Your results are in", T0))
          .isInstanceOf(InputRejected.class)
          .hasMessageContaining("names a condition, a result or a treatment")
          .hasMessageContaining("not sent");
      assertThatThrownBy(() ->
              ws.sendOwnWords(
                  cora, ana, "SMS", "Yes, she can.", Instant.parse("2026-03-03T03:00:00Z")))
          .hasMessageStartingWith("outside the patient's allowed hours");
      assertThat(q.count("select count(*) from outbox")).isEqualTo(queued);

      String words = "Yes, your daughter can drive you. We kept Friday 10:00 for you.";
      ws.sendOwnWords(cora, ana, "SMS", words, T0);
      assertThat(q.strings("select template from outbox where idempotency_key like '%:oneoff:%'"))
          .containsExactly("OWN_WORDS");
      assertThat(q.count("select count(*) from outbox where body like '%daughter%'")).isZero();
      DispatcherTest.sandboxRunner(store, engine, T0).runDue(T0);
      assertThat(
              q.decrypted("select body from sandbox_message order by id", "sandbox_message.body"))
          .anySatisfy(b ->
              assertThat(b).startsWith(words + " - Riverside Family Medicine").contains("STOP"));
      // The case's thread shows it went, by which message, not its words again.
      assertThat(ws.open(cora, ana, T0).orElseThrow().texts())
          .anySatisfy(t -> assertThat(t.what()).isEqualTo("own words"));
    }
  }
}
