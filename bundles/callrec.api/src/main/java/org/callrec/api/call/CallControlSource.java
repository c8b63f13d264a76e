package org.callrec.api.call;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A source of call events (TAPI provider, scripted PBX, passive SIP). Registered as a service
 * with the property {@value #LINK_STATUS_PROPERTY} kept up to date, so consoles and health checks
 * can filter on it.
 */
@ProviderType
public interface CallControlSource {

    /** Service property holding the current {@link LinkState.Status} name. */
    String LINK_STATUS_PROPERTY = "callrec.link.status";

    /** @return a short stable id, e.g. {@code tapi}, {@code scripted-pbx}, {@code sip} */
    String id();

    /** @return the current link state */
    LinkState linkState();
}
