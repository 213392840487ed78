package org.careloop.adapters.jdbc;

import static org.careloop.adapters.jdbc.JdbcStore.instant;
import static org.careloop.adapters.jdbc.JdbcStore.placeholders;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.careloop.app.PatientRecord;
import org.careloop.app.Store;
import org.careloop.core.Channel;
import org.careloop.core.Contact;
import org.careloop.core.Reach;
import org.careloop.core.SendRules;
import org.jspecify.annotations.Nullable;

/** The Patients port on JDBC. */
interface JdbcPatients extends Store.Patients, JdbcAccess, JdbcOptOutLedger {
  @Override
  default String upsertPatient(PatientRecord p) {
    var existing = patientIdBySource(p.practiceId(), p.sourceKey());
    if (existing.isPresent()) {
      update(
          "update patient set first_name = ?, last_name = ?, mobile = ?, voice_phone = ?, email = ?, preferred_channel = ?, language = ?, time_zone = ?, region = ?,"
              + " birth_date = coalesce(?, birth_date),"
              + " mobile_status = case when mobile_hash = ? then mobile_status else null end,"
              + " email_status = case when email_hash = ? then email_status else null end,"
              + " mobile_hash = ?, email_hash = ?, updated_at = current_timestamp where id = ?",
          cipher().encrypt("patient.first_name", p.firstName()),
          cipher().encrypt("patient.last_name", p.lastName()),
          cipher().encrypt("patient.mobile", p.mobile().orElse(null)),
          cipher().encrypt("patient.voice_phone", p.voicePhone().orElse(null)),
          cipher().encrypt("patient.email", p.email().orElse(null)),
          p.preferredChannel().map(Enum::name).orElse(null),
          p.language().orElse(null),
          p.zone().getId(),
          p.region().orElse(null),
          birthDate(p),
          mobileHash(p),
          emailHash(p),
          mobileHash(p),
          emailHash(p),
          existing.get());
      return existing.get();
    }
    String id = org.careloop.app.intake.Importer.patientId(p.practiceId(), p.sourceKey());
    update(
        "insert into patient (id, practice_id, source_key, source_hash, first_name, last_name, mobile, voice_phone, email, preferred_channel, language, time_zone, region, birth_date, mobile_hash, email_hash, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp, current_timestamp)",
        id,
        p.practiceId(),
        cipher().encrypt("patient.source_key", p.sourceKey()),
        sourceIndex(p.practiceId(), p.sourceKey()),
        cipher().encrypt("patient.first_name", p.firstName()),
        cipher().encrypt("patient.last_name", p.lastName()),
        cipher().encrypt("patient.mobile", p.mobile().orElse(null)),
        cipher().encrypt("patient.voice_phone", p.voicePhone().orElse(null)),
        cipher().encrypt("patient.email", p.email().orElse(null)),
        p.preferredChannel().map(Enum::name).orElse(null),
        p.language().orElse(null),
        p.zone().getId(),
        p.region().orElse(null),
        birthDate(p),
        mobileHash(p),
        emailHash(p));
    return id;
  }

  /** The date of birth as stored: encrypted, like every other field of the patient. */
  private @Nullable String birthDate(PatientRecord p) {
    return p.birthDate()
        .map(d -> cipher().encrypt("patient.birth_date", d.toString()))
        .orElse(null);
  }

  private @Nullable String mobileHash(PatientRecord p) {
    return p.mobile().map(m -> addressKey(Channel.SMS, m)).orElse(null);
  }

  private @Nullable String emailHash(PatientRecord p) {
    return p.email().map(e -> addressKey(Channel.EMAIL, e)).orElse(null);
  }

  @Override
  default Map<String, Contact> contacts(Collection<String> patientIds, Instant now) {
    var ids = new java.util.TreeSet<>(patientIds);
    if (ids.isEmpty()) return Map.of();
    if (ids.size() > IN_LIST) {
      // In id order, chunk after chunk: the rows are locked in the same order as in one query.
      var all = new ArrayList<>(ids);
      var out = new java.util.HashMap<String, Contact>();
      for (int i = 0; i < all.size(); i += IN_LIST)
        out.putAll(contacts(all.subList(i, Math.min(all.size(), i + IN_LIST)), now));
      return out;
    }
    String in = placeholders(ids.size());
    Object[] args = ids.toArray();
    record PatientRow(
        String id,
        String practiceId,
        boolean mobile,
        boolean voice,
        boolean email,
        @Nullable String mobileHash,
        @Nullable String emailHash,
        boolean mobileDead,
        boolean emailDead,
        Optional<Channel> preferred,
        ZoneId zone,
        Optional<String> region,
        boolean consent) {}
    var rows =
        query(
            "select id, practice_id, mobile, voice_phone, email, mobile_hash, email_hash, mobile_status, email_status, preferred_channel, time_zone, region, marketing_consent_at from patient where id in ("
                + in
                + ") order by id for update",
            rs ->
                new PatientRow(
                    rs.getString("id"),
                    rs.getString("practice_id"),
                    rs.getString("mobile") != null,
                    rs.getString("voice_phone") != null,
                    rs.getString("email") != null,
                    rs.getString("mobile_hash"),
                    rs.getString("email_hash"),
                    rs.getString("mobile_status") != null,
                    rs.getString("email_status") != null,
                    Optional.ofNullable(rs.getString("preferred_channel")).map(Channel::valueOf),
                    ZoneId.of(rs.getString("time_zone")),
                    Optional.ofNullable(rs.getString("region")),
                    rs.getObject("marketing_consent_at") != null),
            args);
    var hashes = new java.util.TreeSet<String>();
    for (var r : rows) {
      if (r.mobileHash() != null) hashes.add(r.mobileHash());
      if (r.emailHash() != null) hashes.add(r.emailHash());
    }
    var optedOut = new java.util.HashSet<String>();
    if (!hashes.isEmpty()) {
      optedOut.addAll(
          query(
              "select channel, address_hash from contact_preference where opted_out = true and address_hash in ("
                  + placeholders(hashes.size())
                  + ")",
              rs -> rs.getString(1) + "|" + rs.getString(2),
              hashes.toArray()));
    }
    var outreach = new java.util.HashMap<String, List<Instant>>();
    Object[] outreachArgs = new Object[args.length + 1];
    System.arraycopy(args, 0, outreachArgs, 0, args.length);
    outreachArgs[args.length] = now.minus(java.time.Duration.ofDays(8));
    for (var o :
        query(
            "select patient_id, sent_at from outreach_log where patient_id in ("
                + in
                + ") and sent_at > ?",
            rs -> Map.entry(rs.getString(1), instant(rs, "sent_at")),
            outreachArgs)) {
      outreach.computeIfAbsent(o.getKey(), k -> new ArrayList<>()).add(o.getValue());
    }
    // Plans of one visit share one cadence: a patient with several active plans is read with all
    // of them (most patients have one, and nothing more is read for them).
    var activePlans = new java.util.HashMap<String, List<org.careloop.core.PlanState>>();
    var several =
        query(
            "select patient_id from plan where status = 'ACTIVE' and patient_id in ("
                + in
                + ") group by patient_id having count(*) > 1",
            rs -> rs.getString(1),
            args);
    if (!several.isEmpty())
      for (var state :
          query(
              "select state from plan where status = 'ACTIVE' and patient_id in ("
                  + placeholders(several.size())
                  + ") order by id",
              rs -> StateCodec.read(cipher().decrypt("plan.state", rs.getString(1))),
              several.toArray())) {
        activePlans.computeIfAbsent(state.patientId(), k -> new ArrayList<>()).add(state);
      }
    var rules = new java.util.HashMap<String, SendRules>();
    var out = new java.util.HashMap<String, Contact>();
    for (var r : rows) {
      var practiceRules = rules.computeIfAbsent(r.practiceId(), this::sendRules);
      var reach =
          new Reach(
              r.mobile() && !r.mobileDead(),
              r.email() && !r.emailDead(),
              r.mobile() || r.voice(),
              r.preferred(),
              r.zone(),
              r.region());
      var optedOutChannels = java.util.EnumSet.noneOf(Channel.class);
      if (r.mobileHash() != null && optedOut.contains("SMS|" + r.mobileHash()))
        optedOutChannels.add(Channel.SMS);
      if (r.emailHash() != null && optedOut.contains("EMAIL|" + r.emailHash()))
        optedOutChannels.add(Channel.EMAIL);
      out.put(
          r.id(),
          new Contact(
              reach,
              optedOutChannels,
              outreach.getOrDefault(r.id(), List.of()),
              r.consent(),
              practiceRules,
              activePlans.getOrDefault(r.id(), List.of())));
    }
    return out;
  }

  /** A practice's caps, holidays and zone. */
  default SendRules sendRules(String practiceId) {
    var holidays =
        query(
            "select holiday from practice_holiday where practice_id = ?",
            rs -> rs.getObject(1, java.time.LocalDate.class),
            practiceId);
    return one(
            "select time_zone, cap_per_day, cap_per_week from practice where id = ?",
            rs ->
                new SendRules(
                    rs.getInt("cap_per_day"),
                    rs.getInt("cap_per_week"),
                    java.util.Set.copyOf(holidays),
                    ZoneId.of(rs.getString("time_zone"))),
            practiceId)
        .orElseThrow(() -> new IllegalStateException("no practice " + practiceId));
  }

  @Override
  default Optional<PatientRecord> patient(String patientId) {
    return one(
        "select * from patient where id = ?",
        rs ->
            new PatientRecord(
                cipher().decrypt("patient.source_key", rs.getString("source_key")),
                rs.getString("practice_id"),
                cipher().decrypt("patient.first_name", rs.getString("first_name")),
                cipher().decrypt("patient.last_name", rs.getString("last_name")),
                cipher().decryptOptional("patient.mobile", rs.getString("mobile")),
                cipher().decryptOptional("patient.voice_phone", rs.getString("voice_phone")),
                cipher().decryptOptional("patient.email", rs.getString("email")),
                Optional.ofNullable(rs.getString("preferred_channel")).map(Channel::valueOf),
                Optional.ofNullable(rs.getString("language")),
                ZoneId.of(rs.getString("time_zone")),
                Optional.ofNullable(rs.getString("region")),
                cipher()
                    .decryptOptional("patient.birth_date", rs.getString("birth_date"))
                    .map(java.time.LocalDate::parse)),
        patientId);
  }

  @Override
  default Optional<String> patientIdBySource(String practiceId, String sourceKey) {
    return idBySource("patient", practiceId, sourceKey);
  }

  @Override
  default void markContactPointDead(String patientId, Channel channel, String reason, Instant at) {
    String column = channel == Channel.EMAIL ? "email_status" : "mobile_status";
    update(
        "update patient set " + column + " = ? where id = ?",
        channel == Channel.EMAIL ? "BOUNCED" : "INVALID",
        patientId);
  }
}
