package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.careloop.app.EhrConnection;
import org.careloop.app.EhrEvents.EhrEvent;
import org.careloop.app.EhrEvents.Work;
import org.careloop.app.admin.EhrSetup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The inbox of EHR notifications on both databases: an event stored once per (practice, connection,
 * key), the other practice's same key its own; due events oldest first, a retry waiting its time; a
 * carried resource encrypted at rest and dropped once worked; the subscription's count only raised,
 * except by a handshake.
 */
class EhrEventsTest {
  static final Instant T0 = EhrConnectionsTest.T0;
  static final String RESOURCE = "{\"resourceType\":\"Appointment\",\"id\":\"appt-9\"}";

  static java.util.List<EhrEvent> due(org.careloop.app.Store store, Instant at) {
    return store.inTransaction(tx -> tx.dueEvents("default", "main", at, 10));
  }

  static Optional<org.careloop.app.EhrEvents.Subscription> subscription(
      org.careloop.app.Store store, String practice) {
    return store.inTransaction(tx -> tx.subscription(practice, "main"));
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void events_areStoredOncePerPracticeAndConnection_andWorkedOldestFirst(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithTwoPractices(db);
      var setup = new EhrSetup(store);
      var notified =
          Optional.of(
              new EhrConnection.Notifications(
                  EhrConnection.Check.HEADER, "Authorization", "env:NOTIFY"));
      for (var practice : new String[] {"default", "lakeside"}) {
        var c = EhrConnectionsTest.connection(practice, "main", "https://ehr.example/fhir");
        setup.connect(
            "ada",
            new EhrConnection(
                c.practiceId(),
                c.name(),
                c.fhirBase(),
                c.auth(),
                c.clientId(),
                c.scope(),
                c.tokenEndpoint(),
                c.secretRef(),
                notified,
                c.createdAt(),
                c.disconnectedAt()),
            T0);
      }
      assertThat(setup.connections("lakeside").get(0).notifications()).isEqualTo(notified);

      boolean[] added =
          store.inTransaction(tx ->
              new boolean[] {
                tx.addEvent(
                    "default",
                    "main",
                    "Subscription/s1#1",
                    Work.RESOURCE,
                    Optional.of("Appointment/appt-9"),
                    Optional.of(RESOURCE),
                    T0),
                tx.addEvent(
                    "default",
                    "main",
                    "Subscription/s1#2",
                    Work.FETCH,
                    Optional.of("CarePlan/cp-1"),
                    Optional.empty(),
                    T0),
                // A redelivery of the first: not stored again.
                tx.addEvent(
                    "default",
                    "main",
                    "Subscription/s1#1",
                    Work.RESOURCE,
                    Optional.of("Appointment/appt-9"),
                    Optional.of(RESOURCE),
                    T0.plusSeconds(5)),
                // The same key in the other practice is that practice's own event.
                tx.addEvent(
                    "lakeside",
                    "main",
                    "Subscription/s1#1",
                    Work.POLL,
                    Optional.empty(),
                    Optional.empty(),
                    T0)
              });
      assertThat(added).containsExactly(true, true, false, true);

      var due = store.inTransaction(tx -> tx.dueEvents("default", "main", T0, 10));
      assertThat(due)
          .extracting(EhrEvent::key, EhrEvent::work, EhrEvent::resource)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  "Subscription/s1#1", Work.RESOURCE, Optional.of(RESOURCE)),
              org.assertj.core.groups.Tuple.tuple(
                  "Subscription/s1#2", Work.FETCH, Optional.empty()));
      var q = new Queries(db.dataSource());
      // Encrypted at rest: the resource's words are not in the table.
      assertThat(q.count("select count(*) from ehr_event where resource like '%Appointment%'"))
          .isZero();
      assertThat(q.count("select count(*) from ehr_event where resource is not null")).isEqualTo(1);

      long first = due.get(0).id();
      long second = due.get(1).id();
      store.inTransaction(tx -> {
        tx.eventDone("default", "main", first, "imported", T0.plusSeconds(1));
        tx.eventRetry("default", "main", second, "EHR not reached", T0.plusSeconds(60));
        return null;
      });
      // Worked: the resource is dropped. Waiting: not due before its time.
      assertThat(q.count("select count(*) from ehr_event where resource is not null")).isZero();
      assertThat(due(store, T0.plusSeconds(59))).isEmpty();
      assertThat(due(store, T0.plusSeconds(60)))
          .extracting(EhrEvent::id, EhrEvent::attempts)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(second, 1));
      assertThat(setup.show("default", "main").orElseThrow().pending()).isEqualTo(1);
      assertThat(setup.show("lakeside", "main").orElseThrow().pending()).isEqualTo(1);

      // The subscription's count: raised, never lowered by a late notification; a handshake
      // starts it again.
      store.inTransaction(tx -> {
        tx.noteNotification("default", "main", "event-notification", Optional.of(5L), false, T0);
        tx.noteNotification("default", "main", "event-notification", Optional.of(3L), false, T0);
        return null;
      });
      assertThat(subscription(store, "default"))
          .map(s -> s.eventsSeen().orElseThrow())
          .contains(5L);
      store.inTransaction(tx -> {
        tx.noteNotification("default", "main", "handshake", Optional.of(0L), true, T0);
        return null;
      });
      assertThat(subscription(store, "default"))
          .map(s -> s.type() + " " + s.eventsSeen().orElseThrow())
          .contains("handshake 0");
      assertThat(subscription(store, "lakeside")).isEmpty();
    }
  }

  /**
   * The same event delivered twice at once (an EHR retrying while the first is still answered):
   * each delivery holds the connection, so one stores it and the other finds it stored; neither
   * fails on the unique key (which would answer the EHR 500).
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void theSameEventDeliveredTwiceAtOnce_isStoredOnce_andNeitherFails(String kind) throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = connected(db);
      var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        java.util.concurrent.Callable<Boolean> delivery =
            () ->
                store.inTransaction(tx -> {
                  tx.lockConnection("default", "main");
                  // Long enough for the other delivery to look for the event in the meantime.
                  try {
                    Thread.sleep(300);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return tx.addEvent(
                      "default",
                      "main",
                      "Subscription/s1#7",
                      Work.FETCH,
                      Optional.of("Appointment/appt-7"),
                      Optional.empty(),
                      T0);
                });
        var a = pool.submit(delivery);
        var b = pool.submit(delivery);
        assertThat(java.util.List.of(a.get(), b.get())).containsExactlyInAnyOrder(true, false);
      } finally {
        pool.shutdownNow();
      }
      assertThat(due(store, T0)).hasSize(1);
    }
  }

  /** A store with the two practices, the default one connected to its EHR as main. */
  static org.careloop.app.Store connected(org.careloop.adapters.jdbc.Database db) {
    var store = TestDatabases.storeWithTwoPractices(db);
    new EhrSetup(store)
        .connect(
            "ada",
            EhrConnectionsTest.connection("default", "main", "https://ehr.example/fhir"),
            T0);
    return store;
  }

  static int purge(org.careloop.app.Store store, Instant before) {
    return store.inTransaction(tx -> tx.purgeWorkedEvents(before));
  }

  /** Worked events are forgotten after their time; waiting ones and newer ones are kept. */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void workedEvents_areForgottenAfterTheirTime_waitingOnesKept(String kind) throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = connected(db);
      store.inTransaction(tx -> {
        for (int i = 1; i <= 3; i++)
          tx.addEvent(
              "default",
              "main",
              "Subscription/s1#" + i,
              Work.POLL,
              Optional.empty(),
              Optional.empty(),
              T0);
        return null;
      });
      var due = due(store, T0);
      store.inTransaction(tx -> {
        tx.eventDone("default", "main", due.get(0).id(), "imported", T0.plusSeconds(10));
        tx.eventDone("default", "main", due.get(1).id(), "imported", T0.plusSeconds(20));
        return null;
      });
      assertThat(purge(store, T0.plusSeconds(10))).isZero();
      assertThat(purge(store, T0.plusSeconds(15))).isEqualTo(1);
      var q = new Queries(db.dataSource());
      assertThat(q.count("select count(*) from ehr_event")).isEqualTo(2);
      assertThat(purge(store, T0.plusSeconds(3600))).isEqualTo(1);
      // The one still waiting is kept, whatever its age.
      assertThat(due(store, T0)).extracting(EhrEvent::key).containsExactly("Subscription/s1#3");
    }
  }

  static Optional<Instant> taken(org.careloop.app.Store store, String practice, String focus) {
    return store.inTransaction(tx -> tx.takenVersion(practice, "main", focus));
  }

  /** The newest version taken of a resource only moves forward, per practice and connection. */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void theVersionTaken_onlyMovesForward(String kind) throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = connected(db);
      String appt = "Appointment/appt-9";
      store.inTransaction(tx -> {
        tx.tookVersion("default", "main", appt, T0.plusSeconds(60));
        // An older one taken after (it was imported before this check existed): not recorded.
        tx.tookVersion("default", "main", appt, T0);
        return null;
      });
      assertThat(taken(store, "default", appt)).contains(T0.plusSeconds(60));
      store.inTransaction(tx -> {
        tx.tookVersion("default", "main", appt, T0.plusSeconds(120));
        return null;
      });
      assertThat(taken(store, "default", appt)).contains(T0.plusSeconds(120));
      assertThat(taken(store, "lakeside", appt)).isEmpty();
      assertThat(taken(store, "default", "Appointment/other")).isEmpty();

      // A poll's versions: newer ones of what was taken move it on; older ones, and resources
      // never taken, leave the table as it is.
      store.inTransaction(tx -> {
        tx.tookNewerVersions(
            "default",
            "main",
            java.util.Map.of(appt, T0.plusSeconds(180), "Appointment/other", T0.plusSeconds(180)));
        return null;
      });
      assertThat(taken(store, "default", appt)).contains(T0.plusSeconds(180));
      assertThat(taken(store, "default", "Appointment/other")).isEmpty();
      store.inTransaction(tx -> {
        tx.tookNewerVersions("default", "main", java.util.Map.of(appt, T0));
        return null;
      });
      assertThat(taken(store, "default", appt)).contains(T0.plusSeconds(180));
    }
  }
}
