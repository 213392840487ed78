package org.careloop.core;

/**
 * A way to reach a patient. {@code VOICE} is a phone call made by a person (a task), never a robot.
 */
public enum Channel {
  SMS,
  EMAIL,
  VOICE
}
