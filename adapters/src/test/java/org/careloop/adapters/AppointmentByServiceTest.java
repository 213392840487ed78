package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careloop.adapters.PlanAssert.assertThatPlan;

import java.time.Instant;
import org.careloop.app.intake.Importer;
import org.careloop.core.MilestoneStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An Appointment sent on its own that names no order (no {@code basedOn}) but says what it is for
 * in its service category, service type, specialty or reason books the patient's open step of that
 * kind, not whichever plan comes first; one for a kind the patient has no open step of is not
 * guessed onto another.
 */
class AppointmentByServiceTest {
  static final Instant T0 = OneCadenceTest.T0;

  static final String VISIT =
      """
      {"resourceType":"Bundle","type":"collection","entry":[
       {"resource":{"resourceType":"Patient","id":"p1",
        "name":[{"given":["Rosa"],"family":"Quintana"}],
        "telecom":[{"system":"phone","value":"617-555-0177","use":"mobile"}]}},
      """
          + OneCadenceTest.order("lab", "Lipid panel", "108252007", "2026-03-16")
          + ","
          + OneCadenceTest.order("pt", "Knee rehabilitation", "91251008", "2026-03-23")
          + "]}";

  static String appointment(String id, String service) {
    return """
    {"resourceType":"Appointment","id":"%s","status":"booked",%s,
     "start":"2026-03-10T10:00:00-04:00","end":"2026-03-10T11:00:00-04:00",
     "participant":[{"actor":{"reference":"Patient/p1"},"status":"accepted"}]}
    """
        .formatted(id, service);
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void anAppointmentNamingNoOrder_booksTheStepItsServiceSays(String kind) throws Exception {
    var f = SyntheaFollowUpTest.fixture(kind);
    try (var db = f.db()) {
      f.importer().importBatch(OneCadenceTest.US.read(VISIT, "visit.json"), T0);
      String lab = Importer.planId("default", "fhir:ServiceRequest/lab");
      String pt = Importer.planId("default", "fhir:ServiceRequest/pt");

      // Its service type's words: physical therapy, though the lab is due first.
      f.importer()
          .importBatch(
              OneCadenceTest.US.read(
                  appointment("a1", "\"serviceType\":[{\"text\":\"Physical Therapy\"}]"),
                  "a1.json"),
              T0);
      assertThatPlan(db, pt).step("order").isScheduled().hasAppointment("fhir:Appointment/a1");
      assertThatPlan(db, lab).step("order").hasStatus(MilestoneStatus.PENDING);

      // A coded service category (SNOMED CT laboratory procedure): the lab.
      f.importer()
          .importBatch(
              OneCadenceTest.US.read(
                  appointment(
                      "a2",
                      "\"serviceCategory\":[{\"coding\":[{\"system\":\"http://snomed.info/sct\","
                          + "\"code\":\"108252007\"}]}]"),
                  "a2.json"),
              T0);
      assertThatPlan(db, lab).step("order").isScheduled().hasAppointment("fhir:Appointment/a2");

      // An MRI: the patient has no imaging step, so it is not put on another.
      var mri =
          f.importer()
              .importBatch(
                  OneCadenceTest.US.read(
                      appointment("a3", "\"reasonCode\":[{\"text\":\"MRI of the knee\"}]"),
                      "a3.json"),
                  T0);
      assertThat(mri.appointmentEvents()).isZero();
      assertThat(mri.notes())
          .singleElement()
          .asString()
          .startsWith("a3.json")
          .endsWith(
              ": its service says imaging scan, and the patient has no open step of that kind;"
                  + " appointment not tracked");
    }
  }
}
