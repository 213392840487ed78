package org.careloop.app;

import java.time.ZoneId;
import java.util.Optional;

/** A tenant: name, time zone and how patients book. */
public record Practice(
    String id, String name, ZoneId zone, Optional<String> phone, Optional<String> bookingUrl) {}
