package org.careloop.adapters.jdbc;

import java.util.Optional;
import org.careloop.app.AppointmentRef;
import org.careloop.app.Store;

/** The Appointments port on JDBC. */
interface JdbcAppointments extends Store.Appointments, JdbcAccess {
  @Override
  default Optional<AppointmentRef> appointment(String practiceId, String sourceKey) {
    return one(
        "select * from appointment_link where practice_id = ? and source_hash = ?",
        rs ->
            new AppointmentRef(
                sourceKey,
                rs.getString("plan_id"),
                Optional.ofNullable(rs.getString("milestone_key")),
                rs.getString("last_status")),
        practiceId,
        sourceIndex(practiceId, sourceKey));
  }

  @Override
  default void saveAppointment(String practiceId, AppointmentRef ref) {
    String hash = sourceIndex(practiceId, ref.sourceKey());
    int n =
        update(
            "update appointment_link set plan_id = ?, milestone_key = ?, last_status = ? where practice_id = ? and source_hash = ?",
            ref.planId(),
            ref.milestoneKey().orElse(null),
            ref.lastStatus(),
            practiceId,
            hash);
    if (n == 0) {
      update(
          "insert into appointment_link (practice_id, source_hash, source_key, plan_id, milestone_key, last_status) values (?, ?, ?, ?, ?, ?)",
          practiceId,
          hash,
          cipher().encrypt("appointment_link.source_key", ref.sourceKey()),
          ref.planId(),
          ref.milestoneKey().orElse(null),
          ref.lastStatus());
    }
  }

  @Override
  default Optional<Store.Appointments.OrderStep> stepOfOrder(
      String practiceId, String orderSourceKey) {
    return one(
        "select plan_id, milestone_key from order_link where practice_id = ? and source_hash = ?",
        rs -> new Store.Appointments.OrderStep(rs.getString(1), rs.getString(2)),
        practiceId,
        sourceIndex(practiceId, orderSourceKey));
  }

  @Override
  default void linkOrders(
      String practiceId, String planId, java.util.Map<String, String> stepByOrder) {
    for (var link : new java.util.TreeMap<>(stepByOrder).entrySet()) {
      String hash = sourceIndex(practiceId, link.getKey());
      int n =
          update(
              "update order_link set plan_id = ?, milestone_key = ?"
                  + " where practice_id = ? and source_hash = ?",
              planId,
              link.getValue(),
              practiceId,
              hash);
      if (n == 0)
        update(
            "insert into order_link (practice_id, source_hash, source_key, plan_id, milestone_key)"
                + " values (?, ?, ?, ?, ?)",
            practiceId,
            hash,
            cipher().encrypt("order_link.source_key", link.getKey()),
            planId,
            link.getValue());
    }
  }
}
