/** Reading, deduplicating and dead-lettering order events: shared by every consumer of the order topics. */
package dev.dualwrite.consuming;
