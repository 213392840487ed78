package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.careloop.app.Store;
import org.careloop.app.engine.Engine;
import org.careloop.app.messaging.ChannelSender;
import org.careloop.app.messaging.Dispatcher;
import org.careloop.app.messaging.Message;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A message is sent once: committed SENDING before the channel is called, re-checked against the
 * rules right before, and reconciled with the channel after a crash instead of being resent.
 */
class SendOnceTest {
  static final Instant T0 = BadInputTest.NOW; // 10:00 in New York

  /** A remote channel that counts what it was handed and answers lookups as told. */
  static final class Channel implements ChannelSender {
    final AtomicInteger sent = new AtomicInteger();
    final ChannelSender.Lookup lookup;
    final AtomicInteger lookups = new AtomicInteger();

    Channel(ChannelSender.Lookup lookup) {
      this.lookup = lookup;
    }

    @Override
    public Optional<String> send(Store.Tx tx, Message m) {
      return Optional.of("SM" + sent.incrementAndGet());
    }

    @Override
    public Lookup lookUp(Message m, Instant attemptedAt) {
      lookups.incrementAndGet();
      return lookup;
    }
  }

  static Dispatcher dispatcher(ChannelSender sms, Clock wall) {
    return new Dispatcher(
        Map.of("SMS", sms),
        new org.careloop.app.messaging.Deliveries(new Engine(Shipped.protocols())),
        new org.careloop.app.messaging.Links("http://127.0.0.1:8080"),
        wall,
        Duration.ofMinutes(2));
  }

  /** What a kill -9 between "SENDING committed" and the channel's answer leaves behind. */
  static void crashMidSend(Queries q, javax.sql.DataSource ds, Instant attemptAt) throws Exception {
    try (var c = ds.getConnection();
        var ps =
            c.prepareStatement(
                "update outbox set status = 'SENDING', sending_at = ? where kind = 'MESSAGE'")) {
      ps.setObject(1, java.time.OffsetDateTime.ofInstant(attemptAt, ZoneOffset.UTC));
      ps.executeUpdate();
      c.commit();
    }
    assertThat(q.count("select count(*) from outbox where status = 'SENDING'")).isEqualTo(1);
  }

  /** What a test of a crash mid-send looks at afterwards. */
  interface AfterCrash {
    void check(Store store, Queries q, Channel sms, Instant wall) throws Exception;
  }

  /**
   * One intake left SENDING by a crash {@code ago} before the wall clock's now, and a channel that
   * answers lookups with {@code lookup}.
   */
  static void afterCrash(String kind, ChannelSender.Lookup lookup, Duration ago, AfterCrash then)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.oneIntake(store);
      var q = new Queries(db.dataSource());
      Instant wall = Instant.parse("2026-12-01T12:00:00Z");
      crashMidSend(q, db.dataSource(), wall.minus(ago));
      then.check(store, q, new Channel(lookup), wall);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void afterACrashMidSend_aMessageTheChannelHas_isRecordedSent_notSentAgain(String kind)
      throws Exception {
    afterCrash(
        kind,
        new ChannelSender.Lookup.Sent(Optional.of("SMfound")),
        Duration.ofSeconds(30),
        (store, q, sms, wall) -> {
          // Within the lease the attempt may still be live on another node: left alone.
          assertThat(dispatcher(sms, Clock.fixed(wall, ZoneOffset.UTC)).dispatchDue(store, T0, 10))
              .isZero();
          assertThat(sms.lookups.get()).isZero();
          // Past the lease: the channel is asked, and it has the message.
          var later = Clock.fixed(wall.plus(Duration.ofMinutes(3)), ZoneOffset.UTC);
          assertThat(dispatcher(sms, later).dispatchDue(store, T0, 10)).isEqualTo(1);
          assertThat(sms.sent.get()).isZero();
          assertThat(q.strings("select status || ' ' || provider_id from outbox"))
              .containsExactly("SENT SMfound");
          assertThat(q.strings("select detail from timeline_entry where kind = 'reconciled'"))
              .singleElement()
              .asString()
              .endsWith("went out before a restart (confirmed by the channel)");
        });
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void afterACrashMidSend_aMessageTheChannelNeverGot_isSentOnce(String kind) throws Exception {
    afterCrash(
        kind,
        new ChannelSender.Lookup.NotSent(),
        Duration.ofMinutes(5),
        (store, q, sms, wall) -> {
          var d = dispatcher(sms, Clock.fixed(wall, ZoneOffset.UTC));
          while (d.dispatchDue(store, T0, 10) > 0) {}
          assertThat(sms.lookups.get()).isEqualTo(1);
          assertThat(sms.sent.get()).isEqualTo(1);
          assertThat(q.strings("select status || ' ' || provider_id from outbox"))
              .containsExactly("SENT SM1");
        });
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void afterACrashMidSend_aChannelThatCannotTell_isNeverSentTwice_andSaysSo(String kind)
      throws Exception {
    afterCrash(
        kind,
        new ChannelSender.Lookup.Unknown(),
        Duration.ofMinutes(5),
        (store, q, sms, wall) -> {
          var d = dispatcher(sms, Clock.fixed(wall, ZoneOffset.UTC));
          while (d.dispatchDue(store, T0, 10) > 0) {}
          assertThat(sms.sent.get()).isZero();
          assertThat(q.strings("select status || ' ' || delivery_status from outbox"))
              .containsExactly("SENT in-doubt");
          assertThat(q.strings("select detail from timeline_entry where kind = 'reconciled'"))
              .singleElement()
              .asString()
              .contains("not sent again (in doubt)");
        });
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aMessageDueOnARetryAfterTheAllowedHours_isHeldToTheMorning_notSent(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.oneIntake(store);
      var q = new Queries(db.dataSource());
      var sms = new Channel(new ChannelSender.Lookup.NotSent());
      // Decided at 10:00; the first attempt only comes at 21:30 New York time (say, after an
      // outage): outside the allowed hours, it waits for 08:00 the next day.
      Instant late = Instant.parse("2026-03-03T02:30:00Z");
      var d = dispatcher(sms, Clock.systemUTC());
      assertThat(d.dispatchDue(store, late, 10)).isEqualTo(1);
      assertThat(sms.sent.get()).isZero();
      assertThat(q.strings("select status || ' ' || attempts from outbox"))
          .containsExactly("PENDING 0");
      assertThat(d.dispatchDue(store, late.plus(Duration.ofHours(1)), 10)).isZero();
      Instant morning = Instant.parse("2026-03-03T13:00:00Z"); // 08:00 EST
      assertThat(d.dispatchDue(store, morning, 10)).isEqualTo(1);
      assertThat(sms.sent.get()).isEqualTo(1);
      assertThat(q.strings("select detail from timeline_entry where kind = 'held'"))
          .singleElement()
          .asString()
          .contains("outside the allowed hours (08:00–21:00)");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aMessageDecidedBeforeThePlanEnded_isWithheldAtSend(String kind) throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var engine = new Engine(Shipped.protocols());
      DispatcherTest.oneIntake(store);
      String plan = Queries.plan("csv:MRN1:lab");
      store.inTransaction(tx ->
          engine.apply(
              tx, plan, new org.careloop.core.PlanEvent.PlanEnded("declined at the desk", T0), T0));
      var sms = new Channel(new ChannelSender.Lookup.NotSent());
      dispatcher(sms, Clock.systemUTC()).dispatchDue(store, T0, 10);
      assertThat(sms.sent.get()).isZero();
      var q = new Queries(db.dataSource());
      assertThat(q.strings("select status from outbox where kind = 'MESSAGE'"))
          .containsExactly("WITHHELD");
      assertThat(q.timeline(plan))
          .anyMatch(t -> t.endsWith("withheld at send: the plan is ended now"));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void sentOutreach_countsATextAndItsEmailTwinOnce_leavingOutTheMessageBeingSent(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var engine = new Engine(Shipped.protocols());
      DispatcherTest.importRow(
          store, engine, "MRN1,Sarah Lee,617-555-0101,sarah@example.org,Dr. M,lab,,2026-04-01");
      DispatcherTest.sandboxRunner(store, engine, T0).runDue(T0);
      var q = new Queries(db.dataSource());
      // Its email twin went out too, and a person's one-off message.
      for (String[] copy : new String[][] {{":EMAIL", "EMAIL"}, {":oneoff:x:SMS", "SMS"}})
        q.update(
            "insert into outbox (idempotency_key, plan_id, patient_id, kind, channel, status,"
                + " attempts, created_at, next_attempt_at, sent_at)"
                + " select replace(idempotency_key, ':SMS', '"
                + copy[0]
                + "'), plan_id, patient_id, kind, '"
                + copy[1]
                + "', status, attempts, created_at, next_attempt_at, sent_at from outbox"
                + " where channel = 'SMS' and idempotency_key not like '%oneoff%'");
      assertThat(q.strings("select channel from outbox where status = 'SENT' order by channel"))
          .containsExactly("EMAIL", "SMS", "SMS");
      String patient = q.strings("select patient_id from outbox").get(0);
      String intake = q.strings("select idempotency_key from outbox where channel = 'SMS'").get(0);
      String self = intake.substring(0, intake.length() - ":SMS".length());
      var since = T0.minus(Duration.ofDays(8));
      var now = T0.plus(Duration.ofHours(1));
      assertThat(
              store.<List<Instant>>inTransaction(
                  tx -> tx.sentOutreach(patient, "other", since, now)))
          .hasSize(1);
      assertThat(
              store.<List<Instant>>inTransaction(tx -> tx.sentOutreach(patient, self, since, now)))
          .isEmpty();
      // Another outreach another dispatcher is sending right now counts, at now: two engines
      // must not both pass the cap while neither has finished.
      q.update(
          "insert into outbox (idempotency_key, plan_id, patient_id, kind, channel, status,"
              + " attempts, created_at, next_attempt_at, sending_at)"
              + " select replace(idempotency_key, ':SMS', ':d7:SMS'), plan_id, patient_id, kind,"
              + " channel, 'SENDING', 0, created_at, next_attempt_at, created_at from outbox"
              + " where channel = 'SMS' and idempotency_key not like '%oneoff%'");
      assertThat(
              store.<List<Instant>>inTransaction(tx -> tx.sentOutreach(patient, self, since, now)))
          .containsExactly(now);
    }
  }
}
