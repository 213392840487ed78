package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.careloop.adapters.csv.WeeklyExportReader;
import org.careloop.app.engine.Engine;
import org.careloop.app.intake.Importer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A weekly export bigger than one statement's parameters (PostgreSQL takes 32,767) imports whole,
 * in one transaction. bench/import measures 100,000 rows.
 */
class ImportSizeTest {
  static final Instant T0 = Instant.parse("2026-12-01T15:00:00Z");
  static final int ROWS = 33_000;

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void anExportOfMoreRowsThanAStatementTakesParameters_importsWhole(String kind) throws Exception {
    var csv = new StringBuilder("patient_id,first_name,last_name,phone,follow_up_type,due_date\n");
    for (int i = 0; i < ROWS; i++)
      csv.append("M")
          .append(i)
          .append(",Pat,Lee,617-555-")
          .append(String.format("%04d", i % 10000))
          .append(",lab,2027-03-01\n");
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var batch =
          new WeeklyExportReader("default", ZoneId.of("America/New_York"), "US")
              .read(csv.toString(), "big.csv", T0);
      var reported = new java.util.ArrayList<String>();
      var result =
          new Importer(store, new Engine(Shipped.protocols()), Shipped.DEFAULT)
              .importBatch(batch, T0, (what, done, total) -> reported.add(done + " " + what));
      assertThat(result.plansCreated()).isEqualTo(ROWS);
      assertThat(reported).contains("5000 patient(s)", "30000 patient(s)", "30000 plan(s)");
      assertThat(new Queries(db.dataSource()).count("select count(*) from plan")).isEqualTo(ROWS);
    }
  }
}
