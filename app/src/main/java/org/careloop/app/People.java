package org.careloop.app;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The people who sign in, each of one practice. */
public interface People {
  Optional<Person> personByUsername(String username);

  /** The practice's people, by user name. */
  List<Person> people(String practiceId);

  /** Changes the person with this user name (name, password, role, practice), or adds them. */
  void savePerson(Person person, Instant now);

  /** Marks the person out of office or back; false when there is no one with this user name. */
  boolean setOutOfOffice(String username, boolean out);
}
