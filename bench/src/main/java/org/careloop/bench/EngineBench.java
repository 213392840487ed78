package org.careloop.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.careloop.app.intake.ImportBatch;
import org.careloop.server.Careloop;

/**
 * End-to-end figures on this machine: plans ingested per second from FHIR bundles, wake-ups fired
 * per second, missed appointment → outreach committed latency, on H2 and PostgreSQL, against the
 * raw PostgreSQL single-row UPDATE rate. Run with {@code bench/run}.
 */
public final class EngineBench {
  static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");

  record Figures(
      String db,
      double ingestPerSec,
      double syntheaPlansPerSec,
      double wakeupsPerSec,
      double dispatchedPerSec,
      double p50ms,
      double p99ms,
      int plans) {}

  /**
   * A throwaway key for the bench's databases (unless CARELOOP_KEY is set), and the PostgreSQL to
   * bench on: $CARELOOP_BENCH_PG, else the machine's.
   */
  static String setUp() {
    if (System.getenv("CARELOOP_KEY") == null && System.getProperty("careloop.key") == null) {
      var key = new byte[32];
      new java.security.SecureRandom().nextBytes(key);
      System.setProperty("careloop.key", java.util.Base64.getEncoder().encodeToString(key));
    }
    return Optional.ofNullable(System.getenv("CARELOOP_BENCH_PG"))
        .orElse("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
  }

  public static void main(String[] args) throws Exception {
    int plans = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    String pg = EngineBench.setUp();
    Path data =
        Path.of(
            Optional.ofNullable(System.getenv("CARELOOP_SHARED_DATA")).orElse("../shared/data"));
    System.out.println(
        "careloop bench: "
            + plans
            + " plans per database, "
            + Runtime.getRuntime().availableProcessors()
            + " cores, Java "
            + Runtime.version());
    var tmp = Files.createTempDirectory("careloop-bench");
    var results = new ArrayList<Figures>();
    results.add(
        run(
            "H2 (file)",
            "jdbc:h2:file:" + tmp.resolve("bench") + ";DB_CLOSE_ON_EXIT=FALSE",
            plans,
            data,
            1));
    String schema = "bench_" + ProcessHandle.current().pid();
    try (var c = DriverManager.getConnection(pg)) {
      c.createStatement().execute("create schema " + schema);
    }
    results.add(
        run(
            "PostgreSQL",
            pg + (pg.contains("?") ? "&" : "?") + "currentSchema=" + schema,
            plans,
            data,
            2));
    double[] raw = rawUpdateTps(pg, schema);

    System.out.println();
    System.out.printf(
        "%-11s %14s %16s %14s %14s %12s %12s%n",
        "database",
        "ingest plans/s",
        "synthea plans/s",
        "wake-ups/s",
        "dispatched/s",
        "missed p50",
        "missed p99");
    for (var f : results) {
      System.out.printf(
          "%-11s %14.0f %16.0f %14.0f %14.0f %10.1fms %10.1fms%n",
          f.db(),
          f.ingestPerSec(),
          f.syntheaPlansPerSec(),
          f.wakeupsPerSec(),
          f.dispatchedPerSec(),
          f.p50ms(),
          f.p99ms());
    }
    System.out.printf(
        "%nraw PostgreSQL single-row UPDATE (JDBC, autocommit): %.0f tps with 1 client, %.0f tps with 2 clients%n",
        raw[0], raw[1]);
    var p = results.get(1);
    double ceiling = Math.max(raw[0], raw[1]);
    System.out.printf(
        "PostgreSQL wake-ups fired / best raw UPDATE rate: %.0f / %.0f = %.2f%n",
        p.wakeupsPerSec(), ceiling, p.wakeupsPerSec() / ceiling);
  }

  static Figures run(String name, String url, int plans, Path data, int threads) throws Exception {
    System.out.println("== " + name);
    try (var c = Careloop.open(url, Optional.of("real"), Optional.empty(), 4)) {
      // The caps would hold most catch-up messages back a day; the bench measures the engine's
      // path with every message going out, so this practice lifts them.
      var settings = c.administration().settings(Careloop.DEFAULT_PRACTICE);
      c.administration()
          .update(
              "bench",
              new org.careloop.app.PracticeSettings(
                  settings.practice(),
                  100,
                  700,
                  settings.holidays(),
                  settings.careGapReportDay(),
                  settings.appointmentValueCents()),
              c.clock().instant());
      // 1. Ingest: collection bundles of Patient + CarePlan (what an EHR feed sends), 100 a bundle.
      var reader = c.fhirReader();
      var importer = c.importer();
      var bundles = new ArrayList<String>();
      for (int i = 0; i < plans; i += 100)
        bundles.add(FhirBundles.collection(i, Math.min(100, plans - i), T0));
      long t = System.nanoTime();
      for (int i = 0; i < bundles.size(); i++)
        importer.importBatch(reader.read(bundles.get(i), "bundle-" + i), T0);
      double ingest = plans / seconds(t);
      System.out.printf(
          "ingested %d plans from %d FHIR bundles: %.0f plans/s%n", plans, bundles.size(), ingest);

      // 1b. Whole Synthea bundles (every Observation, Claim, … parsed), ids made unique per copy.
      var synthea = new ArrayList<String>();
      try (var files = Files.list(data.resolve("fhir/synthea"))) {
        for (var f : files.sorted().toList()) synthea.add(Files.readString(f));
      }
      int copies = 5, syntheaPlans = 0;
      t = System.nanoTime();
      for (int k = 0; k < copies; k++) {
        for (int i = 0; i < synthea.size(); i++) {
          var r =
              importer.importBatch(
                  reader.read(FhirBundles.renumber(synthea.get(i), k), "synthea-" + k + "-" + i),
                  T0);
          syntheaPlans += r.plansCreated();
        }
      }
      double syntheaRate = syntheaPlans / seconds(t);
      System.out.printf(
          "ingested %d plans from %d whole Synthea bundles: %.0f plans/s%n",
          syntheaPlans, copies * synthea.size(), syntheaRate);

      // 2. Wake-ups: 22 days on, every plan has its day 7, 14 and 21 check-ins due.
      Instant at = T0.plus(Duration.ofDays(22));
      var pool = Executors.newFixedThreadPool(threads);
      var fired = new AtomicLong();
      Callable<Void> worker =
          () -> {
            int n;
            while ((n = c.engine().fireDue(c.store(), at, 100)) > 0) fired.addAndGet(n);
            return null;
          };
      t = System.nanoTime();
      var tasks = new ArrayList<Callable<Void>>();
      for (int i = 0; i < threads; i++) tasks.add(worker);
      for (var fut : pool.invokeAll(tasks)) fut.get();
      double wakeups = fired.get() / seconds(t);
      System.out.printf(
          "fired %d wake-ups with %d poller(s): %.0f/s%n", fired.get(), threads, wakeups);

      var dispatched = new AtomicLong();
      var dispatcher =
          new org.careloop.app.messaging.Dispatcher(
              java.util.Map.of(
                  "SMS",
                  new org.careloop.adapters.jdbc.SandboxSender(c.clock()),
                  "EMAIL",
                  new org.careloop.adapters.jdbc.SandboxSender(c.clock()),
                  "EHR_NOTE",
                  new org.careloop.adapters.jdbc.SandboxSender(c.clock()),
                  "EHR_INBOX",
                  new org.careloop.adapters.jdbc.SandboxSender(c.clock())),
              new org.careloop.app.messaging.Deliveries(c.engine()),
              new org.careloop.app.messaging.Links("http://127.0.0.1:8080"));
      Callable<Void> sender =
          () -> {
            int n;
            while ((n = dispatcher.dispatchDue(c.store(), at, 100)) > 0) dispatched.addAndGet(n);
            return null;
          };
      t = System.nanoTime();
      tasks.clear();
      for (int i = 0; i < threads; i++) tasks.add(sender);
      for (var fut : pool.invokeAll(tasks)) fut.get();
      double dispatchRate = dispatched.get() / seconds(t);
      System.out.printf(
          "dispatched %d outbox items to the sandbox: %.0f/s%n", dispatched.get(), dispatchRate);
      pool.shutdown();

      // 3. Missed appointment → outreach committed: one event, one transaction, timed to commit.
      int samples = Math.min(1000, plans);
      Instant booked = at.plus(Duration.ofHours(1));
      for (int i = 0; i < samples; i++) {
        importer.importBatch(appointment(i, "booked", booked), booked);
      }
      Instant missed = booked.plus(Duration.ofHours(1));
      long[] nanos = new long[samples];
      for (int i = 0; i < samples; i++) {
        var batch = appointment(i, "noshow", booked);
        long s = System.nanoTime();
        importer.importBatch(batch, missed);
        nanos[i] = System.nanoTime() - s;
      }
      long outreach =
          c.read().outbox().stream().filter(o -> o.key().contains(":missed-outreach:")).count();
      if (outreach != samples)
        throw new IllegalStateException(
            "expected " + samples + " missed-appointment outreach items, found " + outreach);
      Arrays.sort(nanos);
      double p50 = nanos[samples / 2] / 1e6, p99 = nanos[(int) Math.ceil(samples * 0.99) - 1] / 1e6;
      System.out.printf(
          "missed appointment → outreach committed, %d samples: p50 %.1f ms, p99 %.1f ms%n",
          samples, p50, p99);
      return new Figures(name, ingest, syntheaRate, wakeups, dispatchRate, p50, p99, plans);
    }
  }

  static ImportBatch appointment(int i, String status, Instant start) {
    var u =
        new ImportBatch.AppointmentUpdate(
            "bench:appointment:" + i,
            "fhir:Patient/bench-" + i,
            Optional.of("fhir:CarePlan/bench-" + i),
            Optional.empty(),
            status,
            Optional.of(start),
            "bench");
    return new ImportBatch("bench", "default", List.of(), List.of(), List.of(u), List.of());
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /**
   * The ceiling: single-row UPDATE transactions per second over JDBC, 1 and 2 clients, 5 s each.
   */
  static double[] rawUpdateTps(String pg, String schema) throws Exception {
    try (var c = DriverManager.getConnection(pg)) {
      var s = c.createStatement();
      s.execute("create table " + schema + ".raw_counter (id int primary key, n bigint not null)");
      s.execute(
          "insert into " + schema + ".raw_counter select g, 0 from generate_series(1, 1000) g");
    }
    double[] out = new double[2];
    for (int clients = 1; clients <= 2; clients++) {
      var pool = Executors.newFixedThreadPool(clients);
      var count = new AtomicLong();
      long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      var tasks = new ArrayList<Callable<Void>>();
      for (int k = 0; k < clients; k++) {
        int offset = k;
        tasks.add(() -> {
          try (var c = DriverManager.getConnection(pg);
              var ps =
                  c.prepareStatement(
                      "update " + schema + ".raw_counter set n = n + 1 where id = ?")) {
            int i = offset;
            while (System.nanoTime() < end) {
              ps.setInt(1, 1 + (i += 2) % 1000);
              ps.executeUpdate();
              count.incrementAndGet();
            }
          }
          return null;
        });
      }
      long t = System.nanoTime();
      for (var f : pool.invokeAll(tasks)) f.get();
      out[clients - 1] = count.get() / seconds(t);
      pool.shutdown();
    }
    return out;
  }
}
