/** Field encryption (AES-256-GCM), blind indexes and signed tokens: JDK crypto only, no storage. */
@NullMarked
package org.careloop.adapters.crypto;

import org.jspecify.annotations.NullMarked;
