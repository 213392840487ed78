/** FHIR R4 input through HAPI FHIR. HAPI's classes never leave this package. */
@NullMarked
package org.careloop.adapters.fhir;

import org.jspecify.annotations.NullMarked;
