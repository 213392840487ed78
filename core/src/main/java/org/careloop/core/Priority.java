package org.careloop.core;

/** Priority tier of a task; the worklist ranks by it first. */
public enum Priority {
  URGENT,
  HIGH,
  ROUTINE
}
