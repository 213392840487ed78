package org.careloop.adapters.csv;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.careloop.adapters.StepKinds;
import org.careloop.adapters.contact.Phones;
import org.careloop.adapters.contact.UsStates;
import org.careloop.app.InputRejected;
import org.careloop.app.Limits;
import org.careloop.app.PatientRecord;
import org.careloop.app.intake.ImportBatch;
import org.careloop.app.messaging.Wording;
import org.careloop.core.Channel;
import org.careloop.core.OrderedStep;
import org.careloop.core.PlanEvent;
import org.careloop.core.PlanFlags;
import org.careloop.core.StepKind;

/**
 * Reads the weekly follow-up export: one row per follow-up with the patient's name, phone, email,
 * provider, follow-up type, preferred appointment window and due date. Column names are matched
 * without regard to case, spaces or underscores. Any bad row rejects the whole file, naming the
 * line and the column.
 */
public final class WeeklyExportReader {
  private static final List<DateTimeFormatter> DATES =
      List.of(
          DateTimeFormatter.ISO_LOCAL_DATE,
          DateTimeFormatter.ofPattern("M/d/yyyy"),
          DateTimeFormatter.ofPattern("M/d/yy"));

  private final String practiceId;
  private final ZoneId zone;
  private final String region;

  public WeeklyExportReader(String practiceId, ZoneId zone, String region) {
    this.practiceId = practiceId;
    this.zone = zone;
    this.region = region;
  }

  static String norm(String header) {
    return header.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }

  public ImportBatch read(String text, String source, Instant now) {
    try (Reader in = new StringReader(text.startsWith("\uFEFF") ? text.substring(1) : text)) {
      return read(in, source, now);
    } catch (IOException e) {
      throw new InputRejected(source, "cannot read: " + e.getMessage(), e);
    }
  }

  private ImportBatch read(Reader in, String source, Instant now) throws IOException {
    var format =
        CSVFormat.DEFAULT
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setTrim(true)
            .setIgnoreEmptyLines(true)
            .get();
    CSVParser parser;
    try {
      parser = CSVParser.parse(in, format);
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      throw new InputRejected(source + ":1", "header is not valid CSV: " + e.getMessage(), e);
    }
    try (parser) {
      var columns = new HashMap<String, String>();
      for (var h : parser.getHeaderNames()) columns.put(norm(h), h);
      // A presented-treatment-plan export (dental) has these instead of due dates.
      boolean treatmentPlans =
          columns.containsKey("presenteddate") || columns.containsKey("totalvalue");
      if (treatmentPlans) {
        for (var c : List.of("plan_id", "presented_date", "total_value", "status"))
          require(columns, source, norm(c), c);
      } else {
        require(columns, source, "duedate", "due_date");
        require(columns, source, "followuptype", "follow_up_type");
      }
      if (!columns.containsKey("name") && !columns.containsKey("firstname")) {
        throw new InputRejected(
            source + ":1",
            "missing column 'name' (or 'first_name'); the header has " + parser.getHeaderNames());
      }
      var patients = new LinkedHashMap<String, PatientRecord>();
      var plans = new ArrayList<ImportBatch.IncomingPlan>();
      var warnings = new ArrayList<String>();
      var seen = new HashMap<String, Long>();
      try {
        for (CSVRecord r : parser) {
          long line = parser.getCurrentLineNumber();
          String where = source + ":" + line;
          Row row = new Row(r, columns, where);
          String first, last;
          if (row.has("firstname")) {
            first = row.required("firstname", "first_name");
            last = row.get("lastname").orElse("");
          } else {
            String name = row.required("name", "name");
            var parts = name.split("\\s+", 2);
            first = parts[0];
            last = parts.length > 1 ? parts[1] : "";
          }
          Optional<String> phone =
              row.get("phone")
                  .or(() -> row.get("mobile"))
                  .map(p ->
                      Phones.e164(p, region)
                          .orElseThrow(() ->
                              new InputRejected(
                                  where + ", column phone", "'" + p + "' is not a phone number")));
          Optional<String> email =
              row.get("email")
                  .map(e -> {
                    if (!e.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+"))
                      throw new InputRejected(
                          where + ", column email", "'" + e + "' is not an email address");
                    return e;
                  });
          String patientId =
              row.get("patientid")
                  .or(() -> row.get("mrn"))
                  .or(() -> phone)
                  .or(() -> email)
                  .orElseThrow(() ->
                      new InputRejected(
                          where, "a row needs patient_id, phone or email to know the patient"));
          String patientKey = "csv:patient:" + patientId;
          Optional<Channel> preferred =
              row.get("preferredchannel")
                  .map(c ->
                      switch (c.toLowerCase(Locale.ROOT)) {
                        case "sms", "text" -> Channel.SMS;
                        case "email" -> Channel.EMAIL;
                        case "phone", "voice", "call" -> Channel.VOICE;
                        default ->
                            throw new InputRejected(
                                where + ", column preferred_channel",
                                "'" + c + "' is not sms, email or phone");
                      });
          // The patient's state (a USPS code or its name), in a US practice: their zone and any
          // stricter hours their state's law sets.
          Optional<String> state =
              row.get("state")
                  .filter(x -> region.equals("US"))
                  .map(x ->
                      UsStates.code(x)
                          .orElseThrow(() ->
                              new InputRejected(
                                  where + ", column state",
                                  "'" + x + "' is not a US state (FL, Florida, …)")));
          ZoneId patientZone = UsStates.zoneOf(state, zone);
          Optional<LocalDate> born = birthDate(row, where, now, patientZone);
          patients.put(
              patientKey,
              new PatientRecord(
                  patientKey,
                  practiceId,
                  first,
                  last,
                  phone,
                  Optional.empty(),
                  email,
                  preferred,
                  row.get("language"),
                  patientZone,
                  state,
                  born));
          if (treatmentPlans) {
            var plan = treatmentPlan(row, where, patientKey, patientZone, now);
            var earlier = seen.put(plan.sourceKey(), line);
            if (earlier != null)
              throw new InputRejected(where, "same treatment plan as line " + earlier);
            plans.add(plan);
            continue;
          }
          String type = row.required("followuptype", "follow_up_type");
          String dueText = row.required("duedate", "due_date");
          LocalDate due = date(dueText, where + ", column due_date");
          String planKey =
              "csv:"
                  + row.get("rowid")
                      .or(() -> row.get("planid"))
                      .orElse(patientId + ":" + type.toLowerCase(Locale.ROOT));
          var earlier = seen.put(planKey, line);
          if (earlier != null)
            throw new InputRejected(
                where, "same follow-up as line " + earlier + " (" + planKey.substring(4) + ")");
          String description =
              type
                  + row.get("preferredwindow")
                      .map(w -> " (preferred window: " + w + ")")
                      .orElse("");
          var step =
              new OrderedStep(
                  "follow-up",
                  StepKinds.fromWords(type),
                  description,
                  Optional.of(org.careloop.adapters.DateOnly.due(due, patientZone)),
                  Optional.empty(),
                  Optional.empty());
          // Spanish speakers get Spanish texts; a language careloop does not write needs a person.
          boolean interpreter =
              row.get("language").filter(l -> !Wording.writesIn(l)).isPresent()
                  || row.get("flags")
                      .filter(f -> f.toLowerCase(Locale.ROOT).contains("interpreter"))
                      .isPresent();
          boolean highRisk =
              row.get("flags")
                  .or(() -> row.get("risk"))
                  .filter(f -> f.toLowerCase(Locale.ROOT).contains("high"))
                  .isPresent();
          plans.add(
              new ImportBatch.IncomingPlan(
                  planKey,
                  patientKey,
                  now,
                  List.of(step),
                  new PlanFlags(highRisk, false, interpreter),
                  row.get("provider"),
                  true,
                  where,
                  Optional.of("csv-row-imported"),
                  Optional.empty(),
                  Optional.empty(),
                  List.of()));
        }
      } catch (java.io.UncheckedIOException e) {
        throw new InputRejected(
            source + ":" + parser.getCurrentLineNumber(),
            "not valid CSV: " + java.util.Objects.requireNonNullElse(e.getCause(), e).getMessage(),
            e);
      }
      if (plans.isEmpty()) warnings.add(source + ": no rows");
      return new ImportBatch(
          source, practiceId, List.copyOf(patients.values()), plans, List.of(), warnings);
    }
  }

  /** Statuses of a presented treatment plan, as practice systems write them. */
  private static final Map<String, String> PLAN_STATUS =
      Map.ofEntries(
          Map.entry("presented", "open"),
          Map.entry("pending", "open"),
          Map.entry("unaccepted", "open"),
          Map.entry("proposed", "open"),
          Map.entry("open", "open"),
          Map.entry("accepted", "accepted"),
          Map.entry("scheduled", "scheduled"),
          Map.entry("completed", "completed"),
          Map.entry("declined", "declined"),
          Map.entry("rejected", "declined"));

  /**
   * One row of a presented-treatment-plan export (patient, plan id, presented date, procedures,
   * total value, status): a plan for the protocol that treatment-plan-presented starts. Accepted,
   * scheduled and completed say how far the patient came (the protocol decides what follows);
   * declined ends it.
   */
  private ImportBatch.IncomingPlan treatmentPlan(
      Row row, String where, String patientKey, ZoneId zone, Instant now) {
    String planId = row.required("planid", "plan_id");
    LocalDate presented =
        date(row.required("presenteddate", "presented_date"), where + ", column presented_date");
    String valueText = row.required("totalvalue", "total_value");
    long cents;
    try {
      var amount = new java.math.BigDecimal(valueText.replace("$", "").replace(",", "").trim());
      if (amount.signum() < 0) throw new NumberFormatException();
      cents = amount.movePointRight(2).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new InputRejected(
          where + ", column total_value", "'" + valueText + "' is not an amount such as 1250.00");
    }
    String statusText = row.required("status", "status");
    String status = PLAN_STATUS.get(statusText.toLowerCase(Locale.ROOT).trim());
    if (status == null)
      throw new InputRejected(
          where + ", column status",
          "'"
              + statusText
              + "' is not presented, pending, accepted, scheduled, completed or declined");
    // The export has the day only: noon that day, and never later than now.
    Instant noon = org.careloop.adapters.DateOnly.happened(presented, zone);
    Instant presentedAt = noon.isAfter(now) ? now : noon;
    var step =
        new OrderedStep(
            "treatment",
            StepKind.TREATMENT,
            row.get("procedures").map(p -> "Treatment plan: " + p).orElse("Treatment plan"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    var acceptance =
        switch (status) {
          case "accepted" -> Optional.of(PlanEvent.Acceptance.ACCEPTED);
          case "scheduled" -> Optional.of(PlanEvent.Acceptance.SCHEDULED);
          case "completed" -> Optional.of(PlanEvent.Acceptance.COMPLETED);
          default -> Optional.<PlanEvent.Acceptance>empty();
        };
    return new ImportBatch.IncomingPlan(
        "csv:treatment-plan:" + planId,
        patientKey,
        presentedAt,
        List.of(step),
        PlanFlags.NONE,
        row.get("provider"),
        status.equals("open"),
        where,
        Optional.of("treatment-plan-presented"),
        Optional.of(cents),
        status.equals("declined") ? Optional.of("declined by the patient") : Optional.empty(),
        List.of(),
        Map.of(),
        acceptance);
  }

  /**
   * The date of birth a row gives (column dob, birth_date or date_of_birth), if any: a date, and
   * not one still to come in the patient's zone.
   */
  private static Optional<LocalDate> birthDate(
      Row row, String where, java.time.Instant now, ZoneId zone) {
    var column =
        java.util.stream.Stream.of("dob", "birthdate", "dateofbirth").filter(row::has).findFirst();
    if (column.isEmpty()) return Optional.empty();
    String at = where + ", column " + row.header(column.get());
    return row.get(column.get())
        .map(text -> {
          if (text.matches("\\d{1,2}/\\d{1,2}/\\d{2}"))
            throw new InputRejected(
                at, "'" + text + "' has a two-digit year; a date of birth needs all four");
          var day = date(text, at);
          if (day.isAfter(now.atZone(zone).toLocalDate()))
            throw new InputRejected(at, "'" + text + "' is a date of birth still to come");
          return day;
        });
  }

  private static LocalDate date(String text, String where) {
    return parseDate(text)
        .orElseThrow(
            () -> new InputRejected(where, "'" + text + "' is not a date (use YYYY-MM-DD)"));
  }

  private static void require(Map<String, String> columns, String source, String key, String name) {
    if (!columns.containsKey(key))
      throw new InputRejected(source + ":1", "missing column '" + name + "'");
  }

  static Optional<LocalDate> parseDate(String text) {
    for (var f : DATES) {
      try {
        return Optional.of(LocalDate.parse(text, f));
      } catch (DateTimeParseException e) {
        // try the next format
      }
    }
    return Optional.empty();
  }

  /** One record with columns by normalised name. */
  private record Row(CSVRecord r, Map<String, String> columns, String where) {
    boolean has(String key) {
      return columns.containsKey(key);
    }

    /** The column's name as the file's header writes it. */
    String header(String key) {
      return columns.getOrDefault(key, key);
    }

    Optional<String> get(String key) {
      var header = columns.get(key);
      if (header == null || !r.isMapped(header) || !r.isSet(header)) return Optional.empty();
      return Optional.ofNullable(r.get(header))
          .filter(v -> !v.isBlank())
          .map(v -> Limits.check(v, limit(key), where + ", column " + header));
    }

    private static int limit(String key) {
      return switch (key) {
        case "firstname", "lastname" -> Limits.NAME;
        // A whole name holds a given and a family name.
        case "name" -> 2 * Limits.NAME + 1;
        case "phone", "mobile" -> Limits.PHONE;
        case "email" -> Limits.EMAIL;
        case "patientid", "mrn", "rowid", "planid" -> Limits.IDENTIFIER;
        case "provider", "followuptype", "preferredwindow", "language", "state" -> Limits.LABEL;
        default -> Limits.TEXT;
      };
    }

    String required(String key, String name) {
      return get(key).orElseThrow(() -> new InputRejected(where + ", column " + name, "is empty"));
    }
  }
}
