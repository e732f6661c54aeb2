//! Provisioning: inventory model, derivation of the cluster plan, templates, lint and atomic render.
