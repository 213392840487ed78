package org.careloop.adapters.jdbc;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.careloop.app.CaseNote;
import org.careloop.app.casework.Casework;

/**
 * What the coordinator workspace reads and writes: people, the practice's open cases ranked for
 * work, one case with its plan and history, and what a person documents on it. Every query is
 * scoped to the practice of the person asking; a case of another practice does not exist for them.
 * Every view and change of patient data writes an audit event.
 */
public final class Workspace {
  private final JdbcStore store;
  private final ReadModel read;
  private final Casework casework;

  public Workspace(JdbcStore store, ReadModel read, org.careloop.app.engine.Engine engine) {
    this.store = store;
    this.read = read;
    this.casework = new Casework(store, engine);
  }

  /** The ids of the practice's plans. */
  public Set<String> planIds(String practiceId) {
    return new java.util.HashSet<>(
        store.inTransaction(tx ->
            ((JdbcStore.JdbcTx) tx)
                .query(
                    "select p.id from plan p join patient pt on pt.id = p.patient_id where pt.practice_id = ?",
                    rs -> rs.getString(1),
                    practiceId)));
  }

  /** See {@link Casework#recordBooking}. */
  public void recordBooking(User by, long taskId, Instant start, Instant now) {
    casework.recordBooking(by.actor(), taskId, start, now);
  }

  /** See {@link Casework#sendMessage}. */
  public void sendMessage(User by, long taskId, String channel, String template, Instant now) {
    casework.sendMessage(by.actor(), taskId, channel, template, now);
  }

  /** See {@link Casework#escalate}. */
  public void escalate(User by, long taskId, String to, String why, Instant now) {
    casework.escalate(by.actor(), taskId, to, why, now);
  }

  /**
   * The provider review queue: cases flagged by two consecutive misses, escalated to a provider,
   * and plans 15–30 days into a care gap.
   */
  public record Review(List<WorkItem> cases, List<ReadModel.GapRow> gaps) {}

  public Review reviewQueue(User by, Instant now, List<Integer> gapTiers) {
    return reviewQueue(by, now, state -> gapTiers);
  }

  /**
   * A provider's queue: review cases and cases escalated to a provider, and plans in the third
   * care-gap tier (15–30 days past due in the shipped programs) of their own protocol version.
   */
  public Review reviewQueue(
      User by,
      Instant now,
      java.util.function.Function<org.careloop.core.PlanState, List<Integer>> tiersOf) {
    var cases =
        worklist(by.practiceId(), Filter.NONE, now).stream()
            .filter(i ->
                i.lane().equals("PROVIDER_REVIEW")
                    || i.escalatedTo().filter("provider"::equals).isPresent())
            .toList();
    var gaps =
        read.careGaps(now, tiersOf, Optional.of(by.practiceId())).stream()
            .filter(g -> g.tier() == 3)
            .toList();
    audit(store, by, "review.view", cases.size() + " case(s), " + gaps.size() + " gap(s)", now);
    return new Review(cases, gaps);
  }

  /**
   * A provider takes up a plan from the care-gap part of the queue: it becomes a review case (one
   * open at a time per plan) for their decision.
   *
   * @return the case's id
   */
  public long reviewGap(User by, String planId, Instant now) {
    return casework.reviewGap(by.actor(), planId, now);
  }

  private static void audit(JdbcStore store, User by, String action, String subject, Instant now) {
    store.inTransaction(tx -> {
      Administration.audit(tx, by.username(), by.practiceId(), action, subject, null, now);
      return null;
    });
  }

  /** Someone who logs in. */
  public record User(
      String id,
      String practiceId,
      String username,
      String displayName,
      String passwordHash,
      String role,
      boolean outOfOffice) {
    /** The person as the use cases see them. */
    public org.careloop.app.casework.Casework.Actor actor() {
      return new org.careloop.app.casework.Casework.Actor(
          id, username, practiceId, displayName, role);
    }
  }

  /** The roles people have. */
  public static final Set<String> ROLES =
      Set.of("coordinator", "front-desk", "nurse", "provider", "manager", "admin");

  private static User user(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new User(
        rs.getString("id"),
        rs.getString("practice_id"),
        rs.getString("username"),
        rs.getString("display_name"),
        rs.getString("password_hash"),
        rs.getString("role"),
        rs.getBoolean("out_of_office"));
  }

  public Optional<User> userByUsername(String username) {
    return store.inTransaction(tx ->
        ((JdbcStore.JdbcTx) tx)
            .one("select * from app_user where username = ?", Workspace::user, username));
  }

  public List<User> users(String practiceId) {
    return store.inTransaction(tx ->
        ((JdbcStore.JdbcTx) tx)
            .query(
                "select * from app_user where practice_id = ? order by username",
                Workspace::user,
                practiceId));
  }

  /** Adds a person, or changes their password, name and role. */
  public void saveUser(User u, Instant now) {
    if (!ROLES.contains(u.role()))
      throw new IllegalArgumentException(
          "role '" + u.role() + "' is not one of " + new java.util.TreeSet<>(ROLES));
    store.inTransaction(tx -> {
      var jtx = (JdbcStore.JdbcTx) tx;
      jtx.practice(u.practiceId());
      int n =
          jtx.update(
              "update app_user set display_name = ?, password_hash = ?, role = ?, practice_id = ? where username = ?",
              u.displayName(),
              u.passwordHash(),
              u.role(),
              u.practiceId(),
              u.username());
      if (n == 0)
        jtx.update(
            "insert into app_user (id, practice_id, username, display_name, password_hash, role, created_at) values (?, ?, ?, ?, ?, ?, ?)",
            u.id(),
            u.practiceId(),
            u.username(),
            u.displayName(),
            u.passwordHash(),
            u.role(),
            now);
      return null;
    });
  }

  /**
   * Marks a person out of office (their cases show, and are worked, under their backup) or back.
   *
   * @return false when there is no such person
   */
  public boolean setOut(String username, boolean out) {
    return store.inTransaction(tx ->
        ((JdbcStore.JdbcTx) tx)
                .update("update app_user set out_of_office = ? where username = ?", out, username)
            == 1);
  }

  /** One open case on the worklist. */
  public record WorkItem(
      long taskId,
      String planId,
      String patient,
      String lane,
      String priority,
      String title,
      Instant respondBy,
      Instant createdAt,
      Optional<String> owner,
      Optional<String> ownerRole,
      Optional<String> escalatedTo,
      boolean overdue) {}

  /** Filters of the worklist; empty means all. */
  public record Filter(
      Optional<String> lane,
      Optional<String> owner,
      Optional<String> priority,
      Optional<Integer> olderThanDays) {
    public static final Filter NONE =
        new Filter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * The practice's open cases, ranked by priority tier, then respond-by time. A case whose owner is
   * out of office shows its backup as the owner.
   */
  public List<WorkItem> worklist(String practiceId, Filter f, Instant now) {
    var sql =
        new StringBuilder(
            "select t.id, t.plan_id, t.lane, t.priority, t.title, t.respond_by, t.created_at,"
                + " t.owner_role, t.escalated_to, pt.first_name, pt.last_name,"
                + " case when o.out_of_office then b.display_name else o.display_name end as owner_name,"
                + " case when o.out_of_office then b.username else o.username end as owner_username"
                + " from task t join patient pt on pt.id = t.patient_id"
                + " left join app_user o on o.id = t.owner_user left join app_user b on b.id = t.backup_user"
                + " where t.status = 'OPEN' and pt.practice_id = ?");
    var params = new ArrayList<Object>();
    params.add(practiceId);
    f.lane()
        .ifPresent(l -> {
          sql.append(" and t.lane = ?");
          params.add(l);
        });
    f.priority()
        .ifPresent(p -> {
          sql.append(" and t.priority = ?");
          params.add(p);
        });
    f.owner()
        .ifPresent(o -> {
          if (o.equals("unowned")) sql.append(" and t.owner_user is null");
          else {
            sql.append(" and (o.username = ? or (o.out_of_office and b.username = ?))");
            params.add(o);
            params.add(o);
          }
        });
    f.olderThanDays()
        .ifPresent(d -> {
          sql.append(" and t.created_at <= ?");
          params.add(now.minus(java.time.Duration.ofDays(d)));
        });
    sql.append(
        " order by case t.priority when 'URGENT' then 0 when 'HIGH' then 1 else 2 end, t.respond_by, t.id");
    var cipher = store.cipher();
    return store.inTransaction(tx ->
        ((JdbcStore.JdbcTx) tx)
            .query(
                sql.toString(),
                rs -> {
                  var respondBy = rs.getObject("respond_by", OffsetDateTime.class).toInstant();
                  return new WorkItem(
                      rs.getLong("id"),
                      rs.getString("plan_id"),
                      cipher.decrypt("patient.first_name", rs.getString("first_name"))
                          + " "
                          + cipher.decrypt("patient.last_name", rs.getString("last_name")),
                      rs.getString("lane"),
                      rs.getString("priority"),
                      cipher.decrypt("task.title", rs.getString("title")),
                      respondBy,
                      rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                      Optional.ofNullable(rs.getString("owner_name")),
                      Optional.ofNullable(rs.getString("owner_role")),
                      Optional.ofNullable(rs.getString("escalated_to")),
                      respondBy.isBefore(now));
                },
                params.toArray()));
  }

  /** A case as a person opens it. */
  public record Case(
      long taskId,
      String status,
      String lane,
      String priority,
      String title,
      String detail,
      Instant respondBy,
      Optional<String> owner,
      Optional<String> closeReason,
      ReadModel.PlanView plan,
      List<CaseNote> notes) {}

  /** A case's own row, as read in the transaction that audits the view. */
  private record Opened(
      String status,
      String lane,
      String priority,
      String title,
      String detail,
      Instant respondBy,
      Optional<String> owner,
      Optional<String> closeReason,
      String planId) {}

  /**
   * A case of the practice, audited as viewed by {@code user}; empty for a case of another practice
   * (and that attempt is audited too).
   */
  public Optional<Case> open(User user, long taskId, Instant now) {
    var cipher = store.cipher();
    var found =
        store.inTransaction(tx -> {
          var jtx = (JdbcStore.JdbcTx) tx;
          var row =
              jtx.one(
                  "select t.*, o.display_name as owner_name from task t join patient pt on pt.id = t.patient_id"
                      + " left join app_user o on o.id = t.owner_user where t.id = ? and pt.practice_id = ?",
                  rs ->
                      new Opened(
                          rs.getString("status"),
                          rs.getString("lane"),
                          rs.getString("priority"),
                          cipher.decrypt("task.title", rs.getString("title")),
                          cipher.decrypt("task.detail", rs.getString("detail")),
                          rs.getObject("respond_by", OffsetDateTime.class).toInstant(),
                          Optional.ofNullable(rs.getString("owner_name")),
                          Optional.ofNullable(rs.getString("close_reason")),
                          rs.getString("plan_id")),
                  taskId,
                  user.practiceId());
          Administration.audit(
              tx,
              user.username(),
              user.practiceId(),
              row.isPresent() ? "case.view" : "case.view.refused",
              "task " + taskId,
              null,
              now);
          return row.map(r ->
              Map.entry(
                  r,
                  jtx.query(
                      "select n.*, u.display_name from task_note n join app_user u on u.id = n.author where n.task_id = ? order by n.id",
                      rs ->
                          new CaseNote(
                              rs.getObject("at", OffsetDateTime.class).toInstant(),
                              rs.getString("display_name"),
                              rs.getString("kind"),
                              cipher.decryptOptional(
                                  "task_note.case_status", rs.getString("case_status")),
                              Optional.ofNullable(rs.getString("barrier")),
                              Optional.ofNullable(rs.getString("understood"))
                                  .map(v -> cipher.decrypt("task_note.understood", v)),
                              Optional.ofNullable(rs.getString("next_action"))
                                  .map(v -> cipher.decrypt("task_note.next_action", v)),
                              Optional.ofNullable(rs.getObject("target_date", LocalDate.class)),
                              rs.getBoolean("escalation_needed"),
                              Optional.ofNullable(rs.getString("outcome"))),
                      taskId)));
        });
    return found.map(e -> {
      var r = e.getKey();
      return new Case(
          taskId,
          r.status(),
          r.lane(),
          r.priority(),
          r.title(),
          r.detail(),
          r.respondBy(),
          r.owner(),
          r.closeReason(),
          read.plan(r.planId()).orElseThrow(),
          e.getValue());
    });
  }

  /** See {@link Casework#assign}. */
  public void assign(
      User by, long taskId, String ownerUsername, Optional<String> backupUsername, Instant now) {
    casework.assign(by.actor(), taskId, ownerUsername, backupUsername, now);
  }

  /** See {@link Casework#document}. */
  public void document(
      User by, long taskId, CaseNote note, Optional<String> closeReason, Instant now) {
    casework.document(by.actor(), taskId, note, closeReason, now);
  }
}
