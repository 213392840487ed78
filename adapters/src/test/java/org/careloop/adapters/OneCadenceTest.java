package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.careloop.adapters.fhir.FhirReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Failure 11 of issue 13: three orders from one visit gave three intakes and three check-in
 * cadences (10 texts in 22 days). Plans of one patient started by one visit share one intake, which
 * names every next step, and one check-in cadence, led by the step due first.
 */
class OneCadenceTest {
  /** Monday 2 March 2026, 10:00 in New York. */
  static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");

  static final FhirReader US = new FhirReader("default", ZoneId.of("America/New_York"), "US");

  static String order(String id, String text, String snomedCategory, String date) {
    return """
    {"resource":{"resourceType":"ServiceRequest","id":"%s","status":"active","intent":"order",
     "subject":{"reference":"Patient/p1"},"encounter":{"reference":"Encounter/e1"},
     "authoredOn":"2026-03-02","code":{"text":"%s"},
     "category":[{"coding":[{"system":"http://snomed.info/sct","code":"%s"}]}],
     "occurrenceDateTime":"%s"}}
    """
        .formatted(id, text, snomedCategory, date);
  }

  /**
   * One visit's orders, as a collection Bundle: a lab in 2 weeks, a referral in 4, imaging in 6.
   */
  static final String VISIT =
      """
      {"resourceType":"Bundle","type":"collection","entry":[
       {"resource":{"resourceType":"Patient","id":"p1",
        "name":[{"given":["Rosa"],"family":"Quintana"}],
        "telecom":[{"system":"phone","value":"617-555-0177","use":"mobile"},
                   {"system":"email","value":"rosa@example.org"}]}},
      """
          + order("lab", "Lipid panel", "108252007", "2026-03-16")
          + ","
          + order("ref", "Cardiology referral", "3457005", "2026-03-30")
          + ","
          + order("img", "Echocardiogram", "363679005", "2026-04-13")
          + "]}";

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void threeOrdersOfOneVisit_sendOneIntakeNamingThemAll_andOneCheckInCadence(String kind)
      throws Exception {
    var f = SyntheaFollowUpTest.fixture(kind);
    try (var db = f.db()) {
      var result = f.importer().importBatch(US.read(VISIT, "visit.json"), T0);
      assertThat(result.plansCreated()).isEqualTo(3);
      f.runner().advance(T0, T0.plus(Duration.ofDays(24)), t -> {});

      var q = new Queries(db.dataSource());
      // Every message the patient was sent in the first 24 days: (day, template, steps named).
      var sent =
          q.strings(
              "select o.template || ' ' || o.step_kind || ' ' || o.channel from outbox o"
                  + " where o.kind = 'MESSAGE' order by o.created_at, o.id");
      assertThat(sent)
          .containsExactly(
              // One intake, from the plan due first, naming all three steps.
              "INTAKE LAB,REFERRAL,IMAGING SMS",
              // The lab leads the check-ins while it is still to book...
              "CHECK_IN LAB,REFERRAL,IMAGING SMS",
              "CHECK_IN LAB,REFERRAL,IMAGING EMAIL",
              // ... its own care-gap tier once it is past due ...
              "CARE_GAP LAB SMS",
              // ... and then the referral leads, naming what is still to book.
              "CHECK_IN REFERRAL,IMAGING SMS");
      // The other plans skipped their intake and the check-ins the leading plan sent.
      assertThat(q.strings("select detail from timeline_entry where kind = 'skipped'"))
          .filteredOn(d -> d.startsWith("intake: one message for the steps started together"))
          .hasSize(2);
    }
  }
}
