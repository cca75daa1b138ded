//! The deterministic state machine: genesis, transaction acceptance, one evaluator module per
//! operation family, block application and maintenance; and the pipeline that feeds it. This is
//! the only code that mutates state.
pub mod dex;
