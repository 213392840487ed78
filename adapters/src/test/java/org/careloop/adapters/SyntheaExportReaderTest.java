package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import org.careloop.adapters.csv.SyntheaExportReader;
import org.careloop.app.InputRejected;
import org.junit.jupiter.api.Test;

class SyntheaExportReaderTest {
  static final SyntheaExportReader READER =
      new SyntheaExportReader("default", ZoneId.of("America/New_York"));
  static final String PATIENTS =
      "Id,BIRTHDATE,DEATHDATE,FIRST,LAST\np1,1950-01-01,,Maynard46,Mosciski958\np2,1940-01-01,2020-05-01,Ida12,Gone34\n";
  static final String PLANS_HEADER =
      "Id,START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION,REASONCODE,REASONDESCRIPTION\n";

  @Test
  void activePlansOfLivingPatients_areFollowed_namesWithoutSyntheaDigits() {
    var batch =
        READER.read(
            PLANS_HEADER
                + "c1,2020-01-01,,p1,e1,1,Physical therapy procedure,,\nc2,2020-01-01,,p2,e2,2,Diabetes self management plan,,\n",
            "careplans.csv",
            PATIENTS,
            "patients.csv");
    assertThat(batch.plans()).hasSize(1);
    assertThat(batch.patients())
        .singleElement()
        .satisfies(p -> {
          assertThat(p.firstName()).isEqualTo("Maynard");
          assertThat(p.lastName()).isEqualTo("Mosciski");
        });
    assertThat(batch.warnings())
        .containsExactly("careplans.csv:3: patient died 2020-05-01; plan not followed up");
  }

  @Test
  void unknownPatientOrBadDate_isRejectedWithLineAndColumn() {
    assertThatThrownBy(() ->
            READER.read(
                PLANS_HEADER + "c1,2020-01-01,,p9,e1,1,x,,\n",
                "careplans.csv",
                PATIENTS,
                "patients.csv"))
        .isInstanceOf(InputRejected.class)
        .hasMessage("careplans.csv:2, column PATIENT: 'p9' is not in patients.csv");
    assertThatThrownBy(() ->
            READER.read(
                PLANS_HEADER + "c1,01/02/2020,,p1,e1,1,x,,\n",
                "careplans.csv",
                PATIENTS,
                "patients.csv"))
        .isInstanceOf(InputRejected.class)
        .hasMessage("careplans.csv:2, column START: '01/02/2020' is not a date (YYYY-MM-DD)");
  }
}
