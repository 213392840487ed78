package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.careloop.adapters.csv.WeeklyExportReader;
import org.careloop.app.Store;
import org.careloop.app.engine.Engine;
import org.careloop.app.intake.Importer;
import org.careloop.app.messaging.ChannelSender;
import org.careloop.app.messaging.Dispatcher;
import org.careloop.app.messaging.Message;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The outbox: retries with backoff, dead letters, each item sent once. */
class DispatcherTest {
  static final Instant T0 = BadInputTest.NOW;

  /** A channel that fails a given number of times first, as an outside service might. */
  static final class Flaky implements ChannelSender {
    final AtomicInteger failuresLeft;
    final boolean permanent;
    final AtomicInteger delivered = new AtomicInteger();

    Flaky(int failures, boolean permanent) {
      this.failuresLeft = new AtomicInteger(failures);
      this.permanent = permanent;
    }

    @Override
    public java.util.Optional<String> send(Store.Tx tx, Message m) {
      if (failuresLeft.getAndDecrement() > 0) {
        if (permanent) throw new PermanentFailure("invalid number");
        throw new IllegalStateException("503 from the provider");
      }
      delivered.incrementAndGet();
      return java.util.Optional.empty();
    }
  }

  static Dispatcher dispatcher(Map<String, ChannelSender> senders) {
    return dispatcher(senders, new Engine(Shipped.protocols()));
  }

  /** A dispatcher whose re-check and fallback see the protocols {@code engine} decides with. */
  static Dispatcher dispatcher(Map<String, ChannelSender> senders, Engine engine) {
    return new Dispatcher(
        senders,
        new org.careloop.app.messaging.Deliveries(engine),
        new org.careloop.app.messaging.Links("http://127.0.0.1:8080"));
  }

  /** A runner whose every channel is the sandbox, on a clock fixed at {@code at}. */
  static org.careloop.app.engine.Runner sandboxRunner(Store store, Engine engine, Instant at) {
    var sandbox =
        new org.careloop.adapters.jdbc.SandboxSender(
            java.time.Clock.fixed(at, java.time.ZoneOffset.UTC));
    return new org.careloop.app.engine.Runner(
        store,
        engine,
        dispatcher(
            Map.<String, ChannelSender>of(
                "SMS", sandbox, "EMAIL", sandbox, "EHR_NOTE", sandbox, "EHR_INBOX", sandbox),
            engine));
  }

  static void oneIntake(Store store) {
    importRow(store, "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-04-01");
  }

  static void importRow(Store store, String row) {
    importRow(store, new Engine(Shipped.protocols()), row);
  }

  /** Imports one weekly-export row, starting its plan on the engine's latest protocol. */
  static void importRow(Store store, Engine engine, String row) {
    var reader = new WeeklyExportReader("default", java.time.ZoneId.of("America/New_York"), "US");
    new Importer(store, engine, Shipped.DEFAULT)
        .importBatch(reader.read(BadInputTest.HEADER + row + "\n", "x.csv", T0), T0);
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void transientFailures_areRetriedWithBackoff_thenSentOnce(String kind) throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      oneIntake(store);
      var sms = new Flaky(2, false);
      var d = dispatcher(Map.of("SMS", sms));
      var q = new Queries(db.dataSource());
      assertThat(d.dispatchDue(store, T0, 10)).isEqualTo(1);
      assertThat(q.strings("select attempts || ' ' || status from outbox"))
          .containsExactly("1 PENDING");
      // Not due again until the backoff has passed.
      assertThat(d.dispatchDue(store, T0.plus(Duration.ofSeconds(29)), 10)).isZero();
      assertThat(d.dispatchDue(store, T0.plus(Duration.ofSeconds(30)), 10)).isEqualTo(1);
      assertThat(d.dispatchDue(store, T0.plus(Duration.ofSeconds(89)), 10)).isZero();
      assertThat(d.dispatchDue(store, T0.plus(Duration.ofSeconds(90)), 10)).isEqualTo(1);
      assertThat(q.strings("select attempts || ' ' || status from outbox"))
          .containsExactly("3 SENT");
      assertThat(d.dispatchDue(store, T0.plus(Duration.ofDays(1)), 10)).isZero();
      assertThat(sms.delivered.get()).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void permanentFailure_orTooManyAttempts_isADeadLetterWithTheError(String kind) throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      oneIntake(store);
      var q = new Queries(db.dataSource());
      dispatcher(Map.of("SMS", new Flaky(1, true))).dispatchDue(store, T0, 10);
      assertThat(q.strings("select status || ' ' || last_error from outbox"))
          .containsExactly("DEAD invalid number");

      importRow(store, "MRN2,Ana Diaz,617-555-0102,,Dr. M,lab,,2026-04-01");
      var always = dispatcher(Map.of("SMS", new Flaky(100, false)));
      Instant t = T0;
      for (int i = 0; i < Dispatcher.MAX_ATTEMPTS; i++) {
        always.dispatchDue(store, t, 10);
        t =
            t.plus(
                Duration.ofHours(1)); // within the allowed hours: a held message is not an attempt
      }
      assertThat(
              q.strings(
                  "select o.attempts || ' ' || o.status from outbox o where o.plan_id = ?",
                  Queries.plan("csv:MRN2:lab")))
          .containsExactly(Dispatcher.MAX_ATTEMPTS + " DEAD");
    }
  }
}
