//! Quantities (placeholder).
