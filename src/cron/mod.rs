//! KEDA's cron trigger, exactly: the expression language ([`spec`]), the trigger's validation and
//! its activity decision ([`trigger`]), its windows over time ([`windows`], built by [`periodic`]
//! from the fields' periodicity), and the per-object analysis the rules share ([`analysis`]).
pub mod spec;
pub mod trigger;
pub mod analysis;
pub mod periodic;
pub mod windows;
