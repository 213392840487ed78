package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.careloop.adapters.csv.WeeklyExportReader;
import org.careloop.app.engine.Engine;
import org.careloop.app.intake.Importer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A patient whose export says Spanish is texted and emailed in Spanish; others in English. Only a
 * language careloop does not write flags the plan for an interpreter.
 */
class SpanishPatientTest {
  static final Instant T0 = DispatcherTest.T0;

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void theLanguageOfTheExport_choosesTheWordsOfEveryMessage(String kind) throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var engine = new Engine(Shipped.protocols());
      var reader = new WeeklyExportReader("default", java.time.ZoneId.of("America/New_York"), "US");
      new Importer(store, engine, Shipped.DEFAULT)
          .importBatch(
              reader.read(
                  "patient_id,name,phone,email,provider,follow_up_type,due_date,language\n"
                      + "MRN1,Ana Diaz,617-555-0101,ana@example.org,Dr. M,lab,2026-04-01,Spanish\n"
                      + "MRN2,Ben Cole,617-555-0102,ben@example.org,Dr. M,lab,2026-04-01,English\n"
                      + "MRN3,Lan Vo,617-555-0103,lan@example.org,Dr. M,lab,2026-04-01,vi\n",
                  "x.csv",
                  T0),
              T0);
      DispatcherTest.sandboxRunner(store, engine, T0)
          .advance(T0, T0.plus(Duration.ofDays(8)), t -> {});
      var q = new Queries(db.dataSource());
      var texts =
          q.decrypted(
              "select body from sandbox_message where channel = 'SMS'", "sandbox_message.body");
      assertThat(texts.stream().filter(b -> b.contains("Ana")))
          .isNotEmpty()
          .allMatch(b -> b.startsWith("Hola Ana, Riverside Family Medicine:"))
          .allMatch(b -> b.endsWith("Baja: responda STOP."));
      assertThat(texts.stream().filter(b -> b.contains("Ben")))
          .isNotEmpty()
          .allMatch(b -> b.startsWith("Hi Ben") && b.endsWith("Reply STOP to opt out."));
      // Spanish is written to, not a reason for an interpreter; Vietnamese is, so a person starts.
      assertThat(
              q.byPlanKey(
                  "select p.source_key, t.need from task t join plan p on p.id = t.plan_id"
                      + " where t.need = 'FLAGGED_START'",
                  2,
                  0))
          .containsExactly("csv:MRN3:lab FLAGGED_START");
      var emails =
          q.decrypted(
              "select body from sandbox_message where channel = 'EMAIL'", "sandbox_message.body");
      assertThat(emails.stream().filter(b -> b.contains("Ana")))
          .allMatch(
              b -> b.startsWith("Hola Ana") && b.contains("Para dejar de recibir estos correos"));
    }
  }
}
