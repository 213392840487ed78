package org.careloop.bench;

import java.io.StringReader;
import java.nio.file.Files;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.Optional;
import org.careloop.server.Careloop;
import org.postgresql.PGConnection;

/**
 * The weekly export at scale: a ROWS-row CSV (one patient and one follow-up a row) imported whole,
 * in one all-or-nothing transaction, into H2 (file) and PostgreSQL, beside PostgreSQL's own COPY of
 * the same rows into a plain table (the floor no import that checks, encrypts and plans can beat).
 * Run with {@code bench/import [ROWS]} (100000 by default).
 */
public final class ImportBench {
  static final Instant T0 = Instant.parse("2026-12-01T15:00:00Z");

  /** A weekly export of {@code rows} patients, each with one follow-up. */
  static String export(int rows) {
    var csv =
        new StringBuilder(
            "patient_id,first_name,last_name,phone,email,provider,follow_up_type,due_date\n");
    String[] providers = {"Dr. Chen", "Dr. Ruiz", "Dr. Okafor"};
    String[] kinds = {"lab", "referral", "imaging", "physical therapy"};
    for (int i = 0; i < rows; i++)
      csv.append(
          String.format(
              "M%07d,Pat%d,Lee%d,617-555-%04d,p%d@example.org,%s,%s,2027-%02d-%02d%n",
              i,
              i % 997,
              i % 1013,
              i % 10000,
              i,
              providers[i % 3],
              kinds[i % 4],
              1 + i % 9,
              1 + i % 28));
    return csv.toString();
  }

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    String pg = EngineBench.setUp();
    String csv = export(rows);
    System.out.printf(
        "careloop import bench: %d rows (%.1f MB), %d cores, Java %s%n",
        rows, csv.length() / 1e6, Runtime.getRuntime().availableProcessors(), Runtime.version());
    var tmp = Files.createTempDirectory("careloop-import-bench");
    double h2 = importRate("H2 (file)", "jdbc:h2:file:" + tmp.resolve("bench"), csv, rows);
    String schema = "bench_import_" + ProcessHandle.current().pid();
    try (var c = DriverManager.getConnection(pg)) {
      c.createStatement().execute("create schema " + schema);
    }
    String pgSchema = pg + (pg.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    double postgres = importRate("PostgreSQL", pgSchema, csv, rows);
    double copy;
    try (var c = DriverManager.getConnection(pgSchema)) {
      c.createStatement()
          .execute(
              "create table copy_rows (patient_id text, first_name text, last_name text, phone"
                  + " text, email text, provider text, follow_up_type text, due_date date)");
      long t = System.nanoTime();
      long copied =
          c.unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn(
                  "copy copy_rows from stdin with (format csv, header true)",
                  new StringReader(csv));
      copy = copied / ((System.nanoTime() - t) / 1e9);
      c.createStatement().execute("drop schema " + schema + " cascade");
    }
    System.out.println();
    System.out.printf("%-34s %12s%n", "weekly export of " + rows + " rows", "rows/s");
    System.out.printf("%-34s %12.0f%n", "careloop import, H2 (file)", h2);
    System.out.printf("%-34s %12.0f%n", "careloop import, PostgreSQL", postgres);
    System.out.printf("%-34s %12.0f%n", "PostgreSQL COPY of the same rows", copy);
  }

  static double importRate(String name, String url, String csv, int rows) {
    try (var c = Careloop.open(url, Optional.of("simulated"), Optional.of(T0), 4)) {
      long t = System.nanoTime();
      var batch = c.csvReader().read(csv, "export.csv", T0);
      var result = c.importBatch(batch);
      double seconds = (System.nanoTime() - t) / 1e9;
      if (result.plansCreated() != rows)
        throw new IllegalStateException(name + ": " + result.summary());
      System.out.printf("%-11s %d rows in %.1f s (read, stored, planned)%n", name, rows, seconds);
      return rows / seconds;
    }
  }
}
