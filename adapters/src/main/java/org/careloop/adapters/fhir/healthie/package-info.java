/**
 * A Healthie connection: its GraphQL API read and its webhooks taken, its records turned into FHIR
 * resources so they are imported as any EHR's. Within the FHIR adapter because HAPI's classes never
 * leave it.
 */
@NullMarked
package org.careloop.adapters.fhir.healthie;

import org.jspecify.annotations.NullMarked;
