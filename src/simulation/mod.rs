//! Simulations that drive the engine at scale: [`load`], a load test on virtual time.

pub mod load;
