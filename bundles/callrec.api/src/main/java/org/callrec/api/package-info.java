/**
 * The contracts of the recording data path, one exported and versioned package per concern; no
 * logic lives here, so every other bundle can change behind these types without breaking the rest.
 */
package org.callrec.api;
