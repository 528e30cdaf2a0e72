package io.cato.status;

/** One dependency the health endpoint reports on. */
public interface HealthCheck {

    String name();

    /** Throws when the dependency cannot be used; returns a short detail otherwise. */
    String check();
}
