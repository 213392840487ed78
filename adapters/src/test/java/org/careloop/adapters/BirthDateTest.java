package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import org.careloop.adapters.csv.WeeklyExportReader;
import org.careloop.adapters.fhir.FhirReader;
import org.careloop.app.InputRejected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A patient's date of birth, read from each shape a source sends it in (FHIR {@code birthDate}, a
 * weekly export's dob column, Synthea's BIRTHDATE), refused with its line and column when it is not
 * one, and kept encrypted: a later feed without it does not erase it.
 */
class BirthDateTest {
  static final Instant NOW = Instant.parse("2026-12-01T15:00:00Z");
  static final ZoneId NY = ZoneId.of("America/New_York");
  static final WeeklyExportReader CSV = new WeeklyExportReader("default", NY, "US");
  static final String HEADER = "patient_id,name,phone,provider,follow_up_type,due_date,dob\n";

  static Optional<LocalDate> csvBirthDate(String dob) {
    return CSV.read(
            HEADER + "MRN1,Ana Diaz,617-555-0101,Dr. M,lab,2027-01-10," + dob + "\n", "w.csv", NOW)
        .patients()
        .get(0)
        .birthDate();
  }

  @Test
  void aWeeklyExport_givesItInEitherWriting_orNotAtAll() {
    assertThat(csvBirthDate("1954-03-12")).contains(LocalDate.of(1954, 3, 12));
    assertThat(csvBirthDate("3/12/1954")).contains(LocalDate.of(1954, 3, 12));
    assertThat(csvBirthDate("")).isEmpty();
    var header = "patient_id,name,phone,provider,follow_up_type,due_date,Date_Of_Birth\n";
    assertThat(
            CSV.read(
                    header + "MRN1,Ana Diaz,617-555-0101,Dr. M,lab,2027-01-10,1960-07-04\n",
                    "w.csv",
                    NOW)
                .patients()
                .get(0)
                .birthDate())
        .contains(LocalDate.of(1960, 7, 4));
  }

  @Test
  void aDateOfBirthThatIsNotOne_isRefusedWithItsLineAndColumn() {
    assertThatThrownBy(() -> csvBirthDate("March 1954"))
        .isInstanceOf(InputRejected.class)
        .hasMessage("w.csv:2, column dob: 'March 1954' is not a date (use YYYY-MM-DD)");
    assertThatThrownBy(() -> csvBirthDate("3/12/54"))
        .isInstanceOf(InputRejected.class)
        .hasMessage(
            "w.csv:2, column dob: '3/12/54' has a two-digit year; a date of birth needs all four");
    assertThatThrownBy(() -> csvBirthDate("2026-12-02"))
        .isInstanceOf(InputRejected.class)
        .hasMessage("w.csv:2, column dob: '2026-12-02' is a date of birth still to come");
  }

  @Test
  void fhir_readsAWholeBirthDate_andLeavesAYearAloneOut() throws Exception {
    var fhir = new FhirReader("default", NY, "US");
    var robby =
        SyntheaFollowUpTest.DATA.resolve(
            "fhir/synthea/Robby_Becker_69097ac3-9a4c-463b-89f6-72a392f437b4.json");
    assertThat(fhir.read(Files.readString(robby), "robby.json").patients())
        .singleElement()
        .satisfies(p -> assertThat(p.birthDate()).contains(LocalDate.of(1974, 2, 14)));
    String yearOnly =
        """
        {"resourceType": "Bundle", "type": "collection", "entry": [
          {"fullUrl": "urn:uuid:p1", "resource": {"resourceType": "Patient", "id": "p1",
            "name": [{"given": ["Ana"], "family": "Diaz"}], "birthDate": "1954"}},
          {"fullUrl": "urn:uuid:e1", "resource": {"resourceType": "Encounter", "id": "e1",
            "status": "finished", "class": {"code": "AMB"}, "subject": {"reference": "Patient/p1"},
            "period": {"start": "2026-11-30T14:00:00Z", "end": "2026-11-30T14:30:00Z"}}}]}
        """;
    assertThat(fhir.read(yearOnly, "year.json").patients())
        .singleElement()
        .satisfies(p -> assertThat(p.birthDate()).isEmpty());
  }

  @Test
  void synthea_readsBirthdate() throws Exception {
    var reader = new org.careloop.adapters.csv.SyntheaExportReader("default", NY);
    var batch =
        reader.read(
            SyntheaExportReaderTest.PLANS_HEADER
                + "c1,2020-01-01,,p1,e1,1,Physical therapy procedure,,\n",
            "careplans.csv",
            SyntheaExportReaderTest.PATIENTS,
            "patients.csv");
    assertThat(batch.patients())
        .singleElement()
        .satisfies(p -> assertThat(p.birthDate()).contains(LocalDate.of(1950, 1, 1)));
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void stored_encrypted_andKeptWhenALaterFeedHasNone(String kind) throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var with =
          CSV.read(
                  HEADER + "MRN1,Ana Diaz,617-555-0101,Dr. M,lab,2027-01-10,1954-03-12\n",
                  "a.csv",
                  NOW)
              .patients()
              .get(0);
      String id = store.inTransaction(tx -> tx.upsertPatient(with));
      var q = new Queries(db.dataSource());
      assertThat(q.strings("select birth_date from patient"))
          .singleElement()
          .satisfies(v -> assertThat(v).startsWith("enc1:").doesNotContain("1954"));
      store.inTransaction(tx -> tx.upsertPatient(with.withBirthDate(Optional.empty())));
      assertThat(store.inTransaction(tx -> tx.patient(id)).orElseThrow().birthDate())
          .contains(LocalDate.of(1954, 3, 12));
      store.inTransaction(
          tx -> tx.upsertPatient(with.withBirthDate(Optional.of(LocalDate.of(1954, 3, 21)))));
      assertThat(store.inTransaction(tx -> tx.patient(id)).orElseThrow().birthDate())
          .contains(LocalDate.of(1954, 3, 21));
    }
  }
}
