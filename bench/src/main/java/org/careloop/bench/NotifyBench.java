package org.careloop.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.careloop.app.EhrConnection;
import org.careloop.server.Careloop;

/**
 * Notifications from an EHR, end to end: HAPI FHIR's JPA server (the {@code fhir-test-server}
 * module, in its own process) holds PATIENTS patients, each with a CarePlan pointing at a lab
 * ServiceRequest; {@code careloop serve} (its own process, PostgreSQL) is connected to it and told
 * of each CarePlan by an id-only R4 Backport notification at {@code
 * /ehr/default/main/notifications}, as athenahealth sends them. Prints:
 *
 * <ul>
 *   <li>notifications accepted per second (answered 2xx) with SENDERS sending at once, and each
 *       answer's p50, p95 and slowest time;
 *   <li>the delay from a notification sent to the patient's first outreach committed (the outbox
 *       row the intake message leaves from): once paced (one notification every PACE ms, an EHR's
 *       day) and for the burst (the EHR's backlog after an outage, worked in the background).
 * </ul>
 *
 * Run with {@code bench/notify [PATIENTS] [SENDERS]}.
 */
public final class NotifyBench {
  static final String SECRET = "bench-notify-" + Long.toString(System.nanoTime(), 36);
  static final int PACED = 60;
  static final Duration PACE = Duration.ofMillis(250);
  static final int WARM_UP = 1_000_000;

  public static void main(String[] args) throws Exception {
    int patients = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int senders = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    String pg = EngineBench.setUp();
    String schema = "bench_notify_" + ProcessHandle.current().pid();
    try (var c = DriverManager.getConnection(pg)) {
      c.createStatement().execute("create schema " + schema);
    }
    String url = pg + (pg.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    System.out.printf(
        "careloop notify bench: %d paced + %d burst notifications (id-only, one CarePlan each) from"
            + " HAPI FHIR's JPA server, %d senders, PostgreSQL, %d cores, Java %s%n",
        PACED, patients, senders, Runtime.getRuntime().availableProcessors(), Runtime.version());
    Process fhirServer = null;
    Process serve = null;
    try {
      var fhirLog = Files.createTempFile("fhir-test-server", ".log");
      fhirServer = fhirServer(fhirLog);
      String fhir = fhirBase(fhirServer, fhirLog);
      var secretFile = Files.createTempFile("careloop-notify", ".secret");
      Files.writeString(secretFile, SECRET);
      connect(url, fhir, secretFile);
      // Outreach leaves within the protocol's allowed hours (08:00-21:00) in the practice's zone:
      // the practice is put where it is now about noon, so what is measured is careloop, not the
      // night.
      String zone = noonZone(Instant.now());
      WorkspaceBench.cli(url, "practice", "set", "--zone", zone);
      System.out.printf("practice zone %s (about noon there now)%n", zone);

      // The connection's first poll, as serve starts, reads one patient the EHR had before; what
      // the EHR makes after it comes by notification.
      var ehr = new Ehr(fhir);
      ehr.load(WARM_UP, WARM_UP + 1);
      var log = Files.createTempFile("careloop-serve", ".log");
      serve = WorkspaceBench.serve(url, log, "-DCARELOOP_EHR_POLL=1h");
      String base = WorkspaceBench.baseUrl(serve, log);
      waitFor(url, "select count(*) from ehr_cursor", 1, Duration.ofMinutes(2));

      int total = PACED + patients;
      long t = System.nanoTime();
      for (int from = 0; from < total; from += 100) ehr.load(from, Math.min(total, from + 100));
      System.out.printf(
          "EHR loaded: %d patients, care plans and orders in %.0f s%n",
          total, (System.nanoTime() - t) / 1e9);

      var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String endpoint = base + "/ehr/default/main/notifications";

      // Paced: the delay a coordinator sees on an ordinary day.
      var sent = new HashMap<Integer, Instant>();
      for (int i = 0; i < PACED; i++) {
        sent.put(i, Instant.now());
        notify(http, endpoint, fhir, i + 1, i);
        Thread.sleep(PACE.toMillis());
      }
      var pacedDelays = delays(url, sent, Duration.ofMinutes(2));
      System.out.printf(
          "%npaced, one every %d ms: notification to outreach committed p50 %.0f ms, p95 %.0f ms,"
              + " max %.0f ms (%d notifications)%n",
          PACE.toMillis(),
          at(pacedDelays, 0.5),
          at(pacedDelays, 0.95),
          pacedDelays[pacedDelays.length - 1],
          pacedDelays.length);

      // Burst: SENDERS at once, as fast as answered.
      var answers = new double[patients];
      var burstSent = new HashMap<Integer, Instant>();
      for (int i = PACED; i < total; i++) burstSent.put(i, Instant.EPOCH);
      // Numbered in the order they are sent; with several senders they arrive a little out of
      // order, as an EHR's unordered deliveries do.
      var numbers = new java.util.concurrent.atomic.AtomicLong(PACED);
      var pool = Executors.newFixedThreadPool(senders);
      long burst = System.nanoTime();
      var futures = new ArrayList<Future<?>>();
      for (int s = 0; s < senders; s++) {
        int sender = s;
        futures.add(
            pool.submit(() -> {
              for (int i = PACED + sender; i < total; i += senders) {
                var at = Instant.now();
                synchronized (burstSent) {
                  burstSent.put(i, at);
                }
                long a = System.nanoTime();
                notify(http, endpoint, fhir, numbers.incrementAndGet(), i);
                answers[i - PACED] = (System.nanoTime() - a) / 1e6;
              }
              return null;
            }));
      }
      for (var f : futures) f.get();
      double burstSeconds = (System.nanoTime() - burst) / 1e9;
      pool.shutdown();
      Arrays.sort(answers);
      System.out.printf(
          "burst of %d from %d senders (numbered as sent, arriving a little out of order): %.0f notifications accepted per second (all answered 2xx in"
              + " %.1f s); answer p50 %.1f ms, p95 %.1f ms, max %.1f ms%n",
          patients,
          senders,
          patients / burstSeconds,
          burstSeconds,
          at(answers, 0.5),
          at(answers, 0.95),
          answers[answers.length - 1]);
      var burstDelays = delays(url, burstSent, Duration.ofMinutes(30));
      System.out.printf(
          "burst: notification to outreach committed p50 %.1f s, p95 %.1f s, max %.1f s (the"
              + " backlog worked at %.0f notifications a second)%n",
          at(burstDelays, 0.5) / 1000,
          at(burstDelays, 0.95) / 1000,
          burstDelays[burstDelays.length - 1] / 1000,
          patients / (burstDelays[burstDelays.length - 1] / 1000));
    } finally {
      if (serve != null) serve.destroyForcibly().waitFor();
      if (fhirServer != null) fhirServer.destroyForcibly().waitFor();
      if (System.getenv("CARELOOP_BENCH_KEEP") == null)
        try (var c = DriverManager.getConnection(pg)) {
          c.createStatement().execute("drop schema " + schema + " cascade");
        }
      else System.out.println("kept schema " + schema);
    }
  }

  /** A fixed-offset zone where the given instant is between 11:00 and 13:00. */
  static String noonZone(Instant now) {
    int hour = now.atZone(ZoneOffset.UTC).getHour();
    int offset = 12 - hour;
    if (offset < -12) offset += 24;
    if (offset > 14) offset -= 24;
    // The Etc zones name the offset with the opposite sign: Etc/GMT-9 is UTC+9.
    return offset == 0 ? "Etc/UTC" : "Etc/GMT" + (offset > 0 ? "-" : "+") + Math.abs(offset);
  }

  static double at(double[] sorted, double q) {
    return sorted[(int) Math.ceil(q * sorted.length) - 1];
  }

  /** The default practice's connection "main" to the FHIR server, checked by a header secret. */
  static void connect(String url, String fhir, Path secretFile) {
    try (var c = Careloop.open(url, Optional.empty(), Optional.empty(), 2)) {
      var now = c.clock().instant();
      c.ehrSetup()
          .connect(
              "bench",
              new EhrConnection(
                  Careloop.DEFAULT_PRACTICE,
                  "main",
                  fhir,
                  EhrConnection.Auth.NONE,
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  Optional.of(
                      new EhrConnection.Notifications(
                          EhrConnection.Check.HEADER, "Authorization", "file:" + secretFile)),
                  now,
                  Optional.empty()),
              now);
    }
  }

  /** Sends one id-only notification of CarePlan i until it is answered 2xx. */
  static void notify(HttpClient http, String endpoint, String fhir, long number, int i)
      throws Exception {
    String body =
        """
        {"resourceType": "Bundle", "type": "history",
         "entry": [{"resource": {"resourceType": "Parameters", "parameter": [
           {"name": "subscription", "valueReference": {"reference": "Subscription/bench"}},
           {"name": "status", "valueCode": "active"},
           {"name": "type", "valueCode": "event-notification"},
           {"name": "events-since-subscription-start", "valueString": "%d"},
           {"name": "notification-event", "part": [
             {"name": "event-number", "valueString": "%d"},
             {"name": "focus", "valueReference": {"reference": "%s/CarePlan/cp-%d"}}]}]}}]}
        """
            .formatted(number, number, fhir, i);
    for (int attempt = 0; ; attempt++) {
      var r =
          http.send(
              HttpRequest.newBuilder(URI.create(endpoint))
                  .timeout(Duration.ofSeconds(5))
                  .header("Authorization", "Bearer " + SECRET)
                  .header("Content-Type", "application/fhir+json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 == 2) return;
      if (attempt == 3)
        throw new IllegalStateException("notification " + i + " answered " + r.statusCode());
      Thread.sleep(100);
    }
  }

  /**
   * Each bench patient's delay from its notification sent to its first outbox row committed,
   * sorted, once every one has one.
   */
  static double[] delays(String url, Map<Integer, Instant> sent, Duration wait) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    // Source keys and names are stored encrypted: read through careloop, as serve does.
    try (var c = Careloop.open(url, Optional.empty(), Optional.empty(), 2)) {
      var id = Pattern.compile("(?:lab|cp)-(\\d+)");
      var planOf = new HashMap<String, Integer>();
      while (true) {
        for (var p : c.read().plans(Optional.of(Careloop.DEFAULT_PRACTICE))) {
          var m = id.matcher(p.sourceKey());
          if (m.find()) planOf.put(p.id(), Integer.parseInt(m.group(1)));
        }
        var first = new HashMap<Integer, Instant>();
        for (var o : c.read().outbox()) {
          Integer i = planOf.get(o.planId());
          if (i != null) first.merge(i, o.createdAt(), (a, b) -> a.isBefore(b) ? a : b);
        }
        if (first.keySet().containsAll(sent.keySet())) {
          var ms = new double[sent.size()];
          int k = 0;
          for (var e : sent.entrySet())
            ms[k++] = Duration.between(e.getValue(), first.get(e.getKey())).toNanos() / 1e6;
          Arrays.sort(ms);
          return ms;
        }
        if (System.nanoTime() > deadline)
          throw new IllegalStateException(
              "outreach for "
                  + first.keySet().stream().filter(sent::containsKey).count()
                  + " of "
                  + sent.size()
                  + " notified patients after "
                  + wait);
        Thread.sleep(200);
      }
    }
  }

  static void waitFor(String url, String count, long atLeast, Duration wait) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    try (var c = DriverManager.getConnection(url)) {
      while (true) {
        try (var rs = c.createStatement().executeQuery(count)) {
          rs.next();
          if (rs.getLong(1) >= atLeast) return;
        }
        if (System.nanoTime() > deadline)
          throw new IllegalStateException("not reached in " + wait + ": " + count);
        Thread.sleep(100);
      }
    }
  }

  /** The EHR's side: patients, their lab orders and the care plans that point at them. */
  record Ehr(String fhir) {
    void load(int from, int to) throws Exception {
      LocalDate due = LocalDate.now(ZoneOffset.UTC).plusDays(42);
      var entries = new ArrayList<String>();
      for (int i = from; i < to; i++) {
        entries.add(
            put(
                "Patient/pat-" + i,
                """
                {"resourceType": "Patient", "id": "pat-%d", "name": [{"family": "Notify",
                 "given": ["P%d"]}], "telecom": [{"system": "phone", "value": "(617) 555-%04d",
                 "use": "mobile"}]}
                """
                    .formatted(i, i, i % 10_000)));
        entries.add(
            put(
                "ServiceRequest/lab-" + i,
                """
                {"resourceType": "ServiceRequest", "id": "lab-%d", "status": "active",
                 "intent": "order", "code": {"text": "Lipid panel"},
                 "subject": {"reference": "Patient/pat-%d"}, "occurrenceDateTime": "%s"}
                """
                    .formatted(i, i, due)));
        entries.add(
            put(
                "CarePlan/cp-" + i,
                """
                {"resourceType": "CarePlan", "id": "cp-%d", "status": "active", "intent": "plan",
                 "subject": {"reference": "Patient/pat-%d"},
                 "activity": [{"reference": {"reference": "ServiceRequest/lab-%d"}}]}
                """
                    .formatted(i, i, i)));
      }
      String bundle =
          "{\"resourceType\": \"Bundle\", \"type\": \"transaction\", \"entry\": ["
              + String.join(",", entries)
              + "]}";
      var r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(fhir))
                      .header("Content-Type", "application/fhir+json")
                      .POST(HttpRequest.BodyPublishers.ofString(bundle))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200)
        throw new IllegalStateException("the FHIR server refused the load: " + r.body());
    }

    static String put(String ref, String resource) {
      return "{\"resource\": "
          + resource
          + ", \"request\": {\"method\": \"PUT\", \"url\": \""
          + ref
          + "\"}}";
    }
  }

  /** HAPI FHIR's JPA server from the fhir-test-server module (built by bench/notify). */
  static Process fhirServer(Path log) throws Exception {
    var module = Path.of("fhir-test-server", "target");
    var command =
        List.of(
            ProcessHandle.current().info().command().orElseThrow(),
            "-Xmx1g",
            "-cp",
            module.resolve("classes")
                + java.io.File.pathSeparator
                + Files.readString(module.resolve("classpath.txt")).trim(),
            "org.careloop.fhirtest.FhirTestServer");
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  static String fhirBase(Process server, Path log) throws Exception {
    var ready = Pattern.compile("FHIR server at (http://127\\.0\\.0\\.1:\\d+/fhir)");
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) throw new IllegalStateException(Files.readString(log));
      var m = ready.matcher(Files.readString(log));
      if (m.find()) return m.group(1);
      Thread.sleep(250);
    }
    throw new IllegalStateException("the FHIR server did not start in 4 minutes: " + log);
  }
}
