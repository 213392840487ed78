package org.careloop.server;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.careloop.adapters.crypto.FieldCipher;
import org.careloop.adapters.csv.SyntheaExportReader;
import org.careloop.adapters.csv.WeeklyExportReader;
import org.careloop.adapters.fhir.FhirReader;
import org.careloop.adapters.fhir.FhirSlotSource;
import org.careloop.adapters.jdbc.AuditLog;
import org.careloop.adapters.jdbc.Database;
import org.careloop.adapters.jdbc.EmbeddedFiles;
import org.careloop.adapters.jdbc.JdbcStore;
import org.careloop.adapters.jdbc.ProtocolVersions;
import org.careloop.adapters.jdbc.ReadModel;
import org.careloop.adapters.jdbc.SandboxSender;
import org.careloop.adapters.jdbc.SimulatedClock;
import org.careloop.adapters.protocol.ProtocolLibrary;
import org.careloop.app.AuditTrail;
import org.careloop.app.Practice;
import org.careloop.app.Reads;
import org.careloop.app.Store;
import org.careloop.app.admin.Administration;
import org.careloop.app.engine.Engine;
import org.careloop.app.engine.Preview;
import org.careloop.app.engine.Runner;
import org.careloop.app.intake.ImportBatch;
import org.careloop.app.intake.ImportResult;
import org.careloop.app.intake.Importer;
import org.careloop.app.messaging.Deliveries;
import org.careloop.app.messaging.Dispatcher;
import org.careloop.app.messaging.Links;
import org.careloop.app.messaging.Replies;

/** The composition root: one database, its clock, and the engine's parts wired together. */
public final class Careloop implements AutoCloseable {
  /** The practice imports belong to until practices are configured. */
  public static final String DEFAULT_PRACTICE = "default";

  private final Database db;
  private final Clock clock;
  private final JdbcStore store;
  private final Engine engine;
  private final Importer importer;
  private final Runner runner;
  private final ReadModel read;
  private final org.careloop.app.MetricFacts metricFacts;
  private final org.careloop.app.intake.EhrClient ehrClient;
  private final org.careloop.app.messaging.EhrWriter ehrWriter;
  private final org.careloop.app.intake.EhrPolling ehrPolling;
  private final org.careloop.app.intake.EhrNotifications ehrNotifications;
  private final org.careloop.app.admin.EhrSetup ehrSetup;
  private final Channels channels;
  private final Replies replies;
  private final Deliveries deliveries;
  private final Administration administration;
  private final AuditLog auditLog;
  private final org.careloop.app.casework.Workspace workspace;

  private Careloop(Database db, Clock clock, FieldCipher cipher) {
    this.db = db;
    this.clock = clock;
    this.store = new JdbcStore(db.dataSource(), cipher);
    this.engine =
        new Engine(
            ProtocolLibrary.load(new ProtocolVersions(store), protocolsFolder(), clock.instant()),
            ProtocolLibrary.lanes(protocolsFolder()));
    // The default program must be loaded: a plan no trigger claims runs on it.
    engine.protocols().latest(ProtocolLibrary.DEFAULT_PROTOCOL);
    this.importer = new Importer(store, engine, ProtocolLibrary.DEFAULT_PROTOCOL);
    this.channels = Channels.fromEnvironment(clock);
    this.deliveries = new Deliveries(engine);
    this.administration = new Administration(store);
    this.auditLog = new AuditLog(db.dataSource());
    var sandbox = new SandboxSender(clock);
    this.ehrSetup = new org.careloop.app.admin.EhrSetup(store);
    // Reads from the EHR (polls, notified events) and writes to it (the EHR_NOTE, EHR_INBOX,
    // EHR_FLAG and EHR_TASK channels), signed in the same way.
    var tokens =
        new org.careloop.adapters.smart.SmartTokens(ehrSetup::signingKey, Clock.systemUTC());
    var fhirClient = new org.careloop.adapters.fhir.FhirEhrClient(this::fhirReader, tokens);
    java.util.function.Function<
            org.careloop.app.messaging.EhrWriter.Kind, org.careloop.app.messaging.ChannelSender>
        ehr = kind -> new org.careloop.app.messaging.EhrWriteBack(kind, fhirClient, sandbox, clock);
    var dispatcher =
        new Dispatcher(
            Map.of(
                "SMS",
                channels.sms(),
                "EMAIL",
                channels.email(),
                "EHR_NOTE",
                ehr.apply(org.careloop.app.messaging.EhrWriter.Kind.NOTE),
                "EHR_INBOX",
                ehr.apply(org.careloop.app.messaging.EhrWriter.Kind.PROVIDER_MESSAGE),
                "EHR_FLAG",
                ehr.apply(org.careloop.app.messaging.EhrWriter.Kind.PROVIDER_REVIEW),
                "EHR_TASK",
                ehr.apply(org.careloop.app.messaging.EhrWriter.Kind.STAFF_TASK)),
            deliveries,
            new Links(publicUrl()),
            Clock.systemUTC(),
            sendingLease());
    this.runner = new Runner(store, engine, dispatcher);
    // Used only by practices that configured a slot search (careloop practice set --slot-search).
    this.replies =
        new Replies(
            store,
            engine,
            DEFAULT_PRACTICE,
            new FhirSlotSource(Channels.env("CARELOOP_SLOTS_FHIR_TOKEN")));
    this.ehrWriter = fhirClient;
    this.ehrClient =
        new org.careloop.adapters.EhrClients(
            fhirClient,
            new org.careloop.adapters.fhir.healthie.HealthieEhrClient(this::fhirReader, clock),
            new org.careloop.adapters.fhir.athena.AthenaEhrClient(
                this::fhirReader, tokens, Clock.systemUTC()));
    this.ehrPolling = new org.careloop.app.intake.EhrPolling(store, importer, ehrClient);
    this.ehrNotifications =
        new org.careloop.app.intake.EhrNotifications(store, importer, ehrClient, ehrPolling);
    this.read = new ReadModel(db.dataSource(), cipher);
    this.metricFacts = new org.careloop.adapters.jdbc.JdbcMetricFacts(db.dataSource(), cipher);
    this.workspace = new org.careloop.app.casework.Workspace(store, read, engine);
  }

  /**
   * How long a message may stay SENDING before it counts as cut off by a crash and is reconciled:
   * CARELOOP_SENDING_LEASE ({@code 90s}, {@code 2m}), 2 minutes by default. Longer than any channel
   * call takes.
   */
  static java.time.Duration sendingLease() {
    return Channels.env("CARELOOP_SENDING_LEASE")
        .map(Careloop::duration)
        .orElse(Dispatcher.DEFAULT_SENDING_LEASE);
  }

  /** A duration as {@code 30s}, {@code 2m} or {@code 1h}. */
  static java.time.Duration duration(String text) {
    var m = java.util.regex.Pattern.compile("([0-9]+)([smh])").matcher(text.trim());
    if (!m.matches())
      throw new IllegalArgumentException("'" + text + "' is not a duration like 30s, 2m or 1h");
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> java.time.Duration.ofSeconds(n);
      case "m" -> java.time.Duration.ofMinutes(n);
      default -> java.time.Duration.ofHours(n);
    };
  }

  /** The practice's own protocol files: CARELOOP_PROTOCOLS (a folder of .yaml files), if set. */
  static Optional<Path> protocolsFolder() {
    return Channels.env("CARELOOP_PROTOCOLS").map(Path::of);
  }

  /** What would fire in the next {@code days} days across live plans; nothing is sent. */
  public Preview.Result preview(int days) {
    return Preview.of(
        store,
        engine.protocols(),
        clock.instant(),
        java.time.Duration.ofDays(days),
        practice(DEFAULT_PRACTICE).zone());
  }

  /**
   * Where patients reach careloop (tracked links, unsubscribe links, Twilio's webhooks):
   * CARELOOP_PUBLIC_URL, else this machine's loopback address on the default port.
   */
  public static String publicUrl() {
    return Optional.ofNullable(System.getenv("CARELOOP_PUBLIC_URL"))
        .or(() -> Optional.ofNullable(System.getProperty("careloop.public-url")))
        .filter(s -> !s.isBlank())
        .orElse("http://127.0.0.1:8080");
  }

  /**
   * Opens the database. A new database takes {@code clockMode} ("real" when empty); an existing one
   * keeps the mode it was created with.
   */
  public static Careloop open(
      String url, Optional<String> clockMode, Optional<Instant> simulatedStart, int poolSize) {
    var h2File = Database.h2File(url);
    if (h2File.isPresent() && h2File.get().getParent() != null)
      EmbeddedFiles.privateFolder(h2File.get().getParent());
    return open(url, clockMode, simulatedStart, poolSize, DatabaseSetup.cipherFor(url));
  }

  /** Opens the database with {@code cipher} as its key (just after a key rotation). */
  static Careloop openWithKey(String url, FieldCipher cipher) {
    return open(url, Optional.empty(), Optional.empty(), 2, cipher);
  }

  private static Careloop open(
      String url,
      Optional<String> clockMode,
      Optional<Instant> simulatedStart,
      int poolSize,
      FieldCipher cipher) {
    var db = Database.open(url, poolSize, cipher);
    try {
      var existing = db.clockMode();
      String mode = clockMode.orElse(existing.orElse("real"));
      if (!mode.equals("real") && !mode.equals("simulated")) {
        throw new IllegalArgumentException("--clock must be real or simulated, not " + mode);
      }
      db.initClock(mode, simulatedStart.orElseGet(() -> Clock.systemUTC().instant()));
      Clock clock = mode.equals("simulated") ? new SimulatedClock(db) : Clock.systemUTC();
      var careloop = new Careloop(db, clock, cipher);
      careloop.ensureDefaultPractice();
      return careloop;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  private void ensureDefaultPractice() {
    boolean missing =
        store.inTransaction(tx -> {
          try {
            tx.practice(DEFAULT_PRACTICE);
            return false;
          } catch (IllegalStateException e) {
            return true;
          }
        });
    if (missing) {
      store.upsertPractice(
          new Practice(
              DEFAULT_PRACTICE,
              "Your practice",
              ZoneId.of("America/New_York"),
              Optional.empty(),
              Optional.empty()));
    }
  }

  public Practice practice(String id) {
    return store.inTransaction(tx -> tx.practice(id));
  }

  public FhirReader fhirReader() {
    return fhirReader(DEFAULT_PRACTICE);
  }

  /** Reads FHIR into a practice. */
  public FhirReader fhirReader(String practiceId) {
    var p = practice(practiceId);
    return new FhirReader(p.id(), p.zone(), "US");
  }

  public WeeklyExportReader csvReader() {
    return csvReader(DEFAULT_PRACTICE);
  }

  /** Reads the weekly CSV into a practice. */
  public WeeklyExportReader csvReader(String practiceId) {
    var p = practice(practiceId);
    return new WeeklyExportReader(p.id(), p.zone(), "US");
  }

  public SyntheaExportReader syntheaReader() {
    return new SyntheaExportReader(DEFAULT_PRACTICE, practice(DEFAULT_PRACTICE).zone());
  }

  public ImportResult importBatch(ImportBatch batch) {
    return importer.importBatch(batch, clock.instant());
  }

  /** Imports a batch, telling {@code progress} how far it has come. */
  public ImportResult importBatch(ImportBatch batch, Importer.Progress progress) {
    return importer.importBatch(batch, clock.instant(), progress);
  }

  public boolean isSimulated() {
    return clock instanceof SimulatedClock;
  }

  /** The database itself, for tests and the key commands; everything else goes through ports. */
  public Database database() {
    return db;
  }

  /** The database's URL with any password hidden. */
  public String databaseUrl() {
    return Database.redact(db.url());
  }

  /** Creates or updates a practice (its own settings, not its caps or holidays). */
  public void upsertPractice(Practice practice) {
    store.upsertPractice(practice);
  }

  /** A protocol version the database has loaded. */
  public record LoadedProtocol(
      String protocolId, int version, String file, Instant loadedAt, String sha256) {}

  /** The protocol versions this database has loaded. */
  public java.util.List<LoadedProtocol> loadedProtocols() {
    return new ProtocolVersions(store)
        .all().stream()
            .map(r ->
                new LoadedProtocol(r.protocolId(), r.version(), r.file(), r.loadedAt(), r.sha256()))
            .toList();
  }

  public Clock clock() {
    return clock;
  }

  public Store store() {
    return store;
  }

  public Engine engine() {
    return engine;
  }

  public Importer importer() {
    return importer;
  }

  /** What careloop asks of an EHR's API (FHIR, or Healthie's GraphQL). */
  public org.careloop.app.intake.EhrClient ehrClient() {
    return ehrClient;
  }

  /** What careloop writes to an EHR's FHIR API (the write-back channels). */
  public org.careloop.app.messaging.EhrWriter ehrWriter() {
    return ehrWriter;
  }

  /** Polling the practices' EHR connections. */
  public org.careloop.app.intake.EhrPolling ehrPolling() {
    return ehrPolling;
  }

  private volatile Runnable ehrWake = () -> {};

  /** What to run when an EHR notification was stored: the EHR thread's work, when it runs here. */
  void onEhrNotification(Runnable wake) {
    this.ehrWake = wake;
  }

  /** An EHR notification was stored: its events are worked soon. */
  void ehrNotified() {
    ehrWake.run();
  }

  /** The EHRs' notifications: stored as they come, worked through after. */
  public org.careloop.app.intake.EhrNotifications ehrNotifications() {
    return ehrNotifications;
  }

  /** Setting up the practices' EHR connections. */
  public org.careloop.app.admin.EhrSetup ehrSetup() {
    return ehrSetup;
  }

  public Runner runner() {
    return runner;
  }

  public Reads read() {
    return read;
  }

  public Channels channels() {
    return channels;
  }

  public Replies replies() {
    return replies;
  }

  /**
   * Reads new bounce reports from the return-path mailbox, when one is configured, and applies
   * them.
   *
   * @return the reports that named an email careloop sent
   */
  public int pollBounces() {
    if (channels.bounces().isEmpty()) return 0;
    int applied = 0;
    for (var r : channels.bounces().get().readNew()) {
      if (deliveries.bounceReported(
          store, r.reportId(), r.messageId(), r.action(), r.status(), clock.instant())) applied++;
    }
    return applied;
  }

  public org.careloop.app.casework.Workspace workspace() {
    return workspace;
  }

  /** The stored facts the dashboard counts from. */
  public org.careloop.app.MetricFacts metricFacts() {
    return metricFacts;
  }

  /** The weekly care-gap report: made on each practice's day, kept, announced to its managers. */
  public org.careloop.app.reports.WeeklyCareGapReport weeklyCareGapReport() {
    return new org.careloop.app.reports.WeeklyCareGapReport(
        store, read, protocols(), channels.email(), publicUrl());
  }

  /**
   * The protocol versions careloop runs, for reading a plan on its own ({@code protocols()::of}).
   */
  public org.careloop.app.Protocols protocols() {
    return engine.protocols();
  }

  public AuditTrail auditLog() {
    return auditLog;
  }

  public Administration administration() {
    return administration;
  }

  /** See {@link Replies#resume}. */
  public void resume(String planId, String by) {
    replies.resume(planId, by, clock.instant());
  }

  public Deliveries deliveries() {
    return deliveries;
  }

  /** Moves a simulated clock to {@code to}, running everything due on the way. */
  public Runner.Counts advance(Instant to) {
    if (!(clock instanceof SimulatedClock sim)) {
      throw new IllegalStateException(
          "advance needs a database created with --clock simulated; this one runs on the real clock");
    }
    Instant from = sim.instant();
    if (to.isBefore(from))
      throw new IllegalArgumentException(
          "the simulated clock is at " + from + "; it cannot go back to " + to);
    return runner.advance(from, to, sim::set);
  }

  @Override
  public void close() {
    db.close();
  }
}
