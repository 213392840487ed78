/**
 * An athenahealth connection by its changed-data feeds: athenaOne's appointments and patients read
 * and turned into FHIR resources, so they are imported as any EHR's. Within the FHIR adapter
 * because HAPI's classes never leave it.
 */
@NullMarked
package org.careloop.adapters.fhir.athena;

import org.jspecify.annotations.NullMarked;
