package org.callrec.api.health;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/** A source of current diagnoses (e.g. the mirror capture's "no RTP seen"). */
@ConsumerType
public interface Diagnostics {

    /** @return the diagnoses that hold now */
    List<Diagnosis> current();
}
