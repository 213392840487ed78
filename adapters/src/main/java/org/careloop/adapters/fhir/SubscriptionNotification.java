package org.careloop.adapters.fhir;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.careloop.app.InputRejected;
import org.careloop.app.intake.EhrNotification;
import org.careloop.app.intake.EhrNotification.Event;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A FHIR Subscriptions notification as an EHR sends it: a Bundle whose first entry says what it is,
 * in one of the shapes servers send. The R4 Backport shape (a {@code Parameters} of the
 * backport-subscription-status-r4 profile, its {@code subscription} sometimes a plain string), and
 * the R4B/R5 shape athenahealth sends inside an R4 Bundle (a {@code SubscriptionStatus}, whose
 * events carry their own id and may point at their focus by identifier only). Read as JSON rather
 * than with HAPI's R4 model, which has no {@code SubscriptionStatus}.
 *
 * <p>Read into {@link EhrNotification}, what careloop keeps of any shape.
 */
public final class SubscriptionNotification {
  private SubscriptionNotification() {}

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The notification types the Subscriptions framework defines. */
  static final List<String> TYPES =
      List.of("handshake", "heartbeat", "event-notification", "query-status", "query-event");

  /** Reads a notification body; {@code source} names it in errors ("notification to main"). */
  public static EhrNotification read(String body, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (tools.jackson.core.JacksonException e) {
      throw new InputRejected(source, "not JSON: " + e.getOriginalMessage());
    }
    if (!root.path("resourceType").asString("").equals("Bundle"))
      throw new InputRejected(source, "a notification is a Bundle, not " + kind(root));
    String bundleType = root.path("type").asString("");
    if (!bundleType.equals("history") && !bundleType.equals("subscription-notification"))
      throw new InputRejected(
          source + ": Bundle.type",
          "a notification Bundle is of type history (R4) or subscription-notification, not '"
              + bundleType
              + "'");
    var entries = root.path("entry");
    if (!entries.isArray() || entries.size() == 0)
      throw new InputRejected(source + ": Bundle.entry", "a notification has its status first");
    var status = entries.get(0).path("resource");
    String where = source + ": Bundle.entry[0].resource";
    var notification =
        switch (status.path("resourceType").asString("")) {
          case "Parameters" -> fromParameters(status, where);
          case "SubscriptionStatus" -> fromStatus(status, where);
          default ->
              throw new InputRejected(
                  where, "the status is a Parameters or SubscriptionStatus, not " + kind(status));
        };
    if (!TYPES.contains(notification.type()))
      throw new InputRejected(
          where, "notification type '" + notification.type() + "' is not one of " + TYPES);
    return withResources(notification, entries);
  }

  /**
   * An R4 rest-hook subscription's ping (a criteria-based Subscription without a payload): a POST
   * with no body, saying only that something matched. Worked as an empty event: a poll. Each ping
   * is an event of its own, since nothing tells two apart.
   */
  public static EhrNotification ping() {
    return oneEvent(
        new Event(
            "rest-hook-ping:" + java.util.UUID.randomUUID(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty()));
  }

  /** A notification of one event, from a sender that names no subscription, topic or count. */
  private static EhrNotification oneEvent(Event e) {
    return new EhrNotification(
        "event-notification", Optional.empty(), Optional.empty(), Optional.empty(), List.of(e));
  }

  /**
   * An R4 rest-hook subscription's notification with its payload: the resource that matched, sent
   * as an update to {@code [endpoint]/[type]/[id]}. One event, keyed by the resource's version (so
   * the same version sent again is stored once), carrying the resource.
   */
  public static EhrNotification restHook(String type, String id, String body, String source) {
    if (!type.matches("[A-Z][A-Za-z]{1,39}") || !id.matches("[A-Za-z0-9\\-.]{1,64}"))
      throw new InputRejected(source, "a rest-hook update is sent to [endpoint]/[type]/[id]");
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (tools.jackson.core.JacksonException e) {
      throw new InputRejected(source, "not JSON: " + e.getOriginalMessage());
    }
    if (!root.path("resourceType").asString("").equals(type))
      throw new InputRejected(
          source + ": resourceType",
          "the resource sent to " + type + "/" + id + " is " + kind(root));
    if (!root.path("id").asString("").equals(id))
      throw new InputRejected(
          source + ": id", "the resource's id is not the one in the address (" + id + ")");
    var meta = root.path("meta");
    String version =
        meta.path("versionId").isString()
            ? "/_history/" + meta.path("versionId").asString()
            : meta.path("lastUpdated").isString()
                ? "@" + meta.path("lastUpdated").asString()
                : "#" + java.util.UUID.randomUUID();
    return oneEvent(
        new Event(
            "rest-hook:" + type + "/" + id + version,
            Optional.empty(),
            Optional.of(type + "/" + id),
            Optional.empty(),
            Optional.of(body)));
  }

  private static String kind(JsonNode node) {
    var t = node.path("resourceType").asString("");
    return t.isEmpty() ? "something without a resourceType" : "a " + t;
  }

  private static EhrNotification fromParameters(JsonNode p, String where) {
    String type = "";
    Optional<String> subscription = Optional.empty();
    Optional<String> topic = Optional.empty();
    Optional<Long> since = Optional.empty();
    var events = new ArrayList<JsonNode>();
    for (var param : p.path("parameter").values()) {
      switch (param.path("name").asString("")) {
        case "type" -> type = param.path("valueCode").asString("");
        // Servers send it as a reference, and some as a plain string.
        case "subscription" ->
            subscription =
                text(param.path("valueReference").path("reference"))
                    .or(() -> text(param.path("valueString")))
                    .or(() -> text(param.path("valueUri")));
        case "topic" ->
            topic =
                text(param.path("valueCanonical"))
                    .or(() -> text(param.path("valueUri")))
                    .or(() -> text(param.path("valueString")));
        case "events-since-subscription-start" -> since = number(param, where, R4_COUNT);
        case "notification-event" -> events.add(param);
        default -> {}
      }
    }
    var out = new ArrayList<Event>();
    for (var e : events) {
      Optional<Long> number = Optional.empty();
      Optional<String> focus = Optional.empty();
      for (var part : e.path("part").values())
        switch (part.path("name").asString("")) {
          case "event-number" -> number = number(part, where, R4_COUNT);
          case "focus" -> focus = text(part.path("valueReference").path("reference"));
          default -> {}
        }
      out.add(
          new Event(
              eventKey(Optional.empty(), subscription, number, where),
              number,
              focus.map(SubscriptionNotification::relative),
              Optional.empty(),
              Optional.empty()));
    }
    return new EhrNotification(type, subscription, topic, since, out);
  }

  private static EhrNotification fromStatus(JsonNode s, String where) {
    var subscription = text(s.path("subscription").path("reference"));
    var out = new ArrayList<Event>();
    for (var e : s.path("notificationEvent").values()) {
      var number = number(e, where, "eventNumber");
      var focus = e.path("focus");
      var identifier = focus.path("identifier");
      out.add(
          new Event(
              eventKey(text(e.path("id")), subscription, number, where),
              number,
              text(focus.path("reference")).map(SubscriptionNotification::relative),
              text(identifier.path("value"))
                  .map(v -> identifier.path("system").asString("") + "|" + v),
              Optional.empty()));
    }
    return new EhrNotification(
        s.path("type").asString(""),
        subscription,
        text(s.path("topic")),
        number(s, where, "eventsSinceSubscriptionStart"),
        out);
  }

  /** The same notification with each event's resource, where the Bundle carries it. */
  private static EhrNotification withResources(EhrNotification n, JsonNode entries) {
    var byUrl = new java.util.HashMap<String, String>();
    for (int i = 1; i < entries.size(); i++) {
      var entry = entries.get(i);
      var resource = entry.path("resource");
      if (resource.isMissingNode() || !resource.isObject()) continue;
      String id = resource.path("id").asString("");
      String type = resource.path("resourceType").asString("");
      if (!type.isEmpty() && !id.isEmpty())
        byUrl.put(type + "/" + id, JSON.writeValueAsString(resource));
      text(entry.path("fullUrl"))
          .ifPresent(u -> byUrl.putIfAbsent(relative(u), JSON.writeValueAsString(resource)));
    }
    var out = new ArrayList<Event>();
    for (var e : n.events())
      out.add(
          new Event(
              e.key(), e.number(), e.focus(), e.focusIdentifier(), e.focus().map(byUrl::get)));
    return new EhrNotification(n.type(), n.subscription(), n.topic(), n.eventsSinceStart(), out);
  }

  private static String eventKey(
      Optional<String> id, Optional<String> subscription, Optional<Long> number, String where) {
    if (id.isPresent()) return id.get();
    if (number.isEmpty())
      throw new InputRejected(where, "a notification event has neither an id nor an event number");
    return subscription.map(SubscriptionNotification::relative).orElse("") + "#" + number.get();
  }

  /**
   * {@code Type/id} of a reference, absolute or relative ({@code https://…/fhir/Encounter/1}), its
   * version left off.
   */
  static String relative(String reference) {
    int history = reference.indexOf("/_history/");
    if (history > 0) reference = reference.substring(0, history);
    int last = reference.lastIndexOf('/');
    if (last <= 0) return reference;
    int type = reference.lastIndexOf('/', last - 1);
    return reference.substring(type + 1);
  }

  private static Optional<String> text(JsonNode node) {
    return node.isString() && !node.stringValue().isBlank()
        ? Optional.of(node.stringValue().strip())
        : Optional.empty();
  }

  /** Where a Parameters part carries a count: R4 writes integer64 as a string. */
  private static final String[] R4_COUNT = {"valueString", "valueInteger64", "valueUnsignedInt"};

  /** A count in the first of {@code fields} present, sent as a string ({@code "2"}) or a number. */
  private static Optional<Long> number(JsonNode node, String where, String... fields) {
    for (var field : fields) {
      var v = node.path(field);
      if (v.isNumber()) return Optional.of(v.asLong());
      if (v.isString())
        try {
          return Optional.of(Long.parseLong(v.stringValue().strip()));
        } catch (NumberFormatException e) {
          throw new InputRejected(where + "." + field, "'" + v.stringValue() + "' is not a count");
        }
    }
    return Optional.empty();
  }
}
