package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import org.apache.commons.csv.CSVFormat;
import org.careloop.adapters.csv.CsvExport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvExportTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "=HYPERLINK(\"http://evil.example\",\"click\")",
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\tLee",
        "\rLee"
      })
  void aTextCellStartingLikeAFormula_isWrittenAsText(String name) throws Exception {
    var out = new StringBuilder();
    var csv = new CsvExport(out, "patient", "days");
    csv.row(name, 12);
    csv.flush();
    var record =
        CSVFormat.DEFAULT
            .builder()
            .setHeader()
            .get()
            .parse(new StringReader(out.toString()))
            .getRecords()
            .get(0);
    assertThat(record.get("patient")).isEqualTo("'" + name);
    assertThat(record.get("days")).isEqualTo("12");
  }

  @Test
  void plainTextAndNegativeNumbers_areWrittenAsTheyAre() throws Exception {
    var out = new StringBuilder();
    var csv = new CsvExport(out, "patient", "days", "note");
    csv.row("Sarah Lee", -3, "O'Brien, lab");
    csv.flush();
    assertThat(out.toString()).isEqualTo("patient,days,note\r\nSarah Lee,-3,\"O'Brien, lab\"\r\n");
  }
}
