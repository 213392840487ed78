package org.careloop.adapters.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.app.People;
import org.careloop.app.Person;

/** The People port on JDBC: the {@code app_user} table. */
interface JdbcPeople extends People, JdbcAccess {
  private static Person person(ResultSet rs) throws SQLException {
    return new Person(
        rs.getString("id"),
        rs.getString("practice_id"),
        rs.getString("username"),
        rs.getString("display_name"),
        rs.getString("password_hash"),
        rs.getString("role"),
        rs.getBoolean("out_of_office"),
        Optional.ofNullable(rs.getString("email")));
  }

  @Override
  default Optional<Person> personByUsername(String username) {
    return one("select * from app_user where username = ?", JdbcPeople::person, username);
  }

  @Override
  default List<Person> people(String practiceId) {
    return query(
        "select * from app_user where practice_id = ? order by username",
        JdbcPeople::person,
        practiceId);
  }

  @Override
  default void savePerson(Person p, Instant now) {
    int n =
        update(
            "update app_user set display_name = ?, password_hash = ?, role = ?, practice_id = ?, email = ? where username = ?",
            p.displayName(),
            p.passwordHash(),
            p.role(),
            p.practiceId(),
            p.email().orElse(null),
            p.username());
    if (n == 0)
      update(
          "insert into app_user (id, practice_id, username, display_name, password_hash, role, email, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
          p.id(),
          p.practiceId(),
          p.username(),
          p.displayName(),
          p.passwordHash(),
          p.role(),
          p.email().orElse(null),
          now);
  }

  @Override
  default boolean setOutOfOffice(String username, boolean out) {
    return update("update app_user set out_of_office = ? where username = ?", out, username) == 1;
  }
}
