package org.careloop.app.intake;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.careloop.app.EhrConnection;
import org.careloop.app.EhrEvents.EhrEvent;
import org.careloop.app.EhrEvents.Work;
import org.careloop.app.InputRejected;
import org.careloop.app.Store;

/**
 * An EHR's notifications: each stored first, in one transaction, before the EHR is answered ({@link
 * #accept}); worked through after ({@link #workDue}), oldest first, one connection at a time. A
 * redelivered event (the same key) is stored once. A full-resource event is imported as sent; an
 * id-only event fetches what it names; an empty event, a focus careloop cannot fetch, or events the
 * EHR's count says were missed, poll the connection. Importing the same thing again changes
 * nothing, so an event worked twice after a crash does no harm.
 */
public final class EhrNotifications {
  /** The most events of one connection worked in one round. */
  static final int ROUND = 50;

  /** Tries of an event the EHR does not answer before it is left to the next poll. */
  static final int MAX_ATTEMPTS = 6;

  /**
   * athenahealth's topic names that are not a FHIR resource type ({@code Order.signoff}): the type
   * an identifier-only focus is fetched as.
   */
  static final Map<String, String> TOPIC_TYPES = Map.of("Order", "ServiceRequest");

  /**
   * How long a gap in the EHR's event numbers waits for its events to come out of order before it
   * is polled.
   */
  static final Duration GAP_GRACE = Duration.ofSeconds(30);

  /** A gap wider than this is polled without looking for its events one by one. */
  static final int MAX_GAP_CHECKED = 500;

  /** The key of a gap's poll: {@code missed:}, the events' key prefix, and the numbers. */
  static final String MISSED = "missed:";

  private final Store store;
  private final Importer importer;
  private final EhrClient client;
  private final EhrPolling polling;

  public EhrNotifications(Store store, Importer importer, EhrClient client, EhrPolling polling) {
    this.store = store;
    this.importer = importer;
    this.client = client;
    this.polling = polling;
  }

  /** The practice's connection {@code name}, when it is connected and takes notifications. */
  public Optional<EhrConnection> listening(String practiceId, String name) {
    return store
        .inTransaction(tx -> tx.connection(practiceId, name))
        .filter(c -> c.active() && c.notifications().isPresent());
  }

  /**
   * What storing a notification did.
   *
   * @param stored events stored to be worked
   * @param repeated events already stored (a redelivery)
   * @param missed events the EHR's count says never came (a poll is stored for them)
   */
  public record Accepted(int stored, int repeated, long missed) {}

  /** Stores what the notification says for the connection, all of it or (on a failure) none. */
  public Accepted accept(EhrConnection c, EhrNotification n, Instant now) {
    String practice = c.practiceId();
    String name = c.name();
    return store.inTransaction(tx -> {
      tx.lockConnection(practice, name);
      var seen =
          tx.subscription(practice, name)
              .flatMap(org.careloop.app.EhrEvents.Subscription::eventsSeen);
      boolean restart = n.type().equals("handshake");
      var numbers = n.events().stream().flatMap(e -> e.number().stream()).toList();
      long reached =
          Math.max(
              n.eventsSinceStart().orElse(0L),
              numbers.stream().mapToLong(Long::longValue).max().orElse(0L));
      // What the EHR had sent before this notification, by its own count.
      long before =
          numbers.isEmpty()
              ? reached - n.events().size()
              : numbers.stream().mapToLong(Long::longValue).min().orElse(1L) - 1;
      long missed = restart || seen.isEmpty() ? 0 : Math.max(0, before - seen.get());
      int stored = 0;
      int repeated = 0;
      // Deliveries come out of order (athenahealth says so): a gap is polled only when the
      // missing events have not come after a grace period.
      if (missed > 0
          && tx.addEvent(
              practice,
              name,
              MISSED + keyPrefix(n) + (seen.get() + 1) + "-" + before,
              Work.POLL,
              Optional.empty(),
              Optional.empty(),
              now,
              now.plus(GAP_GRACE))) stored++;
      for (var e : n.events()) {
        var resource = e.resource();
        var focus = e.focus().or(() -> identifierSearch(n, e));
        Work work =
            resource.isPresent() ? Work.RESOURCE : focus.isPresent() ? Work.FETCH : Work.POLL;
        if (tx.addEvent(practice, name, e.key(), work, focus, resource, now)) stored++;
        else repeated++;
      }
      tx.noteNotification(
          practice,
          name,
          n.type(),
          reached > 0 || restart ? Optional.of(reached) : Optional.empty(),
          restart,
          now);
      return new Accepted(stored, repeated, missed);
    });
  }

  /**
   * What the keys of the notification's numbered events start with before their number ({@code
   * Subscription/1#}): the keys a gap's events will have when they come.
   */
  static String keyPrefix(EhrNotification n) {
    for (var e : n.events())
      if (e.number().isPresent() && e.key().endsWith("#" + e.number().get()))
        return e.key().substring(0, e.key().length() - String.valueOf(e.number().get()).length());
    // As the adapter names it in event keys: its last two path segments (Subscription/1).
    String s = n.subscription().orElse("");
    int last = s.lastIndexOf('/');
    int before = last > 0 ? s.lastIndexOf('/', last - 1) : -1;
    return s.substring(before + 1) + "#";
  }

  /**
   * Whether every event of a gap ({@code missed:Subscription/1#4-7}) has come since it was seen:
   * then there is nothing to poll for.
   */
  private boolean gapFilled(EhrConnection c, String key) {
    int hash = key.lastIndexOf('#');
    int dash = key.lastIndexOf('-');
    if (!key.startsWith(MISSED) || hash < 0 || dash < hash) return false;
    long from;
    long to;
    try {
      from = Long.parseLong(key.substring(hash + 1, dash));
      to = Long.parseLong(key.substring(dash + 1));
    } catch (NumberFormatException e) {
      return false;
    }
    if (to < from || to - from >= MAX_GAP_CHECKED) return false;
    String prefix = key.substring(MISSED.length(), hash + 1);
    var keys = new ArrayList<String>();
    for (long i = from; i <= to; i++) keys.add(prefix + i);
    return store.inTransaction(tx -> tx.storedEvents(c.practiceId(), c.name(), keys))
        == keys.size();
  }

  /**
   * A search for a focus named by an identifier only: its type from the topic ({@code
   * …/SubscriptionTopic/Appointment.schedule}), when the topic names one.
   */
  static Optional<String> identifierSearch(EhrNotification n, EhrNotification.Event e) {
    if (e.focusIdentifier().isEmpty() || n.topic().isEmpty()) return Optional.empty();
    String topic = n.topic().get();
    String last = topic.substring(topic.lastIndexOf('/') + 1);
    int dot = last.indexOf('.');
    String type = dot > 0 ? last.substring(0, dot) : last;
    type = TOPIC_TYPES.getOrDefault(type, type);
    if (!type.matches("[A-Z][A-Za-z]{1,39}")) return Optional.empty();
    return Optional.of(type + "?identifier=" + e.focusIdentifier().get());
  }

  /**
   * What one round of work did for one connection.
   *
   * @param worked events worked to their end
   * @param retrying events the EHR did not answer, to be tried again
   */
  public record Round(String practiceId, String connection, int worked, int retrying) {
    /** It took as many events as a round takes: more may be waiting. */
    public boolean full() {
      return worked + retrying >= ROUND;
    }
  }

  /** Works the due events of every connected connection of every practice, one round each. */
  public List<Round> workDue(Instant now) {
    var rounds = new ArrayList<Round>();
    for (var practiceId : store.inTransaction(Store.Tx::practiceIds))
      for (var c : store.inTransaction(tx -> tx.connections(practiceId)))
        if (c.active()) {
          var round = work(c, now);
          if (round.worked() + round.retrying() > 0) rounds.add(round);
        }
    return rounds;
  }

  /** Works one round of the connection's due events, oldest first. */
  public Round work(EhrConnection c, Instant now) {
    var due = store.inTransaction(tx -> tx.dueEvents(c.practiceId(), c.name(), now, ROUND));
    int worked = 0;
    int retrying = 0;
    Optional<String> polled = Optional.empty();
    for (var e : due) {
      String outcome;
      try {
        outcome =
            switch (e.work()) {
              case RESOURCE -> importResource(c, e, now);
              case FETCH -> imported(client.fetch(c, e.focus().orElseThrow()), now);
              // One poll serves every poll the round has.
              case POLL -> {
                if (gapFilled(c, e.key())) yield "the missed events came since (out of order)";
                if (polled.isEmpty()) polled = Optional.of(poll(c, now));
                yield polled.get();
              }
            };
      } catch (EhrClient.Unreachable x) {
        if (e.attempts() + 1 < MAX_ATTEMPTS) {
          retrying++;
          var next = now.plus(Duration.ofMinutes(1L << e.attempts()));
          store.inTransaction(tx -> {
            tx.eventRetry(c.practiceId(), c.name(), e.id(), "EHR not reached; tried again", next);
            return null;
          });
          continue;
        }
        outcome = "EHR not reached after " + MAX_ATTEMPTS + " tries; the next poll reads it";
      } catch (InputRejected x) {
        outcome = "refused at " + x.where();
      }
      String done = outcome;
      store.inTransaction(tx -> {
        tx.eventDone(c.practiceId(), c.name(), e.id(), done, now);
        return null;
      });
      worked++;
    }
    return new Round(c.practiceId(), c.name(), worked, retrying);
  }

  /**
   * A full-resource event: imported as sent; when it points at a patient or plan careloop does not
   * know yet, fetched with what it points at.
   */
  private String importResource(EhrConnection c, EhrEvent e, Instant now) {
    String source = "notification event " + e.key() + " from EHR connection " + c.name();
    String json = e.resource().orElseThrow();
    var version = client.lastUpdated(json);
    var focus = e.focus();
    if (version.isPresent() && focus.isPresent()) {
      // Deliveries come out of order: a version older than one already taken is not imported
      // over it.
      var taken = store.inTransaction(tx -> tx.takenVersion(c.practiceId(), c.name(), focus.get()));
      if (taken.isPresent() && taken.get().isAfter(version.get()))
        return "an older version than one already taken (" + taken.get() + "); not imported";
    }
    try {
      String outcome = imported(client.read(c, json, source), now);
      if (version.isPresent() && focus.isPresent())
        store.inTransaction(tx -> {
          tx.tookVersion(c.practiceId(), c.name(), focus.get(), version.get());
          return null;
        });
      return outcome;
    } catch (InputRejected x) {
      if (e.focus().isEmpty()) throw x;
      return imported(client.fetch(c, e.focus().get()), now);
    }
  }

  private String imported(ImportBatch batch, Instant now) {
    if (batch.patients().isEmpty() && batch.plans().isEmpty() && batch.appointments().isEmpty())
      return "nothing careloop follows";
    var r = importer.importBatch(batch, now);
    return "imported: "
        + r.plansCreated()
        + " plan(s) created, "
        + r.plansUpdated()
        + " updated, "
        + r.appointmentEvents()
        + " appointment event(s)";
  }

  private String poll(EhrConnection c, Instant now) {
    var r = polling.poll(c.practiceId(), c.name(), now);
    return "polled: "
        + r.read().values().stream().mapToInt(Integer::intValue).sum()
        + " changed resource(s)"
        + r.imported().map(i -> ", " + i.plansCreated() + " plan(s) created").orElse("");
  }
}
