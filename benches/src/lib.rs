//! Shared helpers of the finmark benches.
