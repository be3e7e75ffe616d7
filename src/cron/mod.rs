//! KEDA's cron trigger, exactly: the expression language ([`spec`]), the trigger's validation and
//! its activity decision ([`trigger`]).
pub mod spec;
pub mod trigger;
pub mod analysis;
