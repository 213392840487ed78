package org.careloop.app;

import java.util.Optional;

/** What careloop knows of a source appointment: its plan, step and last status seen. */
public record AppointmentRef(
    String sourceKey, String planId, Optional<String> milestoneKey, String lastStatus) {}
