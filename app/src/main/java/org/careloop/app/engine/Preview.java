package org.careloop.app.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;
import org.careloop.app.Protocols;
import org.careloop.app.Store;
import org.careloop.core.Contact;
import org.careloop.core.Effect;
import org.careloop.core.PlanDecider;
import org.careloop.core.PlanEvent;
import org.careloop.core.PlanState;

/**
 * What would fire in the next days across live plans, per day, protocol and channel, if nothing
 * else happened (no replies, no EHR updates). The deterministic core is run forward in memory on
 * the stored plans; nothing is written and nothing is sent. The messaging rules apply as they would
 * (caps across a patient's plans, quiet hours, opt-outs), so deferred messages show on the day they
 * would really go.
 */
public final class Preview {
  private Preview() {}

  /**
   * One line of the preview.
   *
   * @param what a channel (SMS, EMAIL) for messages, TASK for coordinator tasks, PROVIDER for
   *     provider notifications
   */
  public record Row(LocalDate day, String protocol, String what, int count) {}

  /** Plans whose wake-ups were run. */
  public record Result(List<Row> rows, int plans) {}

  private record Pending(Instant at, PlanState state) {}

  public static Result of(
      Store store, Protocols protocols, Instant now, Duration horizon, ZoneId zone) {
    Instant until = now.plus(horizon);
    return store.inTransaction(tx -> {
      var plans = tx.plansWakingBy(until);
      var patients = new TreeSet<String>();
      for (var p : plans) patients.add(p.state().patientId());
      Map<String, Contact> contacts = new HashMap<>(tx.contacts(patients, now));
      var queue =
          new PriorityQueue<Pending>(
              Comparator.comparing(Pending::at).thenComparing(p -> p.state().planId()));
      for (var p : plans)
        p.nextWakeupAt()
            .ifPresent(at -> queue.add(new Pending(at.isBefore(now) ? now : at, p.state())));
      var counts = new TreeMap<String, Integer>();
      int guard = 0;
      while (!queue.isEmpty() && guard++ < 1_000_000) {
        var next = queue.poll();
        var state = next.state();
        var protocol = protocols.of(state);
        var contact = contacts.get(state.patientId());
        if (contact == null) continue;
        var d = PlanDecider.decide(state, new PlanEvent.TimerFired(), next.at(), protocol, contact);
        LocalDate day = next.at().atZone(zone).toLocalDate();
        String name = protocol.id() + " v" + protocol.version();
        for (var e : d.effects()) {
          String what =
              switch (e) {
                case Effect.SendTouchpoint t -> t.channel().name();
                case Effect.CreateTask t -> "TASK";
                case Effect.NotifyProvider n -> "PROVIDER";
                default -> null;
              };
          if (what != null) counts.merge(day + "\t" + name + "\t" + what, 1, Integer::sum);
        }
        Engine.learn(contacts, contact, d, next.at());
        d.nextWakeupAt()
            .filter(at -> !at.isAfter(until))
            .ifPresent(at ->
                queue.add(
                    new Pending(at.isAfter(next.at()) ? at : next.at().plusSeconds(1), d.state())));
      }
      var rows = new ArrayList<Row>();
      counts.forEach((k, n) -> {
        var parts = k.split("\t", -1);
        rows.add(new Row(LocalDate.parse(parts[0]), parts[1], parts[2], n));
      });
      return new Result(rows, plans.size());
    });
  }
}
