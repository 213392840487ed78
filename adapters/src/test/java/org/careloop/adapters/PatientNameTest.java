package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import org.careloop.adapters.fhir.FhirReader;
import org.careloop.app.InputRejected;
import org.careloop.app.PatientRecord;
import org.junit.jupiter.api.Test;

/**
 * The name careloop addresses a FHIR patient by, as EHRs list several names in any order: the
 * current official one, not a maiden or ended name that happens to come first; a name without a
 * given name is refused naming which.
 */
class PatientNameTest {
  static final FhirReader FHIR = new FhirReader("default", ZoneId.of("America/New_York"), "US");

  static PatientRecord read(String names) {
    String bundle =
        """
        {"resourceType": "Bundle", "type": "collection", "entry": [
          {"fullUrl": "urn:uuid:p1", "resource": {"resourceType": "Patient", "id": "p1",
           "name": %s}}]}
        """
            .formatted(names);
    return FHIR.read(bundle, "names.json").patients().get(0);
  }

  @Test
  void theCurrentOfficialName_winsOverAnOldOrMaidenNameListedFirst() {
    var p =
        read(
            """
            [{"use": "maiden", "family": "Miller", "given": ["Ann"]},
             {"use": "official", "family": "Okafor", "given": ["Ann"],
              "period": {"start": "1990-01-01", "end": "2019-06-01"}},
             {"use": "usual", "given": ["Annie"]},
             {"use": "official", "family": "Smith", "given": ["Ann", "Marie"]}]
            """);
    assertThat(p.firstName()).isEqualTo("Ann");
    assertThat(p.lastName()).isEqualTo("Smith");
  }

  @Test
  void aUsualName_whenNoOfficialOne_andAFamilyOnlyNameIsPassedOver() {
    var p =
        read(
            """
            [{"family": "Doe"}, {"use": "usual", "family": "Doe", "given": ["Jo"]}]
            """);
    assertThat(p.firstName()).isEqualTo("Jo");
    assertThat(p.lastName()).isEqualTo("Doe");
    // One name, the usual order: as before.
    assertThat(read("[{\"family\": \"Lee\", \"given\": [\"Kim\"]}]").firstName()).isEqualTo("Kim");
  }

  @Test
  void noGivenNameAnywhere_isRefusedNamingTheName() {
    assertThatThrownBy(
            () -> read("[{\"use\": \"old\", \"given\": [\"Al\"]}, {\"family\": \"Ng\"}]"))
        .isInstanceOf(InputRejected.class)
        .hasMessageContaining("name[1]")
        .hasMessageContaining("patient has no given name");
  }
}
