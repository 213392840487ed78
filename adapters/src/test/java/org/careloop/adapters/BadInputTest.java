package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneId;
import org.careloop.adapters.csv.WeeklyExportReader;
import org.careloop.app.InputRejected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad outside input is rejected whole, naming where; nothing already stored changes. */
class BadInputTest {
  static final Instant NOW = Instant.parse("2026-03-02T15:00:00Z");
  static final WeeklyExportReader CSV =
      new WeeklyExportReader("default", ZoneId.of("America/New_York"), "US");

  @ParameterizedTest
  @CsvSource({
    "not-json-csv-content.json, not valid FHIR R4 JSON",
    "observation-decimal-element-with-leading-plus.json, not valid FHIR R4 JSON",
    "organization-null-extensions.json, not valid FHIR R4 JSON"
  })
  void invalidFhir_isRejectedNamingTheFile(String file, String problem) throws Exception {
    String json = Files.readString(SyntheaFollowUpTest.DATA.resolve("fhir/invalid/" + file));
    assertThatThrownBy(() -> SyntheaFollowUpTest.READER.read(json, file))
        .isInstanceOf(InputRejected.class)
        .hasMessageStartingWith(file + ": " + problem);
  }

  @Test
  void carePlanWithUnknownPatient_isRejectedNamingTheResource() throws Exception {
    var f = SyntheaFollowUpTest.fixture("h2");
    try (var db = f.db()) {
      String json =
          Files.readString(
              SyntheaFollowUpTest.DATA.resolve("fhir/hl7-examples/careplan-example-GPVisit.json"));
      var batch = SyntheaFollowUpTest.READER.read(json, "gp.json");
      assertThatThrownBy(() -> f.importer().importBatch(batch, NOW))
          .isInstanceOf(InputRejected.class)
          .hasMessageContaining("gp.json: CarePlan (CarePlan/gpvisit)")
          .hasMessageContaining(
              "patient fhir:Patient/100 is neither in this input nor already known");
    }
  }

  @Test
  void bundleReferencingAMissingUrnUuid_isRejectedWithThePath() {
    String json =
        """
        {"resourceType":"Bundle","type":"transaction","entry":[
          {"fullUrl":"urn:uuid:11111111-1111-1111-1111-111111111111","resource":{"resourceType":"CarePlan","status":"active","intent":"order",
           "subject":{"reference":"urn:uuid:22222222-2222-2222-2222-222222222222"}},"request":{"method":"POST","url":"CarePlan"}}]}
        """;
    assertThatThrownBy(() -> SyntheaFollowUpTest.READER.read(json, "b.json"))
        .isInstanceOf(InputRejected.class)
        .hasMessage(
            "b.json: Bundle.entry[0].resource (CarePlan/11111111-1111-1111-1111-111111111111): subject points at urn:uuid:22222222-2222-2222-2222-222222222222, which is not in this bundle");
  }

  static final String HEADER =
      "patient_id,name,phone,email,provider,follow_up_type,preferred_window,due_date\n";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "MRN1,Sarah Lee,617-555-0101,s@example.com,Dr. M,lab,mornings,2026-13-01|x.csv:2, column due_date: '2026-13-01' is not a date (use YYYY-MM-DD)",
        "MRN1,Sarah Lee,call me,s@example.com,Dr. M,lab,mornings,2026-04-01|x.csv:2, column phone: 'call me' is not a phone number",
        "MRN1,Sarah Lee,617-555-0101,not-an-email,Dr. M,lab,mornings,2026-04-01|x.csv:2, column email: 'not-an-email' is not an email address",
        "MRN1,,617-555-0101,s@example.com,Dr. M,lab,mornings,2026-04-01|x.csv:2, column name: is empty"
      })
  void badCsvRow_isRejectedNamingLineAndColumn(String row, String message) {
    assertThatThrownBy(() -> CSV.read(HEADER + row + "\n", "x.csv", NOW))
        .isInstanceOf(InputRejected.class)
        .hasMessage(message);
  }

  @Test
  void csvMissingAColumn_isRejectedNamingTheHeader() {
    assertThatThrownBy(() -> CSV.read("name,phone\nSarah,6175550101\n", "y.csv", NOW))
        .isInstanceOf(InputRejected.class)
        .hasMessage("y.csv:1: missing column 'due_date'");
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aBadRowLate_inTheFile_storesNothingOfIt_andKeepsWhatWasThere(String kind) throws Exception {
    var f = SyntheaFollowUpTest.fixture(kind);
    try (var db = f.db()) {
      var q = new Queries(db.dataSource());
      f.importer()
          .importBatch(
              CSV.read(
                  HEADER + "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-04-01\n",
                  "first.csv",
                  NOW),
              NOW);
      assertThat(q.count("select count(*) from plan")).isEqualTo(1);
      // Line 3 is bad at the database level: a plan for a patient neither in the file nor known.
      var good =
          CSV.read(
              HEADER + "MRN2,Ana Diaz,617-555-0102,,Dr. M,referral,,2026-04-02\n",
              "second.csv",
              NOW);
      var bad =
          new org.careloop.app.intake.ImportBatch(
              "second.csv",
              "default",
              good.patients(),
              java.util.List.of(
                  good.plans().get(0),
                  new org.careloop.app.intake.ImportBatch.IncomingPlan(
                      "csv:x",
                      "csv:patient:nobody",
                      NOW,
                      good.plans().get(0).steps(),
                      org.careloop.core.PlanFlags.NONE,
                      java.util.Optional.empty(),
                      true,
                      "second.csv:3")),
              java.util.List.of(),
              java.util.List.of());
      assertThatThrownBy(() -> f.importer().importBatch(bad, NOW))
          .isInstanceOf(InputRejected.class)
          .hasMessageStartingWith("second.csv:3: ");
      assertThat(q.count("select count(*) from plan")).isEqualTo(1);
      assertThat(q.count("select count(*) from patient")).isEqualTo(1);
      assertThat(q.byPlanKey("select source_key from plan", 1)).containsExactly("csv:MRN1:lab");
    }
  }

  @Test
  void csvRowsImport_withNormalisedPhones_andReimportChangesNothing() throws Exception {
    var f = SyntheaFollowUpTest.fixture("h2");
    try (var db = f.db()) {
      String csv =
          HEADER
              + "MRN1,Sarah Lee,(617) 555-0101,sarah@example.com,Dr. Martinez,physical therapy,weekday mornings,2026-04-01\n"
              + "MRN2,Ana Diaz,617.555.0102,,Dr. Chen,referral,,4/2/2026\n";
      var first = f.importer().importBatch(CSV.read(csv, "w.csv", NOW), NOW);
      assertThat(first.plansCreated()).isEqualTo(2);
      var again = f.importer().importBatch(CSV.read(csv, "w.csv", NOW), NOW);
      assertThat(again.plansCreated()).isZero();
      assertThat(again.plansUnchanged()).isEqualTo(2);
      var q = new Queries(db.dataSource());
      assertThat(
              q.decrypted("select mobile from patient", "patient.mobile").stream()
                  .sorted()
                  .toList())
          .containsExactly("+16175550101", "+16175550102");
      assertThat(q.decrypted("select provider from plan", "plan.provider").stream().sorted())
          .containsExactly("Dr. Chen", "Dr. Martinez");
    }
  }
}
