package org.careloop.adapters.fhir;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.careloop.adapters.Secrets;
import org.careloop.app.EhrConnection;
import org.careloop.app.intake.EhrClient;
import org.careloop.app.intake.ImportBatch;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Resource;

/**
 * An EHR's FHIR R4 API read with HAPI's client: each followed resource type searched by {@code
 * _lastUpdated} from its cursor, page after page, with what it points at ({@code _include}), read
 * into one batch by {@link FhirReader}. Errors name the connection, the request and the status,
 * never a patient.
 */
public final class FhirEhrClient implements EhrClient, org.careloop.app.messaging.EhrWriter {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(FhirEhrClient.class);

  /** One followed type and the references whose targets come with it. */
  record Follow(String type, List<String> includes) {}

  /** What careloop follows, in the order it is read: what points at something after it. */
  static final List<Follow> FOLLOWED =
      List.of(
          new Follow("Patient", List.of()),
          new Follow("ServiceRequest", List.of("ServiceRequest:subject")),
          new Follow("CarePlan", List.of("CarePlan:subject", "CarePlan:activity-reference")),
          new Follow("Appointment", List.of("Appointment:patient", "Appointment:based-on")),
          new Follow("Encounter", List.of("Encounter:subject")));

  /** Resources asked for a page. */
  static final int PAGE = 100;

  /** The most pages one type is read in one poll; the next poll goes on from the cursor. */
  static final int MAX_PAGES = 50;

  private final Function<String, FhirReader> readers;
  private final org.careloop.adapters.smart.SmartTokens tokens;

  /**
   * @param readers the FHIR reader of each practice (its zone and country)
   * @param tokens access tokens for the connections that sign in by SMART Backend Services
   */
  public FhirEhrClient(
      Function<String, FhirReader> readers, org.careloop.adapters.smart.SmartTokens tokens) {
    this.readers = readers;
    this.tokens = tokens;
  }

  IGenericClient client(EhrConnection c) {
    var client = Fhir.CONTEXT.newRestfulGenericClient(c.fhirBase());
    // A poll must see what changed since the last one, not a search result the server cached
    // (HAPI FHIR reuses an identical search's results for a minute unless told not to).
    client.registerInterceptor(
        new ca.uhn.fhir.rest.client.interceptor.SimpleRequestHeaderInterceptor(
            "Cache-Control", "no-cache"));
    switch (c.auth()) {
      case NONE -> {}
      case BEARER ->
          client.registerInterceptor(
              new BearerTokenAuthInterceptor(Secrets.read(c.secretRef(), "the bearer token")));
      case SMART_BACKEND, CLIENT_SECRET ->
          client.registerInterceptor(new BearerTokenAuthInterceptor(tokens.token(c)));
      case API_KEY -> throw notFhir(c);
    }
    return client;
  }

  /**
   * Takes a resource out of what was read, and whatever points at it (an order for a patient left
   * out cannot be imported without its patient), however far; the number taken out.
   */
  static int leaveOut(Map<String, Resource> left, String key) {
    var gone = new java.util.HashSet<String>();
    var todo = new java.util.ArrayDeque<String>(List.of(key));
    var terser = Fhir.CONTEXT.newTerser();
    while (!todo.isEmpty()) {
      String k = todo.pop();
      if (left.remove(k) == null) continue;
      gone.add(k);
      for (var e : left.entrySet()) {
        for (var ref : terser.getAllResourceReferences(e.getValue())) {
          var target = ref.getResourceReference().getReferenceElement();
          if (target.hasResourceType()
              && target.hasIdPart()
              && (target.getResourceType() + "/" + target.getIdPart()).equals(k)) {
            todo.add(e.getKey());
            break;
          }
        }
      }
    }
    return gone.size();
  }

  @Override
  public Changes changes(EhrConnection c, Map<String, Instant> cursors) {
    var client = client(c);
    var resources = new LinkedHashMap<String, Resource>();
    var newest = new TreeMap<String, Instant>();
    var matched = new TreeMap<String, Integer>();
    for (var follow : FOLLOWED) {
      var url = new StringBuilder(c.fhirBase()).append('/').append(follow.type());
      url.append("?_count=").append(PAGE).append("&_sort=_lastUpdated");
      var since = cursors.get(follow.type());
      if (since != null)
        url.append("&_lastUpdated=ge").append(DateTimeFormatter.ISO_INSTANT.format(since));
      for (var include : follow.includes()) url.append("&_include=").append(include);
      int count = 0;
      Bundle page = search(c, client, url.toString());
      for (int pages = 1; ; pages++) {
        for (var e : page.getEntry()) {
          if (!e.hasResource()) continue;
          var r = e.getResource();
          var key = r.fhirType() + "/" + r.getIdElement().getIdPart();
          boolean match =
              !e.hasSearch() || e.getSearch().getMode() != Bundle.SearchEntryMode.INCLUDE;
          // A resource that matched wins over the same one only included elsewhere.
          if (match || !resources.containsKey(key)) resources.put(key, r);
          if (match && r.fhirType().equals(follow.type())) {
            count++;
            if (r.getMeta().hasLastUpdated())
              newest.merge(
                  follow.type(),
                  r.getMeta().getLastUpdated().toInstant(),
                  (a, b) -> a.isAfter(b) ? a : b);
          }
        }
        if (page.getLink(Bundle.LINK_NEXT) == null || pages >= MAX_PAGES) break;
        page = next(c, client, page);
      }
      matched.put(follow.type(), count);
    }
    var versions = new java.util.HashMap<String, Instant>();
    resources.forEach((key, r) -> {
      if (r.getMeta().hasLastUpdated()) versions.put(key, r.getMeta().getLastUpdated().toInstant());
    });
    return new Changes(
        batch(c, resources, "EHR connection " + c.name()), newest, matched, versions);
  }

  /** The most resources of one read left out for what they are before the whole read is. */
  static final int MAX_LEFT_OUT = 100;

  private static final java.util.regex.Pattern ENTRY =
      java.util.regex.Pattern.compile("Bundle\\.entry\\[(\\d+)]");

  /**
   * What was read, as one batch for the importer. A resource careloop cannot take (a patient with
   * no given name, a date that is not one) is left out with a warning naming its entry and type,
   * and what pointed at it with it, so one odd chart never stops a connection: the rest is imported
   * and the cursors move on (the resource is read again when the EHR changes it).
   */
  private ImportBatch batch(EhrConnection c, Map<String, Resource> resources, String source) {
    var left = new LinkedHashMap<>(resources);
    var warnings = new ArrayList<String>();
    while (true) {
      var bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
      left.forEach(
          (key, r) -> bundle.addEntry().setFullUrl(c.fhirBase() + "/" + key).setResource(r));
      var json = Fhir.CONTEXT.newJsonParser().encodeResourceToString(bundle);
      try {
        var batch = readers.apply(c.practiceId()).read(json, source);
        if (warnings.isEmpty()) return batch;
        var all = new ArrayList<>(warnings);
        all.addAll(batch.warnings());
        return new ImportBatch(
            batch.source(),
            batch.practiceId(),
            batch.patients(),
            batch.plans(),
            batch.appointments(),
            all);
      } catch (org.careloop.app.InputRejected x) {
        var m = ENTRY.matcher(x.where());
        if (!m.find() || warnings.size() >= MAX_LEFT_OUT) throw x;
        int index = Integer.parseInt(m.group(1));
        if (index >= left.size()) throw x;
        String key = new ArrayList<>(left.keySet()).get(index);
        int with = leaveOut(left, key) - 1;
        String type = key.substring(0, key.indexOf('/'));
        // Its type and field only: the problem's words can quote a value the EHR sent, its id
        // can be a record number.
        String where = x.where();
        String field =
            where.lastIndexOf(')') > 0 ? where.substring(where.lastIndexOf(')') + 1) : "";
        warnings.add(
            source
                + ": a "
                + type
                + " careloop cannot take (Bundle.entry["
                + index
                + "]"
                + field
                + ") was left out"
                + (with == 0 ? "" : ", with " + with + " resource(s) pointing at it"));
        log.warn(
            "EHR connection {} of practice {}: a {} careloop cannot take was left out",
            c.name(),
            c.practiceId(),
            type);
      }
    }
  }

  @Override
  public ImportBatch fetch(EhrConnection c, String focus) {
    int query = focus.indexOf('?');
    int slash = focus.indexOf('/');
    String type = focus.substring(0, query > 0 ? query : Math.max(slash, 0));
    String source = "EHR connection " + c.name() + ", " + type;
    var follow = FOLLOWED.stream().filter(f -> f.type().equals(type)).findFirst();
    if (follow.isEmpty() || (query < 0 && slash < 0))
      return new ImportBatch(source, c.practiceId(), List.of(), List.of(), List.of(), List.of());
    String search =
        query > 0
            ? "identifier=" + encode(focus.substring(focus.indexOf('=', query) + 1))
            : "_id=" + encode(focus.substring(slash + 1));
    var url = new StringBuilder(c.fhirBase()).append('/').append(type).append('?').append(search);
    for (var include : follow.get().includes()) url.append("&_include=").append(include);
    var resources = new LinkedHashMap<String, Resource>();
    var page = search(c, client(c), url.toString());
    for (var e : page.getEntry())
      if (e.hasResource())
        resources.putIfAbsent(
            e.getResource().fhirType() + "/" + e.getResource().getIdElement().getIdPart(),
            e.getResource());
    return batch(c, resources, source);
  }

  @Override
  public String write(EhrConnection c, WriteBack w) {
    try {
      return write(c, w, FhirWriteBacks.resource(w));
    } catch (org.careloop.app.messaging.ChannelSender.PermanentFailure refused) {
      // An EHR that keeps no flags (it does not know the type, or takes no writes of it): the
      // review goes to the provider as a task instead.
      if (w.kind() == Kind.PROVIDER_REVIEW
          && refused.code().filter(FhirEhrClient::typeNotTaken).isPresent())
        return write(c, w, FhirWriteBacks.task(w, "provider"));
      throw refused;
    }
  }

  /** 404 (no such type), 405 (no writes of it), 501 (not implemented). */
  private static boolean typeNotTaken(String status) {
    return status.equals("404") || status.equals("405") || status.equals("501");
  }

  private String write(EhrConnection c, WriteBack w, Resource resource) {
    String type = resource.fhirType();
    String url = c.fhirBase() + "/" + type;
    String match = type + "?identifier=" + encode(IDENTIFIER_SYSTEM + "|" + w.identifier());
    try {
      var outcome =
          w.kind().ofACase()
              // A case's copy: made the first time, brought up to date after.
              ? client(c).update().resource(resource).conditionalByUrl(match).execute()
              : client(c).create().resource(resource).conditionalByUrl(match).execute();
      var id = outcome.getId();
      // With its version when the EHR says it (a case's resource is written again on each change).
      return type
          + "/"
          + id.getIdPart()
          + (id.hasVersionIdPart() ? "/_history/" + id.getVersionIdPart() : "");
    } catch (BaseServerResponseException e) {
      int status = e.getStatusCode();
      // Refused for what it is (invalid, unknown patient): sending it again cannot help.
      if (status >= 400
          && status < 500
          && status != 401
          && status != 403
          && status != 408
          && status != 429
          && !(e instanceof FhirClientConnectionException))
        throw new org.careloop.app.messaging.ChannelSender.PermanentFailure(
            "the EHR connection '" + c.name() + "' refused the " + type + " (" + status + ")",
            java.util.Optional.of(String.valueOf(status)),
            false);
      throw unreachable(c, url, e);
    } catch (RuntimeException e) {
      throw unreachable(c, url, e);
    }
  }

  private static String encode(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static final tools.jackson.databind.json.JsonMapper JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  @Override
  public java.util.Optional<Instant> lastUpdated(String resourceJson) {
    try {
      String at = JSON.readTree(resourceJson).path("meta").path("lastUpdated").asString("");
      if (at.isEmpty()) return java.util.Optional.empty();
      // FHIR instant: always with a zone, seconds and fractions optional beyond that.
      return java.util.Optional.of(java.time.OffsetDateTime.parse(at).toInstant());
    } catch (RuntimeException notAnInstant) {
      // The read that follows says what is wrong with it, where.
      return java.util.Optional.empty();
    }
  }

  @Override
  public ImportBatch read(EhrConnection c, String resourceJson, String source) {
    return readers.apply(c.practiceId()).read(resourceJson, source);
  }

  private static Bundle search(EhrConnection c, IGenericClient client, String url) {
    try {
      return client.search().byUrl(url).returnBundle(Bundle.class).execute();
    } catch (RuntimeException e) {
      throw unreachable(c, url, e);
    }
  }

  /**
   * A failed request in words: the status the EHR answered, or that it could not be reached (a
   * connection failure comes from HAPI's client as a 500 of its own: it is told apart first).
   */
  private static Unreachable unreachable(EhrConnection c, String url, RuntimeException e) {
    String what =
        e instanceof BaseServerResponseException s && !(e instanceof FhirClientConnectionException)
            ? "' answered " + s.getStatusCode() + " to " + url
            : "' could not be reached at " + url + ": " + e.getClass().getSimpleName();
    return new Unreachable("the EHR connection '" + c.name() + what, e);
  }

  private static Bundle next(EhrConnection c, IGenericClient client, Bundle page) {
    try {
      return client.loadPage().next(page).execute();
    } catch (RuntimeException e) {
      throw new Unreachable(
          "the EHR connection '"
              + c.name()
              + "' failed on the next page of a search: "
              + e.getClass().getSimpleName(),
          e);
    }
  }

  @Override
  public List<Check> check(EhrConnection c) {
    var checks = new ArrayList<Check>();
    IGenericClient client;
    try {
      client = client(c);
      checks.add(
          new Check(
              "sign-in",
              true,
              switch (c.auth()) {
                case NONE -> "none asked";
                case BEARER -> "bearer token read from " + c.secretRef().orElse("?");
                case SMART_BACKEND ->
                    "SMART Backend Services: a token from " + tokens.tokenEndpoint(c);
                case CLIENT_SECRET -> "client credentials: a token from " + tokens.tokenEndpoint(c);
                case API_KEY -> throw notFhir(c);
              }));
    } catch (IllegalArgumentException | Unreachable e) {
      checks.add(new Check("sign-in", false, String.valueOf(e.getMessage())));
      return checks;
    }
    try {
      checks.add(capabilities(c));
    } catch (java.io.IOException e) {
      checks.add(
          new Check(
              "capability statement", false, "not reached (" + e.getClass().getSimpleName() + ")"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      checks.add(new Check("capability statement", false, "interrupted"));
    }
    try {
      var found =
          client
              .search()
              .byUrl(c.fhirBase() + "/Patient?_summary=count")
              .returnBundle(Bundle.class)
              .execute();
      checks.add(
          new Check("a search", true, "Patient?_summary=count: " + found.getTotal() + " patients"));
    } catch (RuntimeException e) {
      checks.add(new Check("a search", false, failure(e)));
    }
    return checks;
  }

  /**
   * The server's capability statement in its summary form (a full one runs to megabytes on a real
   * server), asked with the connection's sign-in.
   */
  private Check capabilities(EhrConnection c) throws java.io.IOException, InterruptedException {
    var request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(c.fhirBase() + "/metadata?_summary=true"))
            .header("Accept", "application/fhir+json")
            .timeout(java.time.Duration.ofSeconds(30));
    switch (c.auth()) {
      case NONE -> {}
      case BEARER ->
          request.header(
              "Authorization", "Bearer " + Secrets.read(c.secretRef(), "the bearer token"));
      case SMART_BACKEND, CLIENT_SECRET ->
          request.header("Authorization", "Bearer " + tokens.token(c));
      case API_KEY -> throw notFhir(c);
    }
    var response = HTTP.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200)
      return new Check("capability statement", false, "answered " + response.statusCode());
    try {
      var cs =
          Fhir.CONTEXT.newJsonParser().parseResource(CapabilityStatement.class, response.body());
      return new Check(
          "capability statement",
          true,
          "FHIR "
              + cs.getFhirVersion().toCode()
              + (cs.getSoftware().hasName() ? " from " + cs.getSoftware().getName() : ""));
    } catch (ca.uhn.fhir.parser.DataFormatException e) {
      return new Check("capability statement", false, "not a FHIR CapabilityStatement");
    }
  }

  /** An API key is Healthie's sign-in, which no FHIR request uses. */
  private static IllegalArgumentException notFhir(EhrConnection c) {
    return new IllegalArgumentException(
        "EHR connection "
            + c.name()
            + " signs in with an API key, which is Healthie's, not FHIR's");
  }

  private static final java.net.http.HttpClient HTTP =
      java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();

  private static String failure(RuntimeException e) {
    if (e instanceof FhirClientConnectionException)
      return "not reached (" + String.valueOf(e.getMessage()) + ")";
    return e instanceof BaseServerResponseException s
        ? "answered " + s.getStatusCode()
        : "not reached (" + e.getClass().getSimpleName() + ")";
  }
}
