package org.careloop.adapters.csv;

import java.io.IOException;
import java.io.StringReader;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.careloop.adapters.StepKinds;
import org.careloop.app.InputRejected;
import org.careloop.app.PatientRecord;
import org.careloop.app.intake.ImportBatch;
import org.careloop.core.OrderedStep;
import org.careloop.core.PlanFlags;
import org.careloop.core.StepKind;

/**
 * Reads a Synthea CSV export folder: {@code careplans.csv} (a plan with an empty STOP is still
 * active) joined to {@code patients.csv}. Synthea's CSV has no phone or email, so these patients
 * get phone-call tasks until contact points arrive from another source. Deceased patients are not
 * followed up.
 */
public final class SyntheaExportReader {
  private static final List<String> CAREPLAN_HEADER =
      List.of("Id", "START", "STOP", "PATIENT", "ENCOUNTER", "CODE", "DESCRIPTION");
  private static final List<String> PATIENT_HEADER =
      List.of("Id", "BIRTHDATE", "DEATHDATE", "FIRST", "LAST");

  private final String practiceId;
  private final ZoneId zone;

  public SyntheaExportReader(String practiceId, ZoneId zone) {
    this.practiceId = practiceId;
    this.zone = zone;
  }

  /** Whether a CSV header is Synthea's careplans.csv. */
  public static boolean isCarePlans(String text) {
    String first = text.lines().findFirst().orElse("").replace("\uFEFF", "");
    return List.of(first.split(",")).containsAll(CAREPLAN_HEADER);
  }

  public ImportBatch read(
      String carePlansCsv, String carePlansName, String patientsCsv, String patientsName) {
    var patients = new HashMap<String, PatientRecord>();
    var deceased = new HashMap<String, String>();
    for (var r : records(patientsCsv, patientsName, PATIENT_HEADER)) {
      String where = patientsName + ":" + (r.getRecordNumber() + 1);
      String id = nonEmpty(r, "Id", where);
      if (!r.get("DEATHDATE").isBlank()) deceased.put(id, r.get("DEATHDATE"));
      // Synthea appends digits to names ("Maynard46"); they are not part of the name.
      String first = nonEmpty(r, "FIRST", where).replaceAll("\\d+$", "");
      String last = r.get("LAST").replaceAll("\\d+$", "");
      patients.put(
          id,
          new PatientRecord(
              "synthea:patient:" + id,
              practiceId,
              first,
              last,
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              zone,
              Optional.empty(),
              WeeklyExportReader.parseDate(r.get("BIRTHDATE").trim())));
    }
    var plans = new ArrayList<ImportBatch.IncomingPlan>();
    var used = new HashMap<String, PatientRecord>();
    var warnings = new ArrayList<String>();
    for (var r : records(carePlansCsv, carePlansName, CAREPLAN_HEADER)) {
      String where = carePlansName + ":" + (r.getRecordNumber() + 1);
      String id = nonEmpty(r, "Id", where);
      String patient = nonEmpty(r, "PATIENT", where);
      var record = patients.get(patient);
      if (record == null)
        throw new InputRejected(
            where + ", column PATIENT", "'" + patient + "' is not in " + patientsName);
      LocalDate start = date(r, "START", where);
      boolean active = r.get("STOP").isBlank();
      if (!active) date(r, "STOP", where);
      if (active && deceased.containsKey(patient)) {
        warnings.add(where + ": patient died " + deceased.get(patient) + "; plan not followed up");
        continue;
      }
      String description = nonEmpty(r, "DESCRIPTION", where);
      String reason = r.isMapped("REASONDESCRIPTION") ? r.get("REASONDESCRIPTION") : "";
      StepKind kind = StepKinds.fromWords(description);
      var step =
          new OrderedStep(
              "plan",
              kind == StepKind.OTHER ? StepKind.VISIT : kind,
              description + (reason.isBlank() ? "" : " (for " + reason + ")"),
              Optional.empty(),
              Optional.empty(),
              Optional.empty());
      used.put(patient, record);
      plans.add(
          new ImportBatch.IncomingPlan(
              "synthea:careplan:" + id,
              record.sourceKey(),
              start.atTime(LocalTime.NOON).atZone(zone).toInstant(),
              List.of(step),
              PlanFlags.NONE,
              Optional.empty(),
              active,
              where));
    }
    return new ImportBatch(
        carePlansName, practiceId, List.copyOf(used.values()), plans, List.of(), warnings);
  }

  private static List<CSVRecord> records(String text, String name, List<String> required) {
    var format =
        CSVFormat.DEFAULT
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true)
            .get();
    try (var parser =
        CSVParser.parse(
            new StringReader(text.startsWith("\uFEFF") ? text.substring(1) : text), format)) {
      for (var column : required) {
        if (!parser.getHeaderMap().containsKey(column))
          throw new InputRejected(name + ":1", "missing column '" + column + "'");
      }
      return parser.getRecords();
    } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException e) {
      throw new InputRejected(name, "not valid CSV: " + e.getMessage(), e);
    }
  }

  private static String nonEmpty(CSVRecord r, String column, String where) {
    String v = r.isSet(column) ? r.get(column).trim() : "";
    if (v.isEmpty()) throw new InputRejected(where + ", column " + column, "is empty");
    return v;
  }

  private static LocalDate date(CSVRecord r, String column, String where) {
    String v = nonEmpty(r, column, where);
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new InputRejected(
          where + ", column " + column, "'" + v + "' is not a date (YYYY-MM-DD)");
    }
  }
}
