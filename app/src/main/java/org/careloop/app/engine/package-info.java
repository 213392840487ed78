/**
 * The engine: runs the core's decisions on stored plans (one transaction per decision), fires due
 * wake-ups, previews a protocol, and holds the lane rules for the tasks it opens.
 */
@NullMarked
package org.careloop.app.engine;

import org.jspecify.annotations.NullMarked;
