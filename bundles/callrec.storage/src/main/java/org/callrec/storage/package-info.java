/**
 * Where recordings live: crash-safe WAV files under data/recordings and the catalog (embedded H2
 * by default, PostgreSQL for several servers).
 */
package org.callrec.storage;
